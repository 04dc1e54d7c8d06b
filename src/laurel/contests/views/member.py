"""(being written)"""


def entry_submit(request, **kwargs):
    raise NotImplementedError


def my_entries(request, **kwargs):
    raise NotImplementedError


def my_entry(request, **kwargs):
    raise NotImplementedError


def entry_edit(request, **kwargs):
    raise NotImplementedError


def entry_withdraw(request, **kwargs):
    raise NotImplementedError


def entry_declare(request, **kwargs):
    raise NotImplementedError


def flag_answer(request, **kwargs):
    raise NotImplementedError

