"""Reads of judging rounds that several pages and the services share: the entries a round
judges, its live reviews and their counts (assigned, done), a judge's rounds with their
progress, the organiser's open rounds with the judges behind the even pace of the round,
where each judge works (their own units, for conflicts), and whether a round's design lets
every entry be compared with every other (``round_design``)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from laurel.accounts.models import Role, RoleGrant
from laurel.contests.models import Entry
from laurel.core import assignment as core_assignment
from laurel.core import design as core_design
from laurel.judging import policy
from laurel.judging.models import Assignment, Result, Round, Seat
from laurel.members.models import Member
from laurel.orgs.models import Unit

# where a round without a deadline sorts among those with one: after them
_NO_DEADLINE = datetime.datetime.max.replace(tzinfo=datetime.UTC)

# the entry states a round judges (not withdrawn or disqualified)
JUDGED_STATES = (Entry.State.ACCEPTED, Entry.State.QUALIFIED, Entry.State.AWARDED)


def round_entries(round: Round):
    """The entries this round judges, by its ``entrants`` rule."""
    entries = Entry.objects.filter(contest_id=round.contest_id, state__in=JUDGED_STATES)
    if round.entrants == Round.Entrants.PASSED:
        passed = Result.objects.filter(round_id=round.previous_id, advanced=True)
        entries = entries.filter(pk__in=passed.values("entry_id"))
    elif round.entrants == Round.Entrants.TOP:
        best = Result.objects.filter(round_id=round.previous_id, rank__lte=round.top)
        entries = entries.filter(pk__in=best.values("entry_id"))
    return entries


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def window_gone(round: Round, now: datetime.datetime) -> float:
    """The share of the round's window (opening to deadline) gone at ``now``, 0 to 1; none
    for a round without a deadline (it ends when its last entry is confirmed: no pace)."""
    if round.deadline is None:
        return 0.0
    started = round.opened_at or now
    window = max((round.deadline - started).total_seconds(), 1)
    return min(max((now - started).total_seconds() / window, 0), 1)


def behind_pace(*, done: int, assigned: int, gone: float) -> bool:
    """A judge is behind when they have done a smaller share than the share of time gone
    (half a review of slack)."""
    return done < gone * assigned - 0.5


_COUNTS = {
    "assigned": Count("pk"),
    "done": Count("pk", filter=Q(state=Assignment.State.DONE)),
}


def live_reviews(**where) -> QuerySet[Assignment]:
    """The reviews not withdrawn, of ``where`` (``round=…``, ``round__in=…``)."""
    return Assignment.objects.filter(**where).exclude(state=Assignment.State.WITHDRAWN)


def work_counts(reviews: QuerySet[Assignment], *by: str) -> QuerySet:
    """``reviews`` counted by ``by`` (``"round_id"``, ``"judge_id"``, …): rows of those
    fields with ``assigned`` and ``done``; one query."""
    return reviews.order_by().values(*by).annotate(**_COUNTS)


def judge_rounds_progress(access, *, open_only: bool = False) -> list[tuple[Round, Progress]]:
    """The judge's rounds (open first, by deadline, those without one last) with their own
    reviews done / assigned; two queries."""
    counts = {
        row["round_id"]: row for row in work_counts(policy.assignments_of(access), "round_id")
    }
    rounds = policy.judge_rounds(access).select_related("contest")
    if open_only:
        rounds = rounds.filter(state=Round.State.OPEN)
    shown = []
    for round_ in rounds:
        row = counts.get(round_.pk, {"assigned": 0, "done": 0})
        shown.append((round_, Progress(row["done"], row["assigned"])))
    shown.sort(
        key=lambda item: (item[0].state != Round.State.OPEN, item[0].deadline or _NO_DEADLINE)
    )
    return shown


@dataclass
class RoundPace:
    round: Round
    progress: Progress
    judges_behind: int


def open_rounds_pace(access, now: datetime.datetime | None = None) -> list[RoundPace]:
    """The open rounds this organiser sees, by deadline (none last), each with its reviews done /
    assigned and how many judges are behind its even pace; two queries whatever the number
    of rounds and judges."""
    now = now or timezone.now()
    rounds = list(
        policy.rounds_visible(access)
        .filter(state=Round.State.OPEN)
        .select_related("contest")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )
    per_judge = work_counts(live_reviews(round__in=[r.pk for r in rounds]), "round_id", "judge_id")
    by_round: dict[int, list[dict]] = {}
    for row in per_judge:
        by_round.setdefault(row["round_id"], []).append(row)
    paces = []
    for round_ in rounds:
        rows = by_round.get(round_.pk, [])
        gone = window_gone(round_, now)
        paces.append(
            RoundPace(
                round_,
                Progress(sum(r["done"] for r in rows), sum(r["assigned"] for r in rows)),
                sum(
                    1
                    for r in rows
                    if behind_pace(done=r["done"], assigned=r["assigned"], gone=gone)
                ),
            )
        )
    return paces


def judge_own_units(judge_ids) -> dict[int, list[Unit]]:
    """Where each judge works, for conflicts: the units of their judge role, or failing that
    the unit of their member record; judges with neither are absent. The top of the unit
    tree is never one: every entry lies below it, so it would leave them nothing to judge.
    Two queries."""
    judge_ids = list(judge_ids)
    found: dict[int, list[Unit]] = {}
    grants = (
        RoleGrant.objects.filter(
            role=Role.JUDGE, user_id__in=judge_ids, unit__isnull=False, unit__parent__isnull=False
        )
        .select_related("unit")
        .order_by("pk")
    )
    for grant in grants:
        found.setdefault(grant.user_id, []).append(grant.unit)
    members = Member.objects.filter(user_id__in=judge_ids, unit__parent__isnull=False)
    for member in members.exclude(user_id__in=list(found)).select_related("unit"):
        found[member.user_id] = [member.unit]
    return found


def judges_within_unit(judges, unit: Unit):
    """The judges of ``judges`` whose own unit (judge role or member record) lies within
    ``unit``'s subtree."""
    return judges.filter(
        Q(grants__role=Role.JUDGE, grants__unit__path__startswith=unit.path)
        | Q(member__unit__path__startswith=unit.path)
    ).distinct()


@dataclass(frozen=True)
class DesignPartShown:
    """A part of a round's design as the organiser reads it: its entries and judges counted,
    its categories by name."""

    entries: int
    judges: int
    categories: list[str]


@dataclass(frozen=True)
class RoundDesign:
    connected: bool
    reviews: int
    bridging: int
    parts: list[DesignPartShown]


def round_design(round: Round, *, done_only: bool = False) -> RoundDesign | None:
    """Whether the round's reviews (live ones, or only those done: after the fact) join every
    entry to every other through shared judges, the reviews that bridge categories, and the
    parts that share no judge; None before any review is assigned."""
    reviews = live_reviews(round=round)
    if done_only:
        reviews = reviews.filter(state=Assignment.State.DONE)
    rows = list(reviews.values_list("entry_id", "judge_id", "entry__category__name"))
    if not rows:
        return None
    pairs = [(str(entry), str(judge)) for entry, judge, _category in rows]
    entries = {
        str(entry): core_assignment.Entry(str(entry), category or "")
        for entry, _judge, category in rows
    }
    categories_of: dict[int, set[str]] = {}
    for judge_id, category in Seat.objects.filter(round=round).values_list(
        "judge_id", "categories__name"
    ):
        categories_of.setdefault(judge_id, set()).update([category] if category else [])
    judges = [
        core_assignment.Judge(str(pk), frozenset(categories))
        for pk, categories in categories_of.items()
    ]
    design = core_design.design_check(pairs, entries=entries.values(), judges=judges)
    return RoundDesign(
        connected=design.connected,
        reviews=design.reviews,
        bridging=design.bridging,
        parts=[
            DesignPartShown(
                entries=len(part.entries), judges=len(part.judges), categories=list(part.categories)
            )
            for part in design.parts
        ],
    )
