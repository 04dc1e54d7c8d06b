"""What members shows on the home pages and in the navigation (``web.home``): the console's
Members and Teams; a unit admin's units with their members and teams; member imports that
wait to be confirmed or failed, as work waiting."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from laurel.members import policy
from laurel.members.models import MemberImport
from laurel.orgs.policy import units_administered
from laurel.web import home

# a previewed import left longer than this is taken as abandoned, no longer work waiting
IMPORTS_WAITING_DAYS = 7


def my_units_panel(request) -> dict | None:
    """A unit admin's units, each with the members and teams of its subtree."""
    if not request.user.is_authenticated:
        return None
    access = request.user.access
    units = list(units_administered(access).order_by("path"))
    if not units:
        return None
    members, teams = policy.members_visible(access), policy.teams_visible(access)
    return {
        "units": [
            {
                "unit": unit,
                "members": members.filter(unit__path__startswith=unit.path).count(),
                "teams": teams.filter(unit__path__startswith=unit.path).count(),
            }
            for unit in units
        ]
    }


def member_import_tasks(access) -> list[home.Task]:
    """The member imports the user made in the last days that wait to be confirmed or
    failed (someone else's, even if visible, is not their work)."""
    since = timezone.now() - datetime.timedelta(days=IMPORTS_WAITING_DAYS)
    imports = list(
        policy.imports_visible(access)
        .filter(
            uploaded_by_id=access.user_id,
            status__in=[MemberImport.Status.PREVIEWED, MemberImport.Status.FAILED],
            created_at__gte=since,
        )
        .values_list("pk", "status")
    )
    tasks = []
    for status, tone, sentence in (
        (
            MemberImport.Status.PREVIEWED,
            "waiting",
            lambda n: ngettext(
                "%(count)d member import waits to be confirmed",
                "%(count)d member imports wait to be confirmed",
                n,
            ),
        ),
        (
            MemberImport.Status.FAILED,
            "failed",
            lambda n: ngettext(
                "%(count)d member import failed", "%(count)d member imports failed", n
            ),
        ),
    ):
        pks = [pk for pk, s in imports if s == status]
        if pks:
            url = (
                reverse("members:member_import_detail", args=[pks[0]])
                if len(pks) == 1
                else reverse("members:member_import")
            )
            text = sentence(len(pks)) % {"count": len(pks)}
            tasks.append(home.Task(text=text, count=len(pks), url=url, tone=tone))
    return tasks


def register() -> None:
    home.console_link_register(
        "members:member_list", _("Members"), order=30, rule=policy.may_manage_members
    )
    home.console_link_register(
        "members:team_list", _("Teams"), order=40, rule=policy.may_manage_members
    )
    home.panel_register(
        "my_units",
        order=45,
        template="members/_panel_my_units.html",
        context=my_units_panel,
        console=True,
    )
    home.task_source_register("member_imports", order=40, tasks=member_import_tasks)
