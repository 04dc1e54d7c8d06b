"""(being written)"""


def contest_list(request, **kwargs):
    raise NotImplementedError


def contest_detail(request, **kwargs):
    raise NotImplementedError

