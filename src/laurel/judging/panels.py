"""What judging shows on the home pages and in the navigation (``web.home``): a judge's open
rounds and their link in the top bar; for organisers, the open rounds' pace and the judges
behind it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from laurel.judging import policy, selectors
from laurel.web import home


def judge_rounds_panel(request) -> dict | None:
    if not request.user.is_authenticated or not policy.may_judge(request.user.access):
        return None
    rounds = selectors.judge_rounds_progress(request.user.access, open_only=True)
    return {"rounds": [{"round": r, "progress": p} for r, p in rounds]}


def rounds_pace_panel(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    access = request.user.access
    if not policy.may_organise_rounds(access):
        return None
    paces = selectors.open_rounds_pace(access)
    return {"paces": paces} if paces else None


def judges_behind_tasks(access) -> list[home.Task]:
    if not policy.may_organise_rounds(access):
        return []
    return [
        home.Task(
            text=ngettext(
                "%(count)d judge behind in %(round)s (%(contest)s)",
                "%(count)d judges behind in %(round)s (%(contest)s)",
                pace.judges_behind,
            )
            % {
                "count": pace.judges_behind,
                "round": pace.round.name,
                "contest": pace.round.contest.title,
            },
            count=pace.judges_behind,
            url=reverse("judging:round_progress", args=[pace.round.pk]),
            tone="late",
        )
        for pace in selectors.open_rounds_pace(access)
        if pace.judges_behind
    ]


def register() -> None:
    home.personal_link_register(
        "judging", "judging:judge_home", _("Judging"), order=10, rule=policy.may_judge
    )
    home.panel_register(
        "judge_rounds",
        order=10,
        template="judging/_panel_judge_rounds.html",
        context=judge_rounds_panel,
    )
    home.panel_register(
        "rounds_pace",
        order=40,
        template="judging/_panel_rounds_pace.html",
        context=rounds_pace_panel,
        console=True,
    )
    home.task_source_register("judges_behind", order=20, tasks=judges_behind_tasks)
