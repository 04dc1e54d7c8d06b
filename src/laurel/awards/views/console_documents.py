"""Stub: filled in by this issue."""

from django.http import Http404


def certificates(request, slug):
    raise Http404


def certificates_all(request, slug):
    raise Http404


def certificate_pdf(request, number):
    raise Http404


def export_xlsx(request, slug, kind):
    raise Http404


def originals_zip(request, slug):
    raise Http404
