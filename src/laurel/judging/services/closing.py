"""Closing a round into its results (as its mode computes them: ranked with the judging
core and judges calibrated, or verdicts counted), and ranking a closed round again by
another method."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.core import ranking as core_ranking
from laurel.judging import modes, selectors
from laurel.judging.models import Assignment, JudgeCalibration, Result, Round
from laurel.judging.services._common import JudgingRefused, _organiser_check, _refuse, _round_lock


@transaction.atomic
def round_close(*, acting_user, round: Round) -> Round:
    """Lock the scores, compute the results as the round's mode says (rank the entries with
    the judging core, or count the verdicts), decide who goes on and do what the mode does
    after closing (qualifying: the passed are qualified)."""
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    if round.state != Round.State.OPEN:
        _refuse(_("Only an open round closes."))
    results, reviews = _results_write(round)
    round.state, round.closed_at = Round.State.CLOSED, timezone.now()
    round.save(update_fields=["state", "closed_at"])
    modes.mode_of(round).round_closed(round, results)
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
    """Rank a closed round of a ranking mode again by another method, with the reason
    recorded (the results page names the method and shows why it was chosen)."""
    _organiser_check(acting_user)
    round = _round_lock(round.pk)
    if not modes.mode_of(round).ranks or round.state != Round.State.CLOSED:
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
    """(Re)write a round's results — and its judges' calibration — as its mode computes them."""
    entry_ids = list(selectors.round_entries(round).values_list("pk", flat=True))
    done = Assignment.objects.filter(  # reviews of entries still judged (not disqualified since)
        round=round,
        state=Assignment.State.DONE,
        entry__in=selectors.round_entries(round).values("pk"),
    )
    results, calibrations = modes.mode_of(round).results(round, entry_ids, done)
    JudgeCalibration.objects.filter(round=round).delete()
    JudgeCalibration.objects.bulk_create(calibrations)
    Result.objects.filter(round=round).delete()
    Result.objects.bulk_create(results, batch_size=1000)
    return results, done.count()
