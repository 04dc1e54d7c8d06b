"""A round's scores through ``core.scores``: its criteria, a judge's values read and checked
against each criterion's range and step, how a score is kept in ``Assignment.scores``, and
the round's standings — each entry's points (its judges' reviews combined as the round says,
less its deductions), as shown (the round's places and rounding rule), and its place, ties
going through the round's tie-break chain and the organiser's recorded decisions.

``Assignment.scores`` maps a criterion's pk (text) to its score: an int where the criterion's
step is whole (every score before decimal steps, so old rows read as they were), else the
decimal as text ("9.35"), never a float. ``score_read`` turns either back into a Decimal.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from laurel.core import ranking as core_ranking
from laurel.core import scores as core_scores
from laurel.judging.models import Criterion, Deduction, Round, TieDecision
from laurel.judging.services._common import JudgingRefused


def criterion_of(criterion: Criterion) -> core_scores.Criterion:
    """A criterion of a round as the scores core takes it, keyed by its pk (as text)."""
    return core_scores.Criterion(
        key=str(criterion.pk),
        name=criterion.name,
        low=_as_decimal(criterion.low),
        high=_as_decimal(criterion.high),
        step=_as_decimal(criterion.step),
        weight=_as_decimal(criterion.weight),
    )


def round_criteria(round: Round) -> list[core_scores.Criterion]:
    """The round's criteria, in order, as the scores core takes them."""
    return [criterion_of(c) for c in round.criteria.all()]


def plain(value: Decimal) -> str:
    """A decimal as a person writes it: 10, 0.05, 9.5 (never 10.00 or 1E+1)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def refusal_text(criterion: core_scores.Criterion) -> str:
    """What a judge is told when a value is not a score on ``criterion``: its name, range and
    (unless it counts in whole points) its step."""
    whole = all(v == v.to_integral_value() for v in (criterion.low, criterion.high))
    if whole and criterion.step == 1:
        return _("%(name)s is scored from %(low)d to %(high)d.") % {
            "name": criterion.name,
            "low": int(criterion.low),
            "high": int(criterion.high),
        }
    return _("%(name)s is scored from %(low)s to %(high)s in steps of %(step)s.") % {
        "name": criterion.name,
        "low": plain(criterion.low),
        "high": plain(criterion.high),
        "step": plain(criterion.step),
    }


class TypedScore(str):
    """A score as the judge typed it in the review form (``review_scores_check`` reads it as
    text; any other text given to a service is refused)."""


def review_scores_parse(round: Round, values: Mapping) -> dict[str, Decimal]:
    """Scores typed by a judge (text such as "9.35" or "９．３５", ints or Decimals), keyed by
    criterion pk, each checked on its criterion; ``JudgingRefused`` names the criterion, its
    range and its step. Only the values given are read (a review is saved as it goes)."""
    return _scores(round, values, text=True)


def review_scores_check(
    round: Round, values: Mapping, *, criteria: list[core_scores.Criterion] | None = None
) -> dict[str, Decimal]:
    """As ``review_scores_parse`` for what a service is given: ints, Decimals or what the
    judge typed (``TypedScore``); other text, floats and booleans are refused, with the same
    sentence. ``criteria``: the round's, when the caller has them already."""
    return _scores(round, values, text=False, criteria=criteria)


def _scores(
    round: Round, values: Mapping, *, text: bool, criteria: list | None = None
) -> dict[str, Decimal]:
    criteria = {c.key: c for c in (criteria if criteria is not None else round_criteria(round))}
    parsed = {}
    for key, value in values.items():
        criterion = criteria.get(str(key))
        if criterion is None:
            raise JudgingRefused(_("Unknown criterion."))
        if isinstance(value, str) and not (text or isinstance(value, TypedScore)):
            raise JudgingRefused(refusal_text(criterion))
        try:
            parsed[criterion.key] = core_scores.score_parse(value, criterion)
        except (core_scores.ScoreRefused, TypeError):
            raise JudgingRefused(refusal_text(criterion)) from None
    return parsed


def score_stored(criterion: core_scores.Criterion, value: Decimal) -> int | str:
    """How ``value`` is kept in ``Assignment.scores``: an int on a whole step, else text."""
    if criterion.step == criterion.step.to_integral_value() and value == int(value):
        return int(value)
    return str(value.quantize(Decimal(1).scaleb(-criterion.places)))


def score_read(stored: int | str) -> Decimal:
    """A score as ``Assignment.scores`` keeps it (an int, or a decimal as text) as a Decimal."""
    if isinstance(stored, bool) or not isinstance(stored, int | str):
        raise TypeError(f"a stored score is an int or text, not {type(stored).__name__}")
    return Decimal(stored)


# --- standings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryStanding:
    """An entry's standing in a round: its exact points, the points shown (rounded by the
    round's rule), its place, the entries it is still tied with (the chain spent) and the
    tie-break rule that set it apart from a tie, if one did."""

    entry_id: int
    points: Decimal
    shown: Decimal
    place: int
    reviews: int
    deducted: Decimal = Decimal(0)
    tied_with: tuple[int, ...] = ()
    decided_by: str | None = None
    criterion_means: Mapping[str, Decimal] = field(default_factory=dict)


def round_standings(
    round: Round, reviews: Iterable[tuple[int, Mapping[str, int | str]]]
) -> list[EntryStanding]:
    """The standings, by place, of the entries with at least one of ``reviews`` — its
    finished reviews as (entry pk, stored scores) pairs, every criterion scored: each
    judge's review combined as the round says (weighted or total), the judges' mean less
    the entry's deductions, ranked on the points as shown, ties through the round's chain
    and its recorded decisions; ties left are kept as ties."""
    criteria = round_criteria(round)
    combined: dict[int, list[Decimal]] = defaultdict(list)
    by_criterion: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for entry_id, stored in reviews:
        values = {key: score_read(value) for key, value in stored.items()}
        combined[entry_id].append(core_scores.review_combine(values, criteria, round.combine))
        for key, value in values.items():
            by_criterion[entry_id][key].append(value)
    taken_off: dict[int, list[core_scores.Deduction]] = defaultdict(list)
    for row in Deduction.objects.filter(round=round, entry_id__in=list(combined)):
        taken_off[row.entry_id].append(core_scores.Deduction(row.points, row.reason))
    standings = {
        entry_id: core_scores.Standing(
            entry=entry_id,
            points=core_scores.entry_points(scores, taken_off[entry_id]),
            criterion_means={
                key: core_scores.entry_points(values)
                for key, values in by_criterion[entry_id].items()
            },
            deducted=core_scores.deducted(taken_off[entry_id]),
        )
        for entry_id, scores in combined.items()
    }
    placed = core_scores.rank_with_ties(
        list(standings.values()),
        [tuple(rule) for rule in round.tie_breaks],
        decisions=tie_decisions(round),
        places=round.places,
        rule=round.rounding,
    )
    return [
        EntryStanding(
            entry_id=p.entry,
            points=standings[p.entry].points,
            shown=core_scores.rounded(standings[p.entry].points, round.places, round.rounding),
            place=p.place,
            reviews=len(combined[p.entry]),
            deducted=standings[p.entry].deducted,
            tied_with=p.tied_with,
            decided_by=p.decided_by,
            criterion_means=standings[p.entry].criterion_means,
        )
        for p in placed
    ]


@dataclass(frozen=True)
class MethodPlace:
    """An entry's place by its round's ranking method: the method's score less the entry's
    deductions (its interval moved with it) and the entries it shares the place with."""

    entry_id: int
    place: int
    score: float
    low: float | None
    high: float | None
    tied_with: tuple[int, ...] = ()


def method_places(
    round: Round, ranked: Iterable[core_ranking.RankedEntry], standings: Iterable[EntryStanding]
) -> list[MethodPlace]:
    """The places of ``ranked`` — the ranking core's entries, by the round's method — with
    the round's tie-break chain instead of the core's last resort (the entry's id).

    By the mean, the place is the standing's: the points as people read them (deductions
    off, rounded by the round's rule), ties through the chain. By another method, the
    method's score less the entry's deductions, then what the core orders on (more reviews,
    a higher mean of the reviews); entries equal on all three go through the chain, and
    entries the chain leaves equal share a place."""
    standing = {s.entry_id: s for s in standings}
    rows = []
    for entry in ranked:
        entry_id = int(entry.entry)
        taken = float(standing[entry_id].deducted)
        low = None if entry.low is None else entry.low - taken
        high = None if entry.high is None else entry.high - taken
        rows.append((entry_id, entry.score - taken, low, high, entry.reviews))
    if round.method == "mean":
        placed = [(s.entry_id, s.place, s.tied_with) for s in standing.values()]
    else:

        def key(row):
            kept = standing[row[0]]
            return (-_settled(row[1]), -row[4], -(kept.points + kept.deducted))

        groups = [  # the core's order among equals kept
            [_core_standing(standing[row[0]]) for row in run]
            for run in core_scores.equal_runs(rows, key)
        ]
        placed = [
            (p.entry, p.place, p.tied_with)
            for p in core_scores.places_in_order(
                groups,
                [tuple(rule) for rule in round.tie_breaks],
                decisions=tie_decisions(round),
                places=round.places,
                rule=round.rounding,
            )
        ]
    by_entry = {row[0]: row for row in rows}
    return [
        MethodPlace(entry_id, place, *by_entry[entry_id][1:4], tied_with=tuple(tied_with))
        for entry_id, place, tied_with in placed
        if entry_id in by_entry
    ]


def _settled(score: float) -> float:
    """A method's score with the last bits of floating point gone (7.299999999999999 is
    7.3), as the core compares them."""
    return round(score, 9)


def _core_standing(standing: EntryStanding) -> core_scores.Standing:
    return core_scores.Standing(
        entry=standing.entry_id,
        points=standing.points,
        criterion_means=standing.criterion_means,
        deducted=standing.deducted,
    )


def tie_decisions(round: Round) -> list[core_scores.Decision]:
    """The organiser's recorded orders of tied entries, oldest first (the latest counts)."""
    return [
        core_scores.Decision(tuple(row.entries), row.reason)
        for row in TieDecision.objects.filter(round=round).order_by("decided_at", "pk")
    ]


def tie_break_problems(round: Round, chain: Iterable) -> list[str]:
    """What makes ``chain`` unusable for ``round`` (``core.scores.tie_break_check`` codes)."""
    return core_scores.tie_break_check([tuple(rule) for rule in chain], round_criteria(round))


def _as_decimal(value) -> Decimal:
    """A model's number as a Decimal: ints (weights, and bounds kept as whole numbers) too."""
    return value if isinstance(value, Decimal) else Decimal(value)
