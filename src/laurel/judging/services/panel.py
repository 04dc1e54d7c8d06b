"""A round's panel: judges seated one at a time, several at once (each with their own
unit), or copied from another round's panel; and its head judge."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.judging import selectors
from laurel.judging.models import SEAT_ROLES, Round, Seat
from laurel.judging.services._common import JudgingRefused, _organiser_check, _refuse, _round_lock


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


@transaction.atomic
def seat_role_set(*, acting_user, seat: Seat, role: str) -> Seat:
    """Make ``seat`` the panel's head judge (``head``: they also enter the round's deductions)
    or an ordinary judge again (``judge``), while the round is not closed. A panel has one
    head judge at most: making another judge head makes the current one an ordinary judge
    again. Each seat whose role changes is audited; a role already held changes nothing."""
    _organiser_check(acting_user)
    round = _round_lock(seat.round_id)
    seat = Seat.objects.select_related("judge").get(pk=seat.pk)
    if role not in dict(SEAT_ROLES):
        _refuse(_("There is no such role on a panel."))
    if round.state == Round.State.CLOSED:
        _refuse(_("This round is closed."))
    if role == "head" and not seat.active:
        _refuse(_("%(name)s left the panel.") % {"name": seat.judge})
    if seat.role == role:
        return seat
    changed = []
    if role == "head":
        changed = list(Seat.objects.filter(round=round, role="head").exclude(pk=seat.pk))
        for previous in changed:
            previous.role = "judge"
            previous.save(update_fields=["role"])
    before, seat.role = seat.role, role
    seat.full_clean(validate_unique=False, validate_constraints=False)  # one head: above
    seat.save(update_fields=["role"])
    for previous in changed:
        audit_log(
            actor=acting_user,
            action="judging.seat.role_changed",
            obj=round,
            data={"seat": previous.pk, "judge": previous.judge_id, "from": "head", "to": "judge"},
        )
    audit_log(
        actor=acting_user,
        action="judging.seat.role_changed",
        obj=round,
        data={"seat": seat.pk, "judge": seat.judge_id, "from": before, "to": role},
    )
    return seat
