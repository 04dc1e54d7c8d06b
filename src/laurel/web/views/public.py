"""Public pages of the site shell."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def home(request):
    return render(request, "web/home.html")


def error_page(request, *, title: str, message: str, status: int):
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)


def rate_limited(request, exception=None):
    return error_page(
        request,
        title=_("Too many requests"),
        message=_("Please wait a while and try again."),
        status=429,
    )


def permission_denied(request, exception=None):
    return error_page(
        request,
        title=_("Not allowed"),
        message=_("Your account may not open this page."),
        status=403,
    )


def not_found(request, exception=None):
    return error_page(
        request,
        title=_("Not found"),
        message=_("There is nothing here, or not for you."),
        status=404,
    )
