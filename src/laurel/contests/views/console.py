"""(being written)"""


def contest_list(request, **kwargs):
    raise NotImplementedError


def contest_create(request, **kwargs):
    raise NotImplementedError


def contest_detail(request, **kwargs):
    raise NotImplementedError


def contest_edit(request, **kwargs):
    raise NotImplementedError


def contest_transition(request, **kwargs):
    raise NotImplementedError


def entry_list(request, **kwargs):
    raise NotImplementedError


def entry_detail(request, **kwargs):
    raise NotImplementedError


def screening(request, **kwargs):
    raise NotImplementedError


def flag_resolve(request, **kwargs):
    raise NotImplementedError

