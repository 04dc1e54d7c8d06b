"""Who reviews what: every entry assigned to its judges by the judging core's min-cost flow,
work moved by hand or when a judge declares a conflict or drops out (and then what the
round's mode adds: qualifying's extra judge who settles a disagreement)."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.contests.models import Entry
from laurel.core import assignment as core_assignment
from laurel.judging import modes, selectors
from laurel.judging.models import Assignment, Round, Seat
from laurel.judging.services._common import _organiser_check, _refuse, _round_lock


def _problem(round: Round, per_entry: int | None = None) -> core_assignment.AssignmentProblem:
    """The round as the judging core sees it: ids as strings, units as paths, categories by
    their names (what the core's refusals name)."""
    entries = list(
        selectors.round_entries(round).select_related("unit", "category").order_by("number")
    )
    seats = list(
        Seat.objects.filter(round=round)
        .select_related("unit")
        .prefetch_related("categories", "conflict_units")
    )
    # Judges who left keep their finished reviews: those count towards K, nothing is added.
    kept = Counter(
        Assignment.objects.filter(round=round, judge_id__in=[s.judge_id for s in seats])
        .exclude(state=Assignment.State.WITHDRAWN)
        .values_list("judge_id", flat=True)
    )
    seats = [seat for seat in seats if seat.active or kept[seat.judge_id]]
    conflicts = set()
    for seat in seats:
        paths = [u.path for u in seat.conflict_units.all()]
        for entry in entries:
            if any(core_assignment.units_conflict(path, entry.unit.path) for path in paths):
                conflicts.add((str(seat.judge_id), str(entry.pk)))
    declared = Assignment.objects.filter(round=round, withdrawn_reason="conflict")
    conflicts |= {(str(j), str(e)) for j, e in declared.values_list("judge_id", "entry_id")}
    return core_assignment.AssignmentProblem(
        entries=[
            core_assignment.Entry(
                str(e.pk), category=e.category.name if e.category else "", unit=e.unit.path
            )
            for e in entries
        ],
        judges=[
            core_assignment.Judge(
                str(seat.judge_id),
                categories=frozenset(c.name for c in seat.categories.all()),
                unit=seat.unit.path if seat.unit else "",
                max_load=seat.cap if seat.active else kept[seat.judge_id],
            )
            for seat in seats
        ],
        per_entry=per_entry or round.per_entry,
        conflicts=conflicts,
        bridges=round.bridges,
    )


def _live_pairs(round: Round) -> list[tuple[str, str]]:
    live = selectors.live_reviews(round=round)
    return [(str(e), str(j)) for e, j in live.values_list("entry_id", "judge_id")]


def _assignments_write(round: Round, pairs: Sequence[tuple[str, str]]) -> list[Assignment]:
    """Create the (entry, judge) pairs not yet live, each judge's new work after their old."""
    live = set(_live_pairs(round))
    last = Counter(
        dict(
            Assignment.objects.filter(round=round)
            .values_list("judge_id")
            .annotate(n=Count("pk"))
            .values_list("judge_id", "n")
        )
    )
    created = []
    for entry_id, judge_id in pairs:
        if (entry_id, judge_id) in live:
            continue
        judge = int(judge_id)
        created.append(
            Assignment(round=round, entry_id=int(entry_id), judge_id=judge, position=last[judge])
        )
        last[judge] += 1
    # a pair withdrawn earlier and chosen again comes back rather than being added twice
    withdrawn = {
        (a.entry_id, a.judge_id): a
        for a in Assignment.objects.filter(round=round, state=Assignment.State.WITHDRAWN)
    }
    fresh, revived = [], []
    for assignment in created:
        old = withdrawn.get((assignment.entry_id, assignment.judge_id))
        if old is None:
            fresh.append(assignment)
        else:
            old.state, old.withdrawn_reason = Assignment.State.OPEN, ""
            revived.append(old)
    Assignment.objects.bulk_create(fresh, batch_size=1000)
    Assignment.objects.bulk_update(revived, ["state", "withdrawn_reason"])
    return fresh + revived


def _infeasible(error: core_assignment.InfeasibleAssignment) -> None:
    _refuse(" ".join(shortfall.message for shortfall in error.shortfalls))


@transaction.atomic
def assignment_solve(
    *, acting_user, round: Round, seed: int = 0, bridges: int | None = None
) -> int:
    """Assign every entry of a planned round to ``per_entry`` judges: unit conflicts,
    categories and caps respected, loads as even as they can be, and with ``bridges`` (kept
    as the round's; unchanged when ``None``) judges of every category panel also reviewing
    another category so that every entry can be compared with every other. Replaces any
    earlier plan. Returns how many assignments were made."""
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    if round.state != Round.State.PLANNED:
        _refuse(_("Work is assigned before the round opens; after, it moves one by one."))
    if bridges is not None and bridges != round.bridges:
        if bridges < 0:
            _refuse(_("Say how many judges of each category bridge: 0 or more."))
        round.bridges = bridges
        round.save(update_fields=["bridges"])
    Assignment.objects.filter(round=round).delete()
    problem = _problem(round)
    if not problem.entries:
        _refuse(_("This round has no entries to judge."))
    try:
        solved = core_assignment.assign(problem, seed=seed)
    except core_assignment.InfeasibleAssignment as error:
        _infeasible(error)
    created = _assignments_write(round, solved.pairs)
    audit_log(
        actor=acting_user,
        action="judging.assignment.solved",
        obj=round,
        data={
            "assignments": len(created),
            "judges": len(problem.judges),
            "entries": len(problem.entries),
            "bridges": round.bridges,
            "seconds": round_seconds(solved.seconds),
        },
    )
    return len(created)


def round_seconds(seconds: float) -> float:
    return float(f"{seconds:.3f}")


@dataclass
class AssignmentSummary:
    entries: int = 0
    needed: int = 0  # reviews: entries × per entry
    loads: dict = field(default_factory=dict)  # judge → assignments
    categories: list = field(default_factory=list)  # (category, entries, reviews, judges)
    short: list = field(default_factory=list)  # entries with fewer than per_entry judges


def assignment_summary(round: Round) -> AssignmentSummary:
    """What the organiser checks before a round goes live."""
    entries = list(selectors.round_entries(round).select_related("category"))
    live = selectors.live_reviews(round=round)
    per_entry = Counter(live.values_list("entry_id", flat=True))
    summary = AssignmentSummary(entries=len(entries), needed=len(entries) * round.per_entry)
    summary.loads = dict(Counter(live.values_list("judge__username", flat=True)))
    by_category = defaultdict(lambda: [0, 0, set()])
    for category, judge in live.values_list("entry__category__name", "judge_id"):
        by_category[category][1] += 1
        by_category[category][2].add(judge)
    for entry in entries:
        by_category[entry.category.name][0] += 1
        if per_entry[entry.pk] < round.per_entry:
            summary.short.append(entry)
    summary.categories = [
        (name, counts[0], counts[1], len(counts[2])) for name, counts in by_category.items()
    ]
    return summary


def _seat_of(round: Round, judge_id: int) -> Seat | None:
    return (
        Seat.objects.filter(round=round, judge_id=judge_id, active=True)
        .select_related("unit")
        .prefetch_related("categories", "conflict_units")
        .first()
    )


def _may_take(round: Round, seat: Seat | None, entry: Entry) -> str:
    """Why ``seat`` may not review ``entry`` (empty: it may)."""
    if seat is None:
        return _("This judge is not on the panel.")
    categories = {c.pk for c in seat.categories.all()}
    if categories and entry.category_id not in categories:
        return _("This judge does not judge the entry's category.")
    paths = [u.path for u in seat.conflict_units.all()] + ([seat.unit.path] if seat.unit else [])
    if any(core_assignment.units_conflict(path, entry.unit.path) for path in paths):
        return _("This judge has a conflict with the entry's unit.")
    pairs = Assignment.objects.filter(round=round, judge_id=seat.judge_id)
    if pairs.filter(entry=entry, withdrawn_reason="conflict").exists():
        return _("This judge declared a conflict with this entry.")
    if pairs.filter(entry=entry).exclude(state=Assignment.State.WITHDRAWN).exists():
        return _("This judge already reviews this entry.")
    live = pairs.exclude(state=Assignment.State.WITHDRAWN).count()
    if seat.cap is not None and live >= seat.cap:
        return _("This judge already has %(cap)d reviews, the most allowed.") % {"cap": seat.cap}
    return ""


@transaction.atomic
def assignment_move(*, acting_user, assignment: Assignment, judge) -> Assignment:
    """Move one open review to another judge by hand, the rules still checked."""
    _organiser_check(acting_user)
    round = _round_lock(assignment.round_id)
    assignment = (
        Assignment.objects.select_for_update().select_related("entry__unit").get(pk=assignment.pk)
    )
    if round.state == Round.State.CLOSED or assignment.state != Assignment.State.OPEN:
        _refuse(_("Only open reviews of a round not yet closed can move."))
    reason = _may_take(round, _seat_of(round, judge.pk), assignment.entry)
    if reason:
        _refuse(reason)
    assignment.state, assignment.withdrawn_reason = Assignment.State.WITHDRAWN, "moved"
    assignment.save(update_fields=["state", "withdrawn_reason"])
    (moved,) = _assignments_write(round, [(str(assignment.entry_id), str(judge.pk))])
    audit_log(
        actor=acting_user,
        action="judging.assignment.moved",
        obj=round,
        data={"entry": assignment.entry_id, "from": assignment.judge_id, "to": judge.pk},
    )
    return moved


def _reassign(round: Round, *, drop_judges=(), new_conflicts=()) -> tuple[list[Assignment], list]:
    """Move the freed slots with the judging core, keeping every other pair. Returns the new
    assignments and the entries left short (when no judge can take them)."""
    problem = _problem(round)
    kept = _live_pairs(round)
    short = []
    while True:
        try:
            _changed, solved = core_assignment.reassign(
                problem, kept, drop_judges=drop_judges, new_conflicts=new_conflicts
            )
        except core_assignment.InfeasibleAssignment as error:
            short += [s.message for s in error.shortfalls]
            # entries no judge can take stay short; the rest still find judges
            stuck = {entry for s in error.shortfalls for entry in s.entries}
            rest = [e for e in problem.entries if e.id not in stuck]
            if len(rest) == len(problem.entries):
                return [], short
            problem.entries = rest
            continue
        return _assignments_write(round, solved.pairs), short


@transaction.atomic
def conflict_declare(*, acting_user, assignment: Assignment, reason: str = "") -> list[str]:
    """A judge declares a conflict with an entry they were given: the review is withdrawn
    and another judge takes it. Returns what could not be re-assigned (for the organiser)."""
    round = _round_lock(assignment.round_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.judge_id != getattr(acting_user, "pk", None):
        _refuse(_("This is not your review."))
    if round.state != Round.State.OPEN or assignment.state == Assignment.State.WITHDRAWN:
        _refuse(_("This review can no longer change."))
    assignment.state, assignment.withdrawn_reason = Assignment.State.WITHDRAWN, "conflict"
    assignment.scores, assignment.verdict = {}, None
    assignment.save(update_fields=["state", "withdrawn_reason", "scores", "verdict"])
    created, short = _reassign(
        round, new_conflicts=[(str(assignment.judge_id), str(assignment.entry_id))]
    )
    created += modes.mode_of(round).reviews_withdrawn(round, [assignment.entry_id])
    audit_log(
        actor=acting_user,
        action="judging.assignment.conflict",
        obj=round,
        data={
            "entry": assignment.entry_id,
            "judge": assignment.judge_id,
            "reason": reason[:200],
            "moved_to": [a.judge_id for a in created],
            "short": short,
        },
    )
    return short


@transaction.atomic
def judge_drop(*, acting_user, seat: Seat) -> list[str]:
    """A judge leaves the panel: their open reviews go to others; done ones stay."""
    _organiser_check(acting_user)
    round = _round_lock(seat.round_id)
    if round.state == Round.State.CLOSED:
        _refuse(_("This round is closed."))
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    seat.active = False
    seat.save(update_fields=["active"])
    open_work = Assignment.objects.filter(
        round=round, judge_id=seat.judge_id, state=Assignment.State.OPEN
    )
    freed = list(open_work.values_list("entry_id", flat=True))
    count = open_work.update(state=Assignment.State.WITHDRAWN, withdrawn_reason="dropped")
    created, short = _reassign(round) if count else ([], [])  # their done reviews still count
    created += modes.mode_of(round).reviews_withdrawn(round, freed)
    audit_log(
        actor=acting_user,
        action="judging.seat.dropped",
        obj=round,
        data={"judge": seat.judge_id, "moved": len(created), "short": short},
    )
    return short
