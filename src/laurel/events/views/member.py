"""(being written)"""

from django.http import Http404


def register(request, *args, **kwargs):
    raise Http404


def mine(request, *args, **kwargs):
    raise Http404


def registration(request, *args, **kwargs):
    raise Http404


def cancel(request, *args, **kwargs):
    raise Http404


def offer_accept(request, *args, **kwargs):
    raise Http404
