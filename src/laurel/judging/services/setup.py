"""Setting a round up: its mode, deadline, entrants, ranking method, criteria (each with its
range and step), how they combine, how points are rounded and how ties are broken."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.contests.models import Contest
from laurel.core import ranking as core_ranking
from laurel.core import scores as core_scores
from laurel.judging import modes
from laurel.judging.models import Criterion, Round
from laurel.judging.services._common import _organiser_check, _refuse


@transaction.atomic
def round_create(
    *,
    acting_user,
    contest: Contest,
    name: str,
    mode: str,
    deadline: datetime.datetime | None,
    per_entry: int = 3,
    entrants: str = Round.Entrants.ACCEPTED,
    top: int | None = None,
    previous: Round | None = None,
    method: str = "calibrated",
    advance: int | None = None,
    criteria: Sequence[tuple] = (),
    combine: str = "weighted",
    places: int = 2,
    rounding: str = "half_up",
    tie_breaks: Sequence[Sequence[str]] = (),
) -> Round:
    """A new round of ``contest``; ``criteria`` are (name, weight, minimum, maximum) or (name,
    weight, minimum, maximum, step), the step 1 unless given; ``tie_breaks`` is the chain of
    ``core.scores`` rules, a criterion named by its name (``("criterion", "动作规范")``).
    Without a deadline the round ends when its last entry is confirmed."""
    _organiser_check(acting_user)
    if contest.state not in (Contest.State.CLOSED, Contest.State.JUDGING):
        _refuse(_("Rounds are set up once entries have closed."))
    round_mode = modes.MODES.get(mode)  # an unknown mode is refused by full_clean below
    if round_mode is not None and round_mode.needs_criteria and not criteria:
        _refuse(str(round_mode.criteria_missing))
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
    rows = [(*c, 1) if len(c) == 4 else tuple(c) for c in criteria]  # the step 1 unless given
    for criterion, weight, low, high, _step in rows:
        if not criterion.strip() or weight < 1 or low >= high:
            _refuse(_("Each criterion needs a name, a weight of at least 1 and a scale."))
    named = [
        core_scores.Criterion(n.strip(), n.strip(), Decimal(lo), Decimal(hi), Decimal(st), w)
        for n, w, lo, hi, st in rows
    ]
    if any(core_scores.criterion_problems(c) for c in named):
        _refuse(_("Each criterion's step is above 0 and leads from its minimum to its maximum."))
    if combine not in core_scores.COMBINATIONS or rounding not in core_scores.ROUNDING:
        _refuse(_("Unknown way of combining criteria or of rounding."))
    if core_scores.tie_break_check(tie_breaks, named):
        _refuse(
            _(
                "A tie-break chain names the round's criteria, fewer deductions, and the "
                "organiser's decision last, each once."
            )
        )
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
        combine=combine,
        places=places,
        rounding=rounding,
    )
    round_.full_clean()
    round_.save()
    made = Criterion.objects.bulk_create(
        Criterion(round=round_, name=n.strip(), weight=w, low=lo, high=hi, step=st, position=i)
        for i, (n, w, lo, hi, st) in enumerate(rows)
    )
    if tie_breaks:
        pks = {c.name: str(c.pk) for c in made}
        round_.tie_breaks = [
            ["criterion", pks[rule[1]]] if rule[0] == "criterion" else list(rule)
            for rule in tie_breaks
        ]
        round_.save(update_fields=["tie_breaks"])
    audit_log(
        actor=acting_user,
        action="judging.round.created",
        obj=round_,
        data={
            "contest": contest.slug,
            "name": round_.name,
            "mode": mode,
            "criteria": [[str(v) if isinstance(v, Decimal) else v for v in c] for c in criteria],
            "combine": combine,
            "tie_breaks": round_.tie_breaks,
        },
    )
    return round_
