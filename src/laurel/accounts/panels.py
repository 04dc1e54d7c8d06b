"""What accounts shows on the home pages and in the navigation (``web.home``): the console's
Overview, People and Invitations, and — staff being the accounts' rule — the work waiting
panel, which gathers every app's tasks (``web.home.tasks_for``)."""

from django.utils.translation import gettext_lazy as _

from laurel.accounts import policy
from laurel.web import home
from laurel.web.access import may_use_console


def tasks_panel(request) -> dict | None:
    if not request.user.is_authenticated or not may_use_console(request.user.access):
        return None
    return {"tasks": home.tasks_for(request.user.access)}


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
