"""(being written)"""

from django.http import Http404


def event_list(request, *args, **kwargs):
    raise Http404


def event_create(request, *args, **kwargs):
    raise Http404


def event_detail(request, *args, **kwargs):
    raise Http404


def event_edit(request, *args, **kwargs):
    raise Http404


def event_state(request, *args, **kwargs):
    raise Http404


def booths(request, *args, **kwargs):
    raise Http404


def booth_edit(request, *args, **kwargs):
    raise Http404


def occupancy(request, *args, **kwargs):
    raise Http404


def registrations(request, *args, **kwargs):
    raise Http404


def registration_cancel(request, *args, **kwargs):
    raise Http404
