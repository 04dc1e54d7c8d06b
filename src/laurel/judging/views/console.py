"""(being written)"""


def round_list(request, **kwargs):
    raise NotImplementedError


def round_create(request, **kwargs):
    raise NotImplementedError


def round_detail(request, **kwargs):
    raise NotImplementedError


def seat_add(request, **kwargs):
    raise NotImplementedError


def judge_drop(request, **kwargs):
    raise NotImplementedError


def assignment_solve(request, **kwargs):
    raise NotImplementedError


def assignment_move(request, **kwargs):
    raise NotImplementedError


def round_open(request, **kwargs):
    raise NotImplementedError


def round_progress(request, **kwargs):
    raise NotImplementedError


def reminders_send(request, **kwargs):
    raise NotImplementedError


def round_close(request, **kwargs):
    raise NotImplementedError

