"""Writes on judging rounds: setting a round up, its panel, assigning entries to judges
(the judging core's min-cost flow), moving work by hand or when a judge declares a conflict
or drops out, saving reviews, reminders, and closing a round into its results.

Every write is atomic and audited. The round's row is locked by every write that changes
who reviews what, so two changes never interleave.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.contests.models import Contest, Entry
from laurel.core import assignment as core_assignment
from laurel.core import ranking as core_ranking
from laurel.judging import policy, selectors
from laurel.judging.models import Assignment, Criterion, JudgeCalibration, Result, Round, Seat
from laurel.notifications.services import notification_send

JUDGED_STATES = (Entry.State.ACCEPTED, Entry.State.QUALIFIED, Entry.State.AWARDED)


class JudgingRefused(ValidationError):
    """A judging change that may not happen; the message says why, to the person."""


def _refuse(message: str):
    raise JudgingRefused(message)


def _organiser_check(acting_user) -> None:
    if acting_user is not None and not policy.may_organise_rounds(access_for(acting_user)):
        _refuse(_("Only organisers change judging rounds."))


def _deadline_text(round: Round) -> str:
    return timezone.localtime(round.deadline).strftime("%Y-%m-%d %H:%M")


def _round_lock(round_id: int) -> Round:
    return Round.objects.select_for_update().select_related("contest").get(pk=round_id)


# --- setting a round up -------------------------------------------------------------------


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


@dataclass(frozen=True)
class SeatChoice:
    """One judge to seat, and how. ``unit`` left empty is the judge's own unit, found from
    their judge role or member record (``selectors.judge_own_units``); ``outside_expert``
    seats them with none, so that no unit is a conflict of theirs."""

    judge: object
    unit: object = None
    outside_expert: bool = False
    categories: tuple = ()
    cap: int | None = None
    conflict_units: tuple = ()


@dataclass(frozen=True)
class _SeatPlan:
    """A seat as it will be written: its unit decided (None: no unit)."""

    judge: object
    unit: object
    categories: tuple
    cap: int | None
    conflict_units: tuple
    note: dict = field(default_factory=dict)  # what the audit entry adds (own unit, a copy)


def _seat_refusal(round: Round, plan: _SeatPlan, taken: set[int]) -> str:
    """Why ``plan`` may not be seated on ``round`` (empty: it may); ``taken`` are the judges
    already on the panel or earlier in the same batch."""
    if not access_for(plan.judge).is_judge:
        return _("%(name)s is not a judge.") % {"name": plan.judge}
    if plan.judge.pk in taken:
        return _("%(name)s is already on this panel.") % {"name": plan.judge}
    if any(category.contest_id != round.contest_id for category in plan.categories):
        return _("%(name)s: a category chosen is not one of this contest's.") % {"name": plan.judge}
    if plan.cap is not None and plan.cap < 1:
        return _("%(name)s: reviews at most must be at least 1.") % {"name": plan.judge}
    return ""


def _seats_write(acting_user, round: Round, plans: Sequence[_SeatPlan]) -> list[Seat]:
    """Seat every plan on the locked ``round``, or none: a refusal names each judge refused
    and why. One audit entry per seat."""
    if round.state == Round.State.CLOSED:
        _refuse(_("This round is closed."))
    if not plans:
        _refuse(_("Choose at least one judge."))
    taken = set(Seat.objects.filter(round=round).values_list("judge_id", flat=True))
    problems = []
    for plan in plans:
        reason = _seat_refusal(round, plan, taken)
        if reason:
            problems.append(reason)
        taken.add(plan.judge.pk)
    if problems:
        raise JudgingRefused(problems)
    seats = []
    for plan in plans:
        seat = Seat(round=round, judge=plan.judge, unit=plan.unit, cap=plan.cap)
        seat.full_clean(validate_unique=False, validate_constraints=False)  # checked above
        seat.save()
        seat.categories.set(plan.categories)
        seat.conflict_units.set(plan.conflict_units)
        audit_log(
            actor=acting_user,
            action="judging.seat.added",
            obj=round,
            data={
                "judge": plan.judge.pk,
                "unit": plan.unit.pk if plan.unit else None,
                "cap": plan.cap,
                "categories": [c.pk for c in plan.categories],
                "conflict_units": [u.pk for u in plan.conflict_units],
                **plan.note,
            },
        )
        seats.append(seat)
    return seats


@transaction.atomic
def seat_add(
    *,
    acting_user,
    round: Round,
    judge,
    unit=None,
    categories: Sequence = (),
    cap: int | None = None,
    conflict_units: Sequence = (),
) -> Seat:
    """Put a judge on the round's panel. ``unit`` is where the judge works (entries from it
    and from above or below it are conflicts); outside experts have none. (``seats_add``
    fills in each judge's own unit.)"""
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    plan = _SeatPlan(judge, unit, tuple(categories), cap, tuple(conflict_units))
    try:
        (seat,) = _seats_write(acting_user, round, [plan])
    except JudgingRefused as error:
        _refuse(" ".join(error.messages))
    return seat


def _plans_of(choices: Sequence[SeatChoice]) -> list[_SeatPlan]:
    """Each choice's unit decided: as chosen, none for an outside expert, else the judge's
    own (several units of their judge role: the first is their unit, the others conflicts)."""
    own = selectors.judge_own_units(
        choice.judge.pk for choice in choices if choice.unit is None and not choice.outside_expert
    )
    plans = []
    for choice in choices:
        unit, extra, note = choice.unit, [], {}
        if choice.outside_expert:
            unit, note = None, {"outside_expert": True}
        elif unit is None and own.get(choice.judge.pk):
            unit, *extra = own[choice.judge.pk]
            note = {"own_unit": True}
        conflicts = tuple({u.pk: u for u in [*choice.conflict_units, *extra]}.values())
        plans.append(
            _SeatPlan(
                choice.judge, unit, tuple(choice.categories), choice.cap, conflicts, note=note
            )
        )
    return plans


@transaction.atomic
def seats_add(
    *,
    acting_user,
    round: Round,
    judges: Sequence,
    categories: Sequence = (),
    cap: int | None = None,
) -> list[Seat]:
    """Put several judges on the round's panel at once. Each is a ``SeatChoice``, or a user
    seated with their own unit and the batch's ``categories`` and ``cap``. Every judge is
    checked as ``seat_add`` checks one; if any is refused, nobody is seated and the refusal
    names each judge refused and why."""
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    choices = [
        judge
        if isinstance(judge, SeatChoice)
        else SeatChoice(judge=judge, categories=tuple(categories), cap=cap)
        for judge in judges
    ]
    return _seats_write(acting_user, round, _plans_of(choices))


@dataclass
class PanelCopied:
    seats: list = field(default_factory=list)  # the seats made
    skipped: list = field(default_factory=list)  # sentences: who was left out and why


@transaction.atomic
def panel_copy(*, acting_user, round: Round, source: Round) -> PanelCopied:
    """Seat on ``round`` the judges of ``source``'s panel (this contest's or an earlier one's),
    each with their unit (or none, as there), cap, declared conflicts and categories — these
    matched by name, a category this contest lacks left out and said. Judges who left that
    panel are not copied; those already on this one, or no longer judges, are skipped and
    said."""
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    if source.pk == round.pk:
        _refuse(_("Choose another round's panel to copy."))
    categories = {category.name: category for category in round.contest.categories.all()}
    seated = set(Seat.objects.filter(round=round).values_list("judge_id", flat=True))
    copied = PanelCopied()
    plans = []
    for seat in (
        Seat.objects.filter(round=source, active=True)
        .select_related("judge", "unit")
        .prefetch_related("categories", "conflict_units")
    ):
        if seat.judge_id in seated:
            copied.skipped.append(_("%(name)s is already on this panel.") % {"name": seat.judge})
            continue
        if not seat.judge.is_active or not access_for(seat.judge).is_judge:
            copied.skipped.append(_("%(name)s is no longer a judge.") % {"name": seat.judge})
            continue
        names = [category.name for category in seat.categories.all()]
        missing = [name for name in names if name not in categories]
        if missing:
            copied.skipped.append(
                _("%(name)s judged %(categories)s there, which this contest does not have.")
                % {"name": seat.judge, "categories": "、".join(missing)}
            )
            if len(missing) == len(names):
                continue  # they would judge every category here: not what that panel meant
        plans.append(
            _SeatPlan(
                seat.judge,
                seat.unit,
                tuple(categories[name] for name in names if name in categories),
                seat.cap,
                tuple(seat.conflict_units.all()),
                note={"copied_from": source.pk},
            )
        )
    if not plans:
        _refuse(
            " ".join([_("Nobody on that panel could be copied."), *copied.skipped])
            if copied.skipped
            else _("That round has nobody on its panel.")
        )
    copied.seats = _seats_write(acting_user, round, plans)
    return copied


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


# --- assignment -----------------------------------------------------------------------------


def _problem(round: Round, per_entry: int | None = None) -> core_assignment.AssignmentProblem:
    """The round as the judging core sees it: ids as strings, units as paths."""
    entries = list(round_entries(round).select_related("unit").order_by("number"))
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
            core_assignment.Entry(str(e.pk), category=str(e.category_id), unit=e.unit.path)
            for e in entries
        ],
        judges=[
            core_assignment.Judge(
                str(seat.judge_id),
                categories=frozenset(str(c.pk) for c in seat.categories.all()),
                unit=seat.unit.path if seat.unit else "",
                max_load=seat.cap if seat.active else kept[seat.judge_id],
            )
            for seat in seats
        ],
        per_entry=per_entry or round.per_entry,
        conflicts=conflicts,
    )


def _live_pairs(round: Round) -> list[tuple[str, str]]:
    live = Assignment.objects.filter(round=round).exclude(state=Assignment.State.WITHDRAWN)
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
def assignment_solve(*, acting_user, round: Round, seed: int = 0) -> int:
    """Assign every entry of a planned round to ``per_entry`` judges: unit conflicts,
    categories and caps respected, loads as even as they can be. Replaces any earlier plan.
    Returns how many assignments were made."""
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    if round.state != Round.State.PLANNED:
        _refuse(_("Work is assigned before the round opens; after, it moves one by one."))
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
    entries = list(round_entries(round).select_related("category"))
    live = Assignment.objects.filter(round=round).exclude(state=Assignment.State.WITHDRAWN)
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
    if round.mode == Round.Mode.QUALIFY:  # a tie-breaker who withdraws: another decides
        created += filter(None, [_disagreement_settle(round, assignment.entry_id)])
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
    if round.mode == Round.Mode.QUALIFY:  # tie-breaks they left open go to another judge
        created += filter(None, [_disagreement_settle(round, e) for e in freed])
    audit_log(
        actor=acting_user,
        action="judging.seat.dropped",
        obj=round,
        data={"judge": seat.judge_id, "moved": len(created), "short": short},
    )
    return short


def _round_open_check(round: Round) -> AssignmentSummary:
    if round.state != Round.State.PLANNED:
        _refuse(_("Only a planned round opens."))
    summary = assignment_summary(round)
    if summary.entries == 0 or summary.short:
        _refuse(_("Assign every entry to its judges before opening the round."))
    return summary


def _work_to_tell(round: Round) -> list[tuple[object, int]]:
    """Each judge with open reviews in ``round`` and how many: whom opening tells."""
    judges = {seat.judge_id: seat.judge for seat in round.seats.select_related("judge")}
    return [
        (judges[judge_id], count)
        for judge_id, count in Assignment.objects.filter(round=round, state=Assignment.State.OPEN)
        .values_list("judge_id")
        .annotate(n=Count("pk"))
        .values_list("judge_id", "n")
        .order_by("judge_id")
    ]


@dataclass
class RoundOpenPreview:
    entries: int
    work: list  # (judge, reviews) for each judge told

    @property
    def judges(self) -> int:
        return len(self.work)

    @property
    def reviews(self) -> int:
        return sum(count for _judge, count in self.work)


def round_open_preview(round: Round) -> RoundOpenPreview:
    """What opening ``round`` now would do: the judges told and their reviews, found as
    ``round_open`` finds them; refused as it would be."""
    summary = _round_open_check(round)
    return RoundOpenPreview(entries=summary.entries, work=_work_to_tell(round))


@transaction.atomic
def round_open(*, acting_user, round: Round) -> Round:
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    summary = _round_open_check(round)
    round.state, round.opened_at = Round.State.OPEN, timezone.now()
    round.save(update_fields=["state", "opened_at"])
    contest = round.contest
    if contest.state == Contest.State.CLOSED:
        contest.state = Contest.State.JUDGING
        contest.save(update_fields=["state"])
    audit_log(
        actor=acting_user,
        action="judging.round.opened",
        obj=round,
        data={"entries": summary.entries, "judges": len(summary.loads)},
    )
    for judge, count in _work_to_tell(round):
        notification_send(
            recipient=judge,
            title=_("%(round)s: %(count)d entries to review by %(deadline)s")
            % {"round": round.name, "count": count, "deadline": _deadline_text(round)},
            link=policy.workspace_link(round),
            sms=True,
        )
    return round


# --- reviews --------------------------------------------------------------------------------


@transaction.atomic
def review_save(
    *,
    acting_user,
    assignment: Assignment,
    scores: dict | None = None,
    verdict: bool | None = None,
    comment: str | None = None,
) -> Assignment:
    """Save (part of) a judge's review as they go; it is done once complete. Changes are
    possible until the round closes, and each is audited."""
    _round_lock(assignment.round_id)  # the round first, as every write here: no interleaving
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=assignment.pk)
    )
    round = assignment.round
    if assignment.judge_id != getattr(acting_user, "pk", None):
        _refuse(_("This is not your review."))
    if round.state != Round.State.OPEN:
        _refuse(_("The round is closed: scores can no longer change."))
    if assignment.state == Assignment.State.WITHDRAWN:
        _refuse(_("This review was withdrawn."))
    before = {"scores": assignment.scores, "verdict": assignment.verdict}
    if round.mode == Round.Mode.SCORE and scores is not None:
        criteria = {str(c.pk): c for c in round.criteria.all()}
        merged = dict(assignment.scores)
        for key, value in scores.items():
            criterion = criteria.get(str(key))
            if criterion is None:
                _refuse(_("Unknown criterion."))
            if value is None:
                merged.pop(str(key), None)
                continue
            if type(value) is not int or not criterion.low <= value <= criterion.high:
                _refuse(
                    _("%(name)s is scored from %(low)d to %(high)d.")
                    % {"name": criterion.name, "low": criterion.low, "high": criterion.high}
                )
            merged[str(key)] = value
        assignment.scores = merged
        complete = set(merged) == set(criteria)
    elif round.mode == Round.Mode.QUALIFY and verdict is not None:
        assignment.verdict = verdict
        complete = True
    else:
        complete = (
            set(assignment.scores) == {str(c.pk) for c in round.criteria.all()}
            if round.mode == Round.Mode.SCORE
            else assignment.verdict is not None
        )
    if comment is not None:
        assignment.comment = comment[:2000]
    assignment.state = Assignment.State.DONE if complete else Assignment.State.OPEN
    assignment.reviewed_at = timezone.now()
    assignment.save()
    audit_log(
        actor=acting_user,
        action="judging.review.saved",
        obj=round,
        data={
            "assignment": assignment.pk,
            "before": before,
            "scores": assignment.scores,
            "verdict": assignment.verdict,
        },
    )
    if round.mode == Round.Mode.QUALIFY and complete:
        _disagreement_settle(round, assignment.entry_id)
    return assignment


def _disagreement_settle(round: Round, entry_id: int) -> Assignment | None:
    """When the first judges of a qualifying round disagree on an entry, one more judge —
    the least loaded who may take it — decides."""
    live = Assignment.objects.filter(round=round, entry_id=entry_id).exclude(
        state=Assignment.State.WITHDRAWN
    )
    verdicts = list(live.values_list("verdict", flat=True))
    if len(verdicts) != round.per_entry or None in verdicts or len(set(verdicts)) == 1:
        return None
    entry = Entry.objects.select_related("unit").get(pk=entry_id)
    loads = Counter(
        Assignment.objects.filter(round=round)
        .exclude(state=Assignment.State.WITHDRAWN)
        .values_list("judge_id", flat=True)
    )
    seats = sorted(
        Seat.objects.filter(round=round, active=True)
        .select_related("unit")
        .prefetch_related("categories", "conflict_units"),
        key=lambda seat: (loads[seat.judge_id], seat.judge_id),
    )
    # the least loaded first, so the first who may take it is the one (each check queries)
    judge_id = next((seat.judge_id for seat in seats if not _may_take(round, seat, entry)), None)
    if judge_id is None:
        return None
    (extra,) = _assignments_write(round, [(str(entry_id), str(judge_id))])
    audit_log(
        actor=None,
        action="judging.assignment.tiebreak",
        obj=round,
        data={"entry": entry_id, "judge": judge_id},
    )
    return extra


# --- progress and reminders -------------------------------------------------------------------


@dataclass
class JudgeProgress:
    judge: object
    assigned: int
    done: int
    behind: bool


def round_progress(round: Round, now: datetime.datetime | None = None) -> dict:
    """Reviews done per judge and per category, entries still short of reviews, and judges
    behind schedule (a smaller share done than the share of the window gone)."""
    now = now or timezone.now()
    live = Assignment.objects.filter(round=round).exclude(state=Assignment.State.WITHDRAWN)
    per_judge = (
        live.values("judge_id")
        .annotate(assigned=Count("pk"), done=Count("pk", filter=Q(state=Assignment.State.DONE)))
        .order_by("judge_id")
    )
    gone = selectors.window_gone(round, now)
    judges = {seat.judge_id: seat.judge for seat in round.seats.select_related("judge")}
    progress = [
        JudgeProgress(
            judges.get(row["judge_id"]),
            row["assigned"],
            row["done"],
            behind=selectors.behind_pace(done=row["done"], assigned=row["assigned"], gone=gone),
        )
        for row in per_judge
    ]
    per_category = list(
        live.values("entry__category__name")
        .annotate(assigned=Count("pk"), done=Count("pk", filter=Q(state=Assignment.State.DONE)))
        .order_by("entry__category__position")
    )
    done_per_entry = Counter(
        live.filter(state=Assignment.State.DONE).values_list("entry_id", flat=True)
    )
    entries = list(round_entries(round).values_list("pk", flat=True))
    short = [pk for pk in entries if done_per_entry[pk] < round.per_entry]
    return {
        "judges": progress,
        "categories": per_category,
        "short": short,
        "done": sum(p.done for p in progress),
        "assigned": sum(p.assigned for p in progress),
        "time_gone": gone,
    }


def reminders_preview(round: Round) -> list[JudgeProgress]:
    """The judges ``reminders_send`` would remind now: those behind schedule."""
    return [p for p in round_progress(round)["judges"] if p.behind and p.judge is not None]


@transaction.atomic
def reminders_send(*, acting_user, round: Round) -> int:
    """Remind each judge behind schedule of what is left (inbox and SMS)."""
    _organiser_check(acting_user)
    behind = reminders_preview(round)
    for item in behind:
        notification_send(
            recipient=item.judge,
            title=_("%(round)s: %(left)d reviews left, due %(deadline)s")
            % {
                "round": round.name,
                "left": item.assigned - item.done,
                "deadline": _deadline_text(round),
            },
            link=policy.workspace_link(round),
            sms=True,
        )
    audit_log(
        actor=acting_user,
        action="judging.round.reminded",
        obj=round,
        data={"judges": [p.judge.pk for p in behind]},
    )
    return len(behind)


# --- closing ------------------------------------------------------------------------------


@transaction.atomic
def round_close(*, acting_user, round: Round) -> Round:
    """Lock the scores, rank the entries with the judging core and decide who goes on."""
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    if round.state != Round.State.OPEN:
        _refuse(_("Only an open round closes."))
    results, reviews = _results_write(round)
    round.state, round.closed_at = Round.State.CLOSED, timezone.now()
    round.save(update_fields=["state", "closed_at"])
    if round.mode == Round.Mode.QUALIFY:
        advanced = [r.entry_id for r in results if r.advanced]
        Entry.objects.filter(pk__in=advanced, state=Entry.State.ACCEPTED).update(
            state=Entry.State.QUALIFIED
        )
    audit_log(
        actor=acting_user,
        action="judging.round.closed",
        obj=round,
        data={
            "entries": len(results),
            "reviews": reviews,
            "advanced": sum(r.advanced for r in results),
            "method": round.method,
        },
    )
    return round


@transaction.atomic
def round_rerank(*, acting_user, round: Round, method: str, reason: str) -> Round:
    """Rank a closed scoring round again by another method, with the reason recorded (the
    results page names the method and shows why it was chosen)."""
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    if round.mode != Round.Mode.SCORE or round.state != Round.State.CLOSED:
        _refuse(_("Only a closed scoring round is ranked again."))
    if method not in core_ranking.METHODS:
        _refuse(_("There is no such ranking method."))
    if not reason.strip():
        raise JudgingRefused({"reason": _("Say why the method changes; it is recorded.")})
    before = round.method
    round.method, round.method_reason = method, reason.strip()
    round.save(update_fields=["method", "method_reason"])
    _results_write(round)
    audit_log(
        actor=acting_user,
        action="judging.round.reranked",
        obj=round,
        data={"from": before, "to": method, "reason": round.method_reason},
    )
    return round


def _results_write(round: Round) -> tuple[list[Result], int]:
    """(Re)write a round's results — and, for a scoring round, its judges' calibration."""
    entry_ids = list(round_entries(round).values_list("pk", flat=True))
    done = Assignment.objects.filter(  # reviews of entries still judged (not disqualified since)
        round=round, state=Assignment.State.DONE, entry__in=round_entries(round).values("pk")
    )
    JudgeCalibration.objects.filter(round=round).delete()
    if round.mode == Round.Mode.SCORE:
        results, judges = _score_results(round, entry_ids, done)
        JudgeCalibration.objects.bulk_create(
            JudgeCalibration(
                round=round,
                judge_id=int(report.judge),
                reviews=report.reviews,
                offset=report.offset,
                scale=report.scale,
                noise=report.noise,
                note=report.note,
            )
            for report in judges
        )
    else:
        results = _qualify_results(round, entry_ids, done)
    Result.objects.filter(round=round).delete()
    Result.objects.bulk_create(results, batch_size=1000)
    return results, done.count()


def _score_results(
    round: Round, entry_ids: list[int], done
) -> tuple[list[Result], list[core_ranking.JudgeReport]]:
    criteria = list(round.criteria.all())
    weights = {str(c.pk): float(c.weight) for c in criteria}
    reviews = [
        core_ranking.Review(
            str(entry_id),
            str(judge_id),
            core_ranking.weighted_score({k: float(v) for k, v in scores.items()}, weights),
        )
        for entry_id, judge_id, scores in done.values_list("entry_id", "judge_id", "scores")
    ]
    results = {pk: Result(round=round, entry_id=pk) for pk in entry_ids}
    judges: list[core_ranking.JudgeReport] = []
    if reviews:
        scale = (min(c.low for c in criteria), max(c.high for c in criteria))
        ranking = core_ranking.rank_scores(reviews, round.method, scale=scale)
        judges = ranking.judges
        for ranked in ranking.entries:
            result = results[int(ranked.entry)]
            result.rank, result.score, result.reviews = ranked.rank, ranked.score, ranked.reviews
            result.low, result.high = ranked.low, ranked.high
            result.advanced = round.advance is None or ranked.rank <= round.advance
    return list(results.values()), judges


def _qualify_results(round: Round, entry_ids: list[int], done) -> list[Result]:
    verdicts = defaultdict(list)
    for entry_id, verdict in done.values_list("entry_id", "verdict"):
        verdicts[entry_id].append(verdict)
    results = []
    for pk in entry_ids:
        given = verdicts.get(pk, [])
        passes = sum(1 for v in given if v)
        passed = bool(given) and passes * 2 >= len(given)  # a tie passes: benefit of doubt
        results.append(
            Result(
                round=round,
                entry_id=pk,
                reviews=len(given),
                passed=passed,
                advanced=passed,
                score=passes / len(given) if given else None,
            )
        )
    return results
