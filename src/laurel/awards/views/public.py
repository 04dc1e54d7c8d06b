"""Stub: filled in by this issue."""

from django.http import Http404


def results(request, slug):
    raise Http404


def exhibition(request, slug):
    raise Http404


def exhibition_work(request, slug, code):
    raise Http404


def certificate_check(request):
    raise Http404


def certificate_verify(request, number):
    raise Http404
