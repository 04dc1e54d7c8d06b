"""Public pages of the site shell."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from laurel.web import home as home_registry


def home(request):
    """Everyone's home: the panels the apps registered for this visitor's roles (the public
    ones for anyone; a member's, a judge's, a unit admin's, the federation's as they hold
    those roles), in the order registered."""
    return render(request, "web/home.html", {"panels": home_registry.panels_for(request)})


@csrf_exempt
@require_POST
def language_choose(request):
    """The header's language switch: Django's ``set_language`` (the language cookie, then back
    to ``next`` if it is on this site) without the CSRF check. A forged post could only switch
    someone's language; without a token the header's form needs no CSRF cookie, so pages
    cached for everyone (the exhibition) set none."""
    return set_language(request)


def error_page(request, *, title: str, message: str, status: int):
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)


def rate_limited(request, exception=None):
    return error_page(
        request,
        title=_("Too many requests"),
        message=_("Please wait a while and try again."),
        status=429,
    )


def bad_request(request, exception=None):
    """A request our pages never send (an id that is not a number, say): ``BadRequest``."""
    return error_page(
        request,
        title=_("Bad request"),
        message=_("This address or form was not understood. Go back and use the page's links."),
        status=400,
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
