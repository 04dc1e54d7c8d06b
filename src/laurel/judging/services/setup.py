"""Setting a round up: its mode, deadline, entrants, ranking method and criteria."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.contests.models import Contest
from laurel.core import ranking as core_ranking
from laurel.judging.models import Criterion, Round
from laurel.judging.services._common import _organiser_check, _refuse


@transaction.atomic
def round_create(
    *,
    acting_user,
    contest: Contest,
    name: str,
    mode: str,
    deadline: datetime.datetime,
    per_entry: int = 3,
    entrants: str = Round.Entrants.ACCEPTED,
    top: int | None = None,
    previous: Round | None = None,
    method: str = "calibrated",
    advance: int | None = None,
    criteria: Sequence[tuple[str, int, int, int]] = (),
) -> Round:
    """A new round of ``contest``; ``criteria`` are (name, weight, lowest, highest)."""
    _organiser_check(acting_user)
    if contest.state not in (Contest.State.CLOSED, Contest.State.JUDGING):
        _refuse(_("Rounds are set up once entries have closed."))
    if mode == Round.Mode.SCORE and not criteria:
        _refuse(_("A scoring round needs at least one criterion."))
    if entrants != Round.Entrants.ACCEPTED and (
        previous is None or previous.contest_id != contest.pk
    ):
        _refuse(_("Choose the previous round of this contest the entries come from."))
    if entrants == Round.Entrants.TOP and not top:
        _refuse(_("Say how many of the top entries go on."))
    if method not in core_ranking.METHODS:
        _refuse(_("Unknown ranking method."))
    if per_entry < 1:
        _refuse(_("At least one judge per entry."))
    for criterion, weight, low, high in criteria:
        if not criterion.strip() or weight < 1 or low >= high:
            _refuse(_("Each criterion needs a name, a weight of at least 1 and a scale."))
    round_ = Round(
        contest=contest,
        position=contest.rounds.count(),
        name=name.strip(),
        mode=mode,
        deadline=deadline,
        per_entry=per_entry,
        entrants=entrants,
        top=top,
        previous=previous,
        method=method,
        advance=advance,
    )
    round_.full_clean()
    round_.save()
    Criterion.objects.bulk_create(
        Criterion(round=round_, name=n.strip(), weight=w, low=lo, high=hi, position=i)
        for i, (n, w, lo, hi) in enumerate(criteria)
    )
    audit_log(
        actor=acting_user,
        action="judging.round.created",
        obj=round_,
        data={
            "contest": contest.slug,
            "name": round_.name,
            "mode": mode,
            "criteria": [list(c) for c in criteria],
        },
    )
    return round_
