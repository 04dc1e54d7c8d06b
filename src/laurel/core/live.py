"""A live round's arithmetic (广播体操比赛: a panel scores each team as it performs): one team's
final score from its judges' scores, and the running order drawn by lot. Pure Python, all
``Decimal``; the round (``judging``) and ``laurel live`` call the same functions.

**The panel's score.** Each judge gives one number for the team: their criteria added up (or
weighted, ``core.scores.review_combine``), or one overall score. With ``drop`` = N, the N
highest and the N lowest are struck when at least 2N + 1 judges scored; with fewer, none is
struck and the score is the plain mean (``LiveScore.dropped`` is False: say so). A judge who
sat the team out (回避) is simply not among the scores. Of equal scores, the one struck is
the judge first in the panel's order for the lowest and last for the highest, so the score
sheet strikes the same cells every time. A round may instead drop per criterion
(``panel_score_per_criterion``): each criterion's column is trimmed the same way and the
criteria's means are combined.

The kept scores' mean, less the deductions (each absentee −0.5, overtime −1), is rounded
once, at the end, half up, to the round's places (``core.scores.rounded``): 9.21666… → 9.22,
and 8.125 → 8.13 where a float (8.124999…) would give 8.12. With a tolerance, kept scores
spread wider than it (highest − lowest) are flagged for the head judge before confirming.

**The running order by lot (抽签).** ``running_order(labels, seed)``: each team's label (its
entry number, as published) is given the key SHA-256(seed, a line feed, the label), in UTF-8,
as hexadecimal; the teams run in the order of their keys, lowest first (ties of key, which
SHA-256 makes practically impossible, by label). Anyone with the seed and the list of labels
recomputes the order with any SHA-256 tool, e.g.
``printf '%s\\n%s' "$SEED" "$LABEL" | sha256sum`` for each label, then sorting.
"""

import hashlib
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext

from laurel.core.scores import rounded

_CONTEXT = Context(prec=40)
DROP_CHOICES = (0, 1, 2)


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise TypeError(f"a score must be an int or a Decimal, not {type(value).__name__}")


@dataclass(frozen=True)
class LiveScore:
    """One team's score: ``score`` rounded (what is announced) and ``exact`` before rounding;
    ``kept`` and ``struck`` (judge → score, each in the panel's order); ``dropped`` whether
    the extremes were struck (False: too few scores, the plain mean); ``spread`` of the kept
    scores and ``tolerance_exceeded``; ``deductions`` their sum."""

    score: Decimal
    exact: Decimal
    kept: dict
    struck: dict
    dropped: bool
    spread: Decimal
    tolerance_exceeded: bool
    deductions: Decimal


def struck_judges(scores: Mapping[Hashable, Decimal], drop: int) -> tuple[set, bool]:
    """The judges whose scores are struck: the ``drop`` lowest and ``drop`` highest when at
    least 2·drop + 1 scored, else none (and False). Equal scores: the lowest struck are the
    first in ``scores``' order, the highest struck the last."""
    if drop not in DROP_CHOICES:
        raise ValueError(f"drop 0, 1 or 2, not {drop}")
    if drop == 0 or len(scores) < 2 * drop + 1:
        return set(), False
    order = {judge: index for index, judge in enumerate(scores)}
    ascending = sorted(scores, key=lambda judge: (scores[judge], order[judge]))
    descending = sorted(scores, key=lambda judge: (-scores[judge], -order[judge]))
    return set(ascending[:drop]) | set(descending[:drop]), True


def _mean(values: Iterable[Decimal]) -> Decimal:
    values = list(values)
    with localcontext(_CONTEXT):
        return sum(values, Decimal(0)) / len(values)


def panel_score(
    scores: Mapping[Hashable, Decimal],
    *,
    drop: int = 1,
    places: int = 2,
    tolerance: Decimal | None = None,
    deductions: Sequence[Decimal] = (),
) -> LiveScore:
    """The team's score from its judges' scores (judge → one number, in the panel's order)."""
    if not scores:
        raise ValueError("no scores")
    scores = {judge: _decimal(value) for judge, value in scores.items()}
    struck, dropped = struck_judges(scores, drop)
    kept = {judge: value for judge, value in scores.items() if judge not in struck}
    taken_off = _deductions_sum(deductions)
    with localcontext(_CONTEXT):
        exact = _mean(kept.values()) - taken_off
        spread = max(kept.values()) - min(kept.values())
    return LiveScore(
        score=rounded(exact, places, "half_up"),
        exact=exact,
        kept=kept,
        struck={judge: value for judge, value in scores.items() if judge in struck},
        dropped=dropped,
        spread=spread,
        tolerance_exceeded=tolerance is not None and spread > _decimal(tolerance),
        deductions=taken_off,
    )


def panel_score_per_criterion(
    scores: Mapping[Hashable, Mapping[Hashable, Decimal]],
    *,
    weights: Mapping[Hashable, Decimal] | None = None,
    drop: int = 1,
    places: int = 2,
    deductions: Sequence[Decimal] = (),
) -> tuple[Decimal, dict[Hashable, LiveScore]]:
    """The team's score when each criterion is trimmed on its own: judge → criterion →
    score. Each criterion's column gives its mean (its extremes struck as ``panel_score``
    strikes them), the means are added up (or weighted: Σ m·w / Σ w), the deductions taken
    off, and the result rounded once. Returns the score and each criterion's column."""
    if not scores:
        raise ValueError("no scores")
    criteria = list(next(iter(scores.values())))
    columns = {}
    for criterion in criteria:
        column = {judge: given[criterion] for judge, given in scores.items()}
        columns[criterion] = panel_score(column, drop=drop, places=places)
    with localcontext(_CONTEXT):
        means = {criterion: column.exact for criterion, column in columns.items()}
        if weights is None:
            combined = sum(means.values(), Decimal(0))
        else:
            weight = {c: _decimal(weights[c]) for c in criteria}
            combined = sum((means[c] * weight[c] for c in criteria), Decimal(0)) / sum(
                weight.values(), Decimal(0)
            )
        exact = combined - _deductions_sum(deductions)
    return rounded(exact, places, "half_up"), columns


def _deductions_sum(deductions: Sequence[Decimal]) -> Decimal:
    total = Decimal(0)
    for deduction in deductions:
        amount = _decimal(deduction)
        if not (amount.is_finite() and amount > 0):
            raise ValueError("a deduction takes off more than 0 points")
        total += amount
    return total


def draw_key(seed: str, label: str) -> str:
    """A team's key in the draw: SHA-256 of the seed, a line feed and its label (UTF-8)."""
    return hashlib.sha256(f"{seed}\n{label}".encode()).hexdigest()


def running_order(labels: Iterable[str], seed: str) -> list[str]:
    """The teams' labels in the running order the seed draws (see the module's text)."""
    labels = list(labels)
    if len(set(labels)) != len(labels):
        raise ValueError("each team's label must be its own")
    return sorted(labels, key=lambda label: (draw_key(seed, label), label))
