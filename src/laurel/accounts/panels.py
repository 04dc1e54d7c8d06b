"""What accounts shows on the home pages and in the navigation (``web.home``): the console's
Overview, People and Invitations, and — staff being the accounts' rule — the work waiting
panel, which gathers every app's tasks (``web.home.tasks_for``); check-in staff's panel."""

from django.utils.translation import gettext_lazy as _

from laurel.accounts import policy
from laurel.web import home
from laurel.web.access import may_use_console


def tasks_panel(request) -> dict | None:
    if not request.user.is_authenticated or not may_use_console(request.user.access):
        return None
    return {"tasks": home.tasks_for(request.user.access)}


def checkin_panel(request) -> dict | None:
    """Check-in staff's place on the home page, saying their work appears there once an event
    gives them a gate. The events app registers the key ``checkin`` again with the events
    each holder is given (registering a key again replaces it)."""
    if not request.user.is_authenticated or not request.user.access.is_checkin_staff:
        return None
    return {}


def register() -> None:
    home.console_link_register("web:console", _("Overview"), order=10, rule=may_use_console)
    home.console_link_register(
        "accounts:user_list", _("People"), order=60, rule=policy.may_manage_users
    )
    home.console_link_register(
        "accounts:invitation_list", _("Invitations"), order=70, rule=policy.may_invite
    )
    home.panel_register(
        "tasks", order=20, template="web/_panel_tasks.html", context=tasks_panel, console=True
    )
    home.panel_register(
        "checkin", order=5, template="accounts/_panel_checkin.html", context=checkin_panel
    )
