"""Asking before an action that reaches many people: the one confirmation step every such
action uses (closing a contest's entries, opening a round, reminders, publishing results).

The action's form posts as usual. Without ``confirm=1`` the view answers with the
confirmation page (200; nothing changed): what will happen, with the counts its app's
``*_preview`` function computed — the same code the action then runs — and one button that
posts the same fields again with ``confirm=1``. Only that post acts::

    if not confirmed(request):
        preview = services.round_open_preview(round_)
        return confirmation_render(request, Confirmation(title=..., consequences=[...], ...))
    services.round_open(acting_user=request.user, round=round_)

Server-rendered: no script, no ``confirm()`` dialog.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"
NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


@dataclass(frozen=True)
class Consequence:
    """One thing the action will do, and to how many: ``key`` names it for the page's
    ``data-consequence`` (``judges``, ``entrants``, …), ``count`` is the number."""

    key: str
    count: int
    sentence: str


@dataclass(frozen=True)
class Confirmation:
    title: str  # the question: "Open the round?"
    action: str  # the URL the confirmed form posts to (the action's own)
    button: str  # what the confirming button says
    back: str  # where "cancel" leads
    consequences: list[Consequence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else the organiser should know


def confirmed(request: HttpRequest) -> bool:
    """Whether this post is the one from the confirmation page."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def confirmation_render(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The confirmation page: the consequences, and the request's own fields posted again
    with ``confirm=1``."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in NOT_REPOSTED
        for value in values
    ]
    context = {"confirmation": confirmation, "fields": fields, "confirm_field": CONFIRM_FIELD}
    return render(request, "web/confirm.html", context)
