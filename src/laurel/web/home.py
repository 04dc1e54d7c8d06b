"""The seam between the shell and the domains: what each app shows in the top bar, in the
console's sidebar and on the home pages, and the work it has waiting for staff.

Each domain app fills the registry in its ``panels.py``, imported from its
``AppConfig.ready()``; the shell only reads it, so nothing in ``web`` imports a domain app.
Every list is kept in the order given at registration (then by key), never in the order
the apps happen to be installed. Registering a key again replaces it.

Rules are policy rules: functions of ``web.access.Access`` returning a bool.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

Rule = Callable[[Any], bool]  # a policy rule on web.access.Access


@dataclass(frozen=True)
class Link:
    """A link of the top bar or of the console's sidebar."""

    key: str
    url_name: str
    label: str
    order: int
    rule: Rule | None = None  # None: everyone, signed in or not
    count: Callable[[Any], int] | None = None  # a number shown beside it (the user → count)


@dataclass(frozen=True)
class Panel:
    """A block of the home page and/or the console's overview: ``context(request)`` gives its
    template's ``panel``, or None when it is not for this visitor."""

    key: str
    order: int
    template: str
    context: Callable[[Any], dict | None]
    home: bool = True
    console: bool = False


@dataclass(frozen=True)
class Task:
    """Work waiting for staff, as one sentence with its count and where it is done."""

    text: str  # "10 screening flags to decide": the count is in the sentence
    count: int
    url: str
    tone: str = "waiting"  # waiting | late (behind time) | failed


@dataclass(frozen=True)
class TaskSource:
    key: str
    order: int
    tasks: Callable[[Any], list[Task]]  # Access → the tasks in its reach


_activities: dict[str, Link] = {}
_personal_links: dict[str, Link] = {}
_console_links: dict[str, Link] = {}
_panels: dict[str, Panel] = {}
_task_sources: dict[str, TaskSource] = {}


def _ordered(registry: dict) -> list:
    return sorted(registry.values(), key=lambda item: (item.order, item.key))


# --- registering (from the apps' panels.py) -------------------------------------------------


def activity_register(key: str, url_name: str, label, *, order: int, rule: Rule | None = None):
    """A top-bar activity (比赛, 活动, 评选): a link for everyone, or for whom ``rule`` allows."""
    _activities[key] = Link(key, url_name, label, order, rule)


def personal_link_register(
    key: str,
    url_name: str,
    label,
    *,
    order: int,
    rule: Rule,
    count: Callable[[Any], int] | None = None,
):
    """A top-bar link of the signed-in user's own (their entries, inbox), with an optional
    count beside it (``count(user)``, shown when not 0)."""
    _personal_links[key] = Link(key, url_name, label, order, rule, count)


def console_link_register(url_name: str, label, *, order: int, rule: Rule):
    """A link of the console's sidebar."""
    _console_links[url_name] = Link(url_name, url_name, label, order, rule)


def panel_register(
    key: str,
    *,
    order: int,
    template: str,
    context: Callable[[Any], dict | None],
    home: bool = True,
    console: bool = False,
):
    """A panel: on the home page (``home``), on the console's overview (``console``)."""
    _panels[key] = Panel(key, order, template, context, home, console)


def task_source_register(key: str, *, order: int, tasks: Callable[[Any], list[Task]]):
    _task_sources[key] = TaskSource(key, order, tasks)


# --- reading (the shell) --------------------------------------------------------------------


def _allowed(link: Link, access) -> bool:
    """``access`` None: an anonymous visitor, who sees only the links for everyone."""
    return link.rule is None or (access is not None and link.rule(access))


def _shown(link: Link, current: str, count: int = 0) -> dict:
    return {
        "key": link.key,
        "url": reverse(link.url_name),
        "label": link.label,
        "active": current == link.url_name,
        "count": count,
    }


def top_bar(request, access) -> dict:
    """The top bar's activities and, signed in, the user's own links (``access`` None: an
    anonymous visitor)."""
    current = _current_view(request)
    activities = [_shown(link, current) for link in _ordered(_activities) if _allowed(link, access)]
    personal = []
    if access is not None:
        personal = [
            _shown(link, current, link.count(request.user) if link.count else 0)
            for link in _ordered(_personal_links)
            if _allowed(link, access)
        ]
    return {"activities": activities, "personal": personal}


def console_navigation(request, access) -> list[dict]:
    if access is None:
        return []
    current = _current_view(request)
    return [_shown(link, current) for link in _ordered(_console_links) if link.rule(access)]


def console_rule(access) -> bool:
    """Who may open the console's overview (``web:console``): the rule its sidebar link was
    registered with (accounts: staff); nobody while none is registered."""
    link = _console_links.get("web:console")
    return link is not None and link.rule(access)


def panels_for(request, *, console: bool = False) -> list[dict]:
    """The panels this visitor sees on the home page (or with ``console``, the console's
    overview), in order: each ``{"key", "template", "panel"}``."""
    shown = []
    for panel in _ordered(_panels):
        if not (panel.console if console else panel.home):
            continue
        context = panel.context(request)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "panel": context})
    return shown


def tasks_for(access) -> list[Task]:
    """Every source's tasks in this user's reach (sources scope them by their policies)."""
    return [task for source in _ordered(_task_sources) for task in source.tasks(access)]


def _current_view(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""
