"""(being written)"""


def entry_submit_for(request, **kwargs):
    raise NotImplementedError


def bulk_start(request, **kwargs):
    raise NotImplementedError


def bulk_detail(request, **kwargs):
    raise NotImplementedError


def bulk_file(request, **kwargs):
    raise NotImplementedError

