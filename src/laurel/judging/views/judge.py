"""(being written)"""


def home(request, **kwargs):
    raise NotImplementedError


def round_resume(request, **kwargs):
    raise NotImplementedError


def review(request, **kwargs):
    raise NotImplementedError


def review_save(request, **kwargs):
    raise NotImplementedError


def conflict(request, **kwargs):
    raise NotImplementedError

