"""What the audit log shows in the console (``web.home``): its sidebar link and the recent
changes on the overview."""

from django.utils.translation import gettext_lazy as _

from laurel.audit import policy
from laurel.web import home

RECENT_SHOWN = 8


def recent_changes_panel(request) -> dict | None:
    if not request.user.is_authenticated or not policy.may_browse_audit(request.user.access):
        return None
    entries = policy.entries_visible(request.user.access).select_related("actor")
    return {"entries": entries[:RECENT_SHOWN]}


def register() -> None:
    home.console_link_register(
        "audit:entry_list", _("Audit log"), order=80, rule=policy.may_browse_audit
    )
    home.panel_register(
        "recent_changes",
        order=100,
        template="audit/_panel_recent_changes.html",
        context=recent_changes_panel,
        home=False,
        console=True,
    )
