"""What contests show on the home pages and in the navigation (``web.home``): 比赛 in the top
bar; the open calls (for a member, those they may enter and how many entries they have
left), their entries, the screening questions waiting for an answer; for organisers the
contests under way and the flags to decide; for unit admins their unfinished bulk
submissions."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from laurel.accounts.policy import access_for
from laurel.contests import policy, selectors
from laurel.contests.entrants import entrant_related
from laurel.contests.models import Contest, Entry, Flag
from laurel.members.models import Member, Team
from laurel.web import home
from laurel.web.access import signed_in

MY_ENTRIES_SHOWN = 6
QUESTIONS_SHOWN = 10
UNDER_WAY = (Contest.State.OPEN, Contest.State.CLOSED, Contest.State.JUDGING, Contest.State.RESULTS)


def open_calls_panel(request) -> dict:
    """Contests taking entries now, the soonest to close first; for a member, whether they
    may enter each (a contest of teams: if they lead one; of units: in the console only) and
    how many entries they have used. Shown to everyone, even empty."""
    access = access_for(request.user)
    now = timezone.now()
    calls = list(
        policy.contests_visible(access)
        .filter(state=Contest.State.OPEN, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )
    is_member = bool(
        calls
        and request.user.is_authenticated
        and Member.objects.filter(user_id=request.user.pk).exists()
    )
    used = {}
    if is_member:
        used = dict(
            policy.entries_of(access)
            .filter(contest__in=calls, state__in=Entry.LIVE_STATES)
            .order_by()
            .values("contest_id")
            .annotate(n=Count("pk"))
            .values_list("contest_id", "n")
        )
    leads_team = (
        is_member
        and any(contest.entrants == Contest.Entrants.TEAMS for contest in calls)
        and Team.objects.filter(leader__user_id=request.user.pk).exists()
    )
    enterable = {Contest.Entrants.MEMBERS: is_member, Contest.Entrants.TEAMS: leads_team}
    return {
        "calls": [
            {
                "contest": contest,
                "may_enter": contest.members_submit and enterable.get(contest.entrants, False),
                "used": used.get(contest.pk, 0),
            }
            for contest in calls
        ]
    }


def my_entries_panel(request) -> dict | None:
    """A member's latest entries with their state (shown to members and to anyone with
    entries)."""
    if not request.user.is_authenticated:
        return None
    latest = list(selectors.own_entries(request.user.access)[: MY_ENTRIES_SHOWN + 1])
    if not latest and not Member.objects.filter(user_id=request.user.pk).exists():
        return None
    return {
        "entries": latest[:MY_ENTRIES_SHOWN],
        "more": len(latest) > MY_ENTRIES_SHOWN,
    }


def screening_questions_panel(request) -> dict | None:
    """The screening questions this user may answer (their own entries; a unit admin's
    subtree): each entry with what was asked, linking to the entry where the answer goes."""
    if not request.user.is_authenticated:
        return None
    flags = policy.flags_to_answer(request.user.access)
    shown = list(
        flags.select_related("entry__contest", *entrant_related("entry__")).order_by(
            "entry__contest__closes_at", "entry__number", "kind"
        )[:QUESTIONS_SHOWN]
    )
    if not shown:
        return None
    return {"flags": shown, "count": flags.count()}


def activities_panel(request) -> dict | None:
    """For organisers: the contests under way (taking entries, closed, judged, results
    being decided), with their state, the entries' deadline and how many live entries."""
    if not request.user.is_authenticated or not policy.may_organise(request.user.access):
        return None
    contests = list(
        policy.contests_visible(request.user.access)
        .filter(state__in=UNDER_WAY)
        .annotate(live=Count("entries", filter=Q(entries__state__in=Entry.LIVE_STATES)))
        .order_by("closes_at", "pk")
    )
    return {"contests": contests}


def screening_flags_tasks(access) -> list[home.Task]:
    """Organisers: the flags screening raised that wait for a decision, per contest."""
    rows = (
        policy.flags_visible(access)
        .filter(state=Flag.State.OPEN)
        .order_by()
        .values("entry__contest__slug", "entry__contest__title")
        .annotate(n=Count("pk"))
        .order_by("entry__contest__title")
    )
    return [
        home.Task(
            text=ngettext(
                "%(count)d screening flag to decide (%(contest)s)",
                "%(count)d screening flags to decide (%(contest)s)",
                row["n"],
            )
            % {"count": row["n"], "contest": row["entry__contest__title"]},
            count=row["n"],
            url=reverse("contests:console_screening", args=[row["entry__contest__slug"]]),
        )
        for row in rows
    ]


def screening_questions_tasks(access) -> list[home.Task]:
    """Staff: the screening questions on entries they answer for (a unit admin's subtree)."""
    if not policy.may_browse_contests(access):
        return []
    count = policy.flags_to_answer(access).count()
    if not count:
        return []
    text = ngettext(
        "%(count)d screening question waits for an answer",
        "%(count)d screening questions wait for an answer",
        count,
    ) % {"count": count}
    return [home.Task(text=text, count=count, url="#panel-screening_questions")]


def bulk_submission_tasks(access) -> list[home.Task]:
    """Staff: the bulk submissions they uploaded to contests still taking entries with rows
    waiting for their photos (someone else's, even if visible, is not their work)."""
    submissions = (
        policy.bulk_submissions_visible(access)
        .filter(
            uploaded_by_id=access.user_id,
            contest__state=Contest.State.OPEN,
            contest__closes_at__gt=timezone.now(),
        )
        .select_related("contest")
        .only("pk", "sheet_name", "rows", "contest__slug", "contest__title")
    )
    tasks = []
    for submission in submissions:
        waiting = sum(1 for row in submission.rows if row.get("status") == "waiting")
        if waiting:
            tasks.append(
                home.Task(
                    text=ngettext(
                        "%(count)d row of %(sheet)s waits for its photos (%(contest)s)",
                        "%(count)d rows of %(sheet)s wait for their photos (%(contest)s)",
                        waiting,
                    )
                    % {
                        "count": waiting,
                        "sheet": submission.sheet_name,
                        "contest": submission.contest.title,
                    },
                    count=waiting,
                    url=reverse(
                        "contests:console_bulk_detail",
                        args=[submission.contest.slug, submission.pk],
                    ),
                )
            )
    return tasks


def register() -> None:
    home.activity_register("contests", "contests:contest_list", _("Contests"), order=10)
    home.personal_link_register(
        "my-entries", "contests:my_entries", _("My entries"), order=20, rule=signed_in
    )
    home.console_link_register(
        "contests:console_contest_list", _("Contests"), order=50, rule=policy.may_browse_contests
    )
    home.panel_register(
        "screening_questions",
        order=25,
        template="contests/_panel_screening_questions.html",
        context=screening_questions_panel,
        console=True,
    )
    home.panel_register(
        "activities",
        order=30,
        template="contests/_panel_activities.html",
        context=activities_panel,
        console=True,
    )
    home.panel_register(
        "open_calls", order=50, template="contests/_panel_open_calls.html", context=open_calls_panel
    )
    home.panel_register(
        "my_entries", order=60, template="contests/_panel_my_entries.html", context=my_entries_panel
    )
    home.task_source_register("screening_flags", order=10, tasks=screening_flags_tasks)
    home.task_source_register("screening_questions", order=15, tasks=screening_questions_tasks)
    home.task_source_register("bulk_submissions", order=30, tasks=bulk_submission_tasks)
