"""Stub: filled in by this issue."""

from django.http import Http404


def certificate_pdf(request, number):
    raise Http404
