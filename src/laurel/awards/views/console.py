"""Stub: filled in by this issue."""

from django.http import Http404


def results(request, slug):
    raise Http404


def results_method(request, slug):
    raise Http404


def awards_propose(request, slug):
    raise Http404


def results_publish(request, slug):
    raise Http404


def result_entry(request, slug, number):
    raise Http404


def award_set(request, slug, number):
    raise Http404
