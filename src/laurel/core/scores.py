"""Scores as people read them: decimal values on a criterion's step, how one judge's
criteria combine, deductions, rounding, and tie-break chains. Pure Python, all ``Decimal``.

A *criterion* has a range [low, high] and a step: a score is ``low + k·step`` inside the
range (9.35 on a 0.05 step; 9.37 is off it). Floats are refused everywhere (TypeError): a
person-visible value never passes through one.

What a judge types (``score_parse``) is read after folding full-width characters (NFKC:
``９．３５`` is 9.35) and surrounding spaces, with the ideographic full stop ``。`` (a Chinese
IME's ``.``) read as the decimal point. Only plain decimals are read: no exponent, no NaN, and
no comma — ``9,35`` could be 9.35 or 935, so it is refused, never guessed.

One judge's review combines its criteria (``review_combine``) as a weighted average (Σ s·w /
Σ w) or a total (Σ s: 40 + 30 + 20 + 10 = 100). An entry's points (``entry_points``) are the
mean of its judges' combined scores, the highest and lowest dropped if asked (the rule of
``core.ranking.trimmed_kept``), less its deductions; nothing is rounded until ``rounded``.
Arithmetic runs in its own context (40 significant digits), whatever the caller's.

Ranking (``rank_with_ties``) compares the points people read, i.e. rounded by the round's
rule: two entries both shown as 9.13 are tied. Each tied group goes through the round's
chain, rule by rule: ``("criterion", key)`` (the higher mean on that criterion, also as
shown), ``("fewer_deductions",)``, ``("decision",)`` (an organiser's recorded order for
exactly that group, with a reason). Entries still equal after the chain share a place
(1, 2, 2, 4) and name each other in ``tied_with``: a tie is never broken silently.
"""

import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    localcontext,
)

COMBINATIONS = ("weighted", "total")
ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}
TIE_BREAKS = ("criterion", "fewer_deductions", "decision")
REFUSALS = ("not_a_number", "out_of_range", "off_step")

_CONTEXT = Context(prec=40, rounding=ROUND_HALF_EVEN)
_PLAIN_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _decimal(value, what: str) -> Decimal:
    """An int or Decimal as a Decimal; floats and bools are a caller's bug."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise TypeError(f"{what} must be an int or a Decimal, not {type(value).__name__}")


def _places(value: Decimal) -> int:
    """Decimal places that carry a non-zero digit (9.350 → 2, 10 → 0)."""
    _, digits, exponent = value.as_tuple()
    significant = "".join(map(str, digits)).rstrip("0")
    if not isinstance(exponent, int) or exponent >= 0 or not significant:
        return 0
    return max(0, -exponent - (len(digits) - len(significant)))


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    low: Decimal
    high: Decimal
    step: Decimal
    weight: Decimal = Decimal(1)

    def __post_init__(self):
        for field in ("low", "high", "step", "weight"):
            object.__setattr__(self, field, _decimal(getattr(self, field), field))

    @property
    def places(self) -> int:
        """The decimal places a score on this criterion has (0.05 step: 2)."""
        return max(_places(self.low), _places(self.step))


class ScoreRefused(ValueError):
    """A value that is not a score on ``criterion``; ``code`` is one of ``REFUSALS``."""

    def __init__(self, criterion: Criterion, code: str):
        super().__init__(f"{criterion.key}: {code}")
        self.criterion, self.code = criterion, code


def score_parse(value, criterion: Criterion) -> Decimal:
    """A score from an int, a Decimal or typed text, at the criterion's places (9.350 on a
    0.05 step: 9.35); raises ``ScoreRefused`` when it is not one, TypeError for a float."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace("。", ".")
        if not _PLAIN_DECIMAL.fullmatch(text):
            raise ScoreRefused(criterion, "not_a_number")
        value = Decimal(text)
    value = _decimal(value, "a score")
    if not value.is_finite():
        raise ScoreRefused(criterion, "not_a_number")
    if not criterion.low <= value <= criterion.high:
        raise ScoreRefused(criterion, "out_of_range")
    # More places than the step allows is off it, before any arithmetic could round them.
    with localcontext(_CONTEXT):
        if _places(value) > criterion.places or (value - criterion.low) % criterion.step:
            raise ScoreRefused(criterion, "off_step")
        return value.quantize(Decimal(1).scaleb(-criterion.places))


def criterion_problems(criterion: Criterion) -> list[str]:
    """What makes one criterion unusable, as codes."""
    c = criterion
    if not all(x.is_finite() for x in (c.low, c.high, c.step, c.weight)):
        return ["not_a_number"]
    problems = []
    if c.low >= c.high:
        problems.append("low_not_below_high")
    if c.step <= 0:
        problems.append("step_not_positive")
    elif c.low < c.high:
        with localcontext(_CONTEXT):
            if (c.high - c.low) % c.step:
                problems.append("range_off_step")  # high itself could not be given
    if c.weight <= 0:
        problems.append("weight_not_positive")
    return problems


def criteria_check(criteria: Sequence[Criterion]) -> list[str]:
    """What makes a round's criteria unusable, as codes (each once)."""
    problems = [] if criteria else ["no_criteria"]
    if len({c.key for c in criteria}) < len(criteria):
        problems.append("key_repeated")
    for criterion in criteria:
        problems += [p for p in criterion_problems(criterion) if p not in problems]
    return problems


def review_combine(
    scores: Mapping[str, Decimal], criteria: Sequence[Criterion], how: str = "weighted"
) -> Decimal:
    """One judge's score from their criterion scores: ``weighted`` (Σ s·w / Σ w) or
    ``total`` (Σ s). Every criterion is required; a score for none is refused."""
    if how not in COMBINATIONS:
        raise ValueError(f"unknown combination: {how}")
    keys = [c.key for c in criteria]
    missing = [k for k in keys if k not in scores]
    unknown = [k for k in scores if k not in keys]
    if missing or unknown:
        raise ValueError(f"missing criteria: {missing}; unknown criteria: {unknown}")
    values = {k: _decimal(v, f"the score for {k}") for k, v in scores.items()}
    with localcontext(_CONTEXT):
        if how == "total":
            return sum((values[c.key] for c in criteria), Decimal(0))
        weights = sum((c.weight for c in criteria), Decimal(0))
        if weights <= 0:
            raise ValueError("the weights must add up to more than 0")
        return sum((values[c.key] * c.weight for c in criteria), Decimal(0)) / weights


def total_maximum(criteria: Sequence[Criterion]) -> Decimal:
    """The most a review combined as a total can reach (the criteria's maxima added up)."""
    return sum((c.high for c in criteria), Decimal(0))


@dataclass(frozen=True)
class Deduction:
    points: Decimal
    reason: str

    def __post_init__(self):
        object.__setattr__(self, "points", _decimal(self.points, "a deduction"))
        if not (self.points.is_finite() and self.points > 0):
            raise ValueError("a deduction takes off more than 0 points")
        if not self.reason.strip():
            raise ValueError("a deduction needs a reason")


def deducted(deductions: Iterable[Deduction]) -> Decimal:
    return sum((d.points for d in deductions), Decimal(0))


def kept(scores: Sequence[Decimal], drop_extremes: int = 1) -> list[Decimal]:
    """The scores left after dropping ``k`` highest and ``k`` lowest, k the largest ≤
    ``drop_extremes`` leaving at least one in the middle; none dropped from fewer than 3
    (the rule of ``core.ranking.trimmed_kept``)."""
    ordered = sorted(scores)
    k = min(drop_extremes, (len(ordered) - 1) // 2) if len(ordered) >= 3 else 0
    return ordered[k : len(ordered) - k]


def entry_points(
    review_scores: Sequence[Decimal], deductions: Iterable[Deduction] = (), *, drop_extremes=0
) -> Decimal:
    """The mean of the judges' combined scores (extremes dropped as ``kept`` says), less the
    deductions. Not rounded; it may fall below zero."""
    if not review_scores:
        raise ValueError("no scores")
    scores = kept([_decimal(s, "a review's score") for s in review_scores], drop_extremes)
    with localcontext(_CONTEXT):
        return sum(scores, Decimal(0)) / len(scores) - deducted(deductions)


def rounded(value: Decimal, places: int = 2, rule: str = "half_up") -> Decimal:
    """What a person reads: ``value`` to ``places`` decimals by ``rule`` (``half_up``: 8.125
    → 8.13; ``half_even``: 8.125 → 8.12; ``down``: towards zero)."""
    if rule not in ROUNDING:
        raise ValueError(f"unknown rounding rule: {rule}")
    with localcontext(_CONTEXT):
        return _decimal(value, "a value").quantize(
            Decimal(1).scaleb(-places), rounding=ROUNDING[rule]
        )


# --- ties ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """The organiser's order for a group of tied entries, with the reason recorded."""

    order: tuple
    reason: str

    def __post_init__(self):
        object.__setattr__(self, "order", tuple(self.order))
        if len(set(self.order)) != len(self.order) or len(self.order) < 2:
            raise ValueError("a decision orders two or more entries, each once")
        if not self.reason.strip():
            raise ValueError("a decision needs a reason")


@dataclass(frozen=True)
class Standing:
    entry: Hashable
    points: Decimal  # exact, as entry_points gives them
    criterion_means: Mapping[str, Decimal]
    deducted: Decimal = Decimal(0)


@dataclass(frozen=True)
class Placed:
    entry: Hashable
    place: int
    tied_with: tuple = ()  # the entries sharing this place, the chain spent
    decided_by: str | None = None  # the rule that set it apart from its tie, if it had one


def tie_break_check(chain: Sequence[Sequence[str]], criteria: Sequence[Criterion]) -> list[str]:
    """What makes a tie-break chain unusable, as codes (each once)."""
    problems: list[str] = []
    keys = {c.key for c in criteria}
    seen = set()
    for position, rule in enumerate(map(tuple, chain)):
        if not rule or rule[0] not in TIE_BREAKS:
            code = "unknown_rule"
        elif rule[0] == "criterion" and (len(rule) != 2 or rule[1] not in keys):
            code = "unknown_criterion"
        elif rule[0] != "criterion" and len(rule) != 1:
            code = "unknown_rule"
        elif rule in seen:
            code = "rule_repeated"
        elif rule[0] == "decision" and position != len(chain) - 1:
            code = "decision_not_last"  # the organiser decides last, after what data settles
        else:
            code = None
        seen.add(rule)
        if code and code not in problems:
            problems.append(code)
    return problems


def rule_name(rule: Sequence[str]) -> str:
    """A rule as ``Placed.decided_by`` names it: ``criterion:动作规范``, ``fewer_deductions``."""
    return ":".join(rule)


def rank_with_ties(
    standings: Sequence[Standing],
    chain: Sequence[Sequence[str]] = (),
    *,
    decisions: Sequence[Decision] = (),
    places: int = 2,
    rule: str = "half_up",
) -> list[Placed]:
    """Places by points as shown (``rounded(points, places, rule)``), ties through ``chain``;
    entries still tied share a place and are listed in the order given."""
    if len({s.entry for s in standings}) < len(standings):
        raise ValueError("an entry is listed twice")

    def shown(value: Decimal) -> Decimal:
        return rounded(value, places, rule)

    return places_in_order(
        equal_runs(list(standings), lambda s: -shown(s.points)),
        chain,
        decisions=decisions,
        places=places,
        rule=rule,
    )


def places_in_order(
    groups: Sequence[Sequence[Standing]],
    chain: Sequence[Sequence[str]] = (),
    *,
    decisions: Sequence[Decision] = (),
    places: int = 2,
    rule: str = "half_up",
) -> list[Placed]:
    """Places for standings already in order, as ``groups`` of entries equal on what orders
    them (the points as shown, or a ranking method's score): each group of two or more goes
    through ``chain``; entries still tied share a place, listed in the order given."""
    for r in chain:
        if not r or r[0] not in TIE_BREAKS:
            raise ValueError(f"unknown tie-break rule: {r}")

    def shown(value: Decimal) -> Decimal:
        return rounded(value, places, rule)

    def split(group: list[Standing], r: tuple) -> list[list[Standing]]:
        """The group in order by one rule, as subgroups still equal under it."""
        if r[0] == "criterion":
            return equal_runs(group, lambda s: -shown(s.criterion_means[r[1]]))
        if r[0] == "fewer_deductions":
            return equal_runs(group, lambda s: s.deducted)
        members = {s.entry for s in group}
        found = [d for d in decisions if set(d.order) == members]
        if not found:
            return [group]
        order = found[-1].order  # the latest decision for exactly this group
        return [[s] for s in sorted(group, key=lambda s: order.index(s.entry))]

    def resolve(group, rest, decided_by):
        if len(group) == 1 or not rest:
            return [(group, decided_by if len(group) == 1 else None)]
        parts = split(group, tuple(rest[0]))
        if len(parts) == 1:
            return resolve(group, rest[1:], decided_by)
        name = rule_name(rest[0])
        return [out for part in parts for out in resolve(part, rest[1:], name)]

    placed: list[Placed] = []
    for group in groups:
        for part, decided_by in resolve(list(group), list(chain), None):
            place = len(placed) + 1
            entries = tuple(s.entry for s in part)
            for s in part:
                others = tuple(e for e in entries if e != s.entry)
                placed.append(Placed(s.entry, place, others, decided_by))
    return placed


def equal_runs(items: list, key) -> list[list]:
    """Items sorted by ``key`` (stable: equal items keep their order), as runs of equal
    keys — the groups ``places_in_order`` takes."""
    runs: list[list] = []
    previous = object()
    for item in sorted(items, key=key):
        k = key(item)
        if runs and k == previous:
            runs[-1].append(item)
        else:
            runs.append([item])
        previous = k
    return runs
