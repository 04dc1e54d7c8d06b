"""Closing a round into its results (ranked with the judging core, judges calibrated),
and ranking a closed round again by another method."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.contests.models import Entry
from laurel.core import ranking as core_ranking
from laurel.judging import selectors
from laurel.judging.models import Assignment, JudgeCalibration, Result, Round
from laurel.judging.services._common import JudgingRefused, _organiser_check, _refuse, _round_lock


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
    entry_ids = list(selectors.round_entries(round).values_list("pk", flat=True))
    done = Assignment.objects.filter(  # reviews of entries still judged (not disqualified since)
        round=round,
        state=Assignment.State.DONE,
        entry__in=selectors.round_entries(round).values("pk"),
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
