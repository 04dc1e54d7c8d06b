"""Deductions (points taken off an entry's total in a round: an absentee, overtime), entered
by an organiser or the round's head judge until the round closes, and the organiser's
decisions on ties the round's chain leaves. Each with its reason, each audited."""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.contests.models import Entry
from laurel.judging import policy, selectors
from laurel.judging.models import Deduction, Result, Round, TieDecision
from laurel.judging.services._common import (
    JudgingRefused,
    _organiser_check,
    _refuse,
    _round_lock,
)
from laurel.judging.services.closing import _results_write


def _deductions_check(acting_user, round: Round) -> Round:
    """The round, locked, once the acting user may enter its deductions and it is not closed."""
    round = _round_lock(round.pk)
    if not policy.may_enter_deductions(access_for(acting_user), round):
        _refuse(_("Only organisers and the round's head judge enter deductions."))
    if round.state == Round.State.CLOSED:
        _refuse(_("The round is closed: its deductions can no longer change."))
    return round


@transaction.atomic
def deduction_add(
    *, acting_user, round: Round, entry: Entry, points: Decimal | int, reason: str
) -> Deduction:
    """Take ``points`` (more than 0, in hundredths at most) off ``entry``'s total in
    ``round``, for ``reason``."""
    round = _deductions_check(acting_user, round)
    if not selectors.round_entries(round).filter(pk=entry.pk).exists():
        _refuse(_("This entry is not judged in this round."))
    if isinstance(points, bool) or not isinstance(points, int | Decimal):
        _refuse(_("A deduction is a number of points."))
    points = Decimal(points)
    if not points.is_finite() or points <= 0 or points != points.quantize(Decimal("0.01")):
        _refuse(_("A deduction takes off more than 0 points, in hundredths at most."))
    if not reason.strip():
        _refuse(_("Say why the points are taken off; it is recorded."))
    deduction = Deduction(
        round=round, entry=entry, points=points, reason=reason.strip(), created_by=acting_user
    )
    deduction.full_clean()
    deduction.save()
    audit_log(
        actor=acting_user,
        action="judging.deduction.added",
        obj=round,
        data={
            "deduction": deduction.pk,
            "entry": entry.pk,
            "points": str(points),
            "reason": deduction.reason,
        },
    )
    return deduction


@transaction.atomic
def deduction_remove(*, acting_user, deduction: Deduction) -> None:
    """Take a deduction back while its round is not closed (the audit log keeps it)."""
    _deductions_check(acting_user, deduction.round)
    deduction = Deduction.objects.select_for_update().get(pk=deduction.pk)
    data = {
        "deduction": deduction.pk,
        "entry": deduction.entry_id,
        "points": str(deduction.points),
        "reason": deduction.reason,
    }
    deduction.delete()
    audit_log(actor=acting_user, action="judging.deduction.removed", obj=deduction.round, data=data)


def tie_groups(round: Round) -> list[tuple[int, ...]]:
    """The ties a closed round's results keep: for each place shared (results ``tied``), its
    entries' pks by entry number, the best place first."""
    groups: dict[int, list[int]] = defaultdict(list)
    rows = Result.objects.filter(round=round, tied=True).order_by("rank", "entry__number")
    for entry_id, rank in rows.values_list("entry_id", "rank"):
        groups[rank].append(entry_id)
    return [tuple(group) for group in groups.values() if len(group) > 1]


def tie_decides(round: Round) -> bool:
    """Whether the round's tie-break chain ends with the organiser's decision."""
    return bool(round.tie_breaks) and list(round.tie_breaks[-1]) == ["decision"]


@transaction.atomic
def tie_decide(*, acting_user, round: Round, entries: Sequence[Entry], reason: str) -> TieDecision:
    """The organiser's order for entries the round's tie-break chain leaves tied, first
    placed first, with the reason. It counts where the chain ends with the organiser's
    decision and for exactly that group of tied entries; the latest for a group counts.

    On a closed round the entries must be a tie its results keep (``tie_groups``) or a group
    decided before (deciding it again), and the results are written again in the same
    transaction (``closing._results_write``), so the decision shows at once."""
    _organiser_check(acting_user)
    if acting_user is None:
        _refuse(_("Only organisers decide ties."))
    round = _round_lock(round.pk)
    if not tie_decides(round):
        _refuse(_("This round's tie-break chain does not end with the organiser's decision."))
    pks = [entry.pk for entry in entries]
    if len(pks) < 2 or len(set(pks)) < len(pks):
        _refuse(_("A decision orders two or more tied entries, each once."))
    if selectors.round_entries(round).filter(pk__in=pks).count() < len(pks):
        _refuse(_("This entry is not judged in this round."))
    if not reason.strip():
        raise JudgingRefused({"reason": _("Say why the tie goes this way; it is recorded.")})
    closed = round.state == Round.State.CLOSED
    if closed:
        decided = TieDecision.objects.filter(round=round).values_list("entries", flat=True)
        groups = {frozenset(group) for group in [*tie_groups(round), *decided]}
        if frozenset(pks) not in groups:
            _refuse(
                _(
                    "These entries are not a tie the round's results keep: order all the "
                    "entries sharing a place, and only them."
                )
            )
    decision = TieDecision(round=round, entries=pks, reason=reason.strip(), decided_by=acting_user)
    decision.full_clean()
    decision.save()
    if closed:
        _results_write(round)
    audit_log(
        actor=acting_user,
        action="judging.tie.decided",
        obj=round,
        data={"decision": decision.pk, "entries": pks, "reason": decision.reason},
    )
    return decision
