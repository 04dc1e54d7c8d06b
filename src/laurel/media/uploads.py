"""An upload handler that stops reading a request body as soon as a file passes the limit."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitedUpload(FileUploadHandler):
    """First in the chain: counts each file's bytes and stops the upload when one is over
    ``limit`` (Django then discards what it had; the view says why)."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
