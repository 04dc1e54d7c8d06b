"""(being written)"""

from django.http import Http404


def register(request, *args, **kwargs):
    raise Http404
