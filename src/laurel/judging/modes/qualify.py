"""Qualifying (pass / fail): each judge gives a verdict; when the first judges disagree, one
more decides; an entry passes on at least half of its verdicts (a tie passes: benefit of the
doubt), and closing the round makes every entry that passed ``qualified``. It does not rank:
it is never a contest's final round."""

from collections import Counter, defaultdict

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.audit.services import audit_log
from laurel.contests.models import Entry
from laurel.judging.models import Assignment, Result, Round, Seat
from laurel.judging.modes.base import ReviewFieldsRefused, RoundMode
from laurel.judging.services import assignment as assignment_services
from laurel.web.charts import IntervalAxis

VERDICTS = {"pass": True, "fail": False}


class QualifyMode(RoundMode):
    code = Round.Mode.QUALIFY.value
    label = Round.Mode.QUALIFY.label
    outcomes = (("passed", gettext_lazy("passed")), ("failed", gettext_lazy("failed")))
    outcome_field = "passed"
    review_template = "judging/modes/qualify_review.html"
    keys_template = "judging/modes/qualify_keys.html"
    results_template = "judging/modes/qualify_results.html"
    earlier_template = "judging/modes/qualify_earlier.html"

    def review_read(self, post) -> dict:
        """``verdict``: pass | fail."""
        if "verdict" not in post:
            return {}
        if post["verdict"] not in VERDICTS:
            raise ReviewFieldsRefused(_("A verdict is pass or fail."))
        return {"verdict": VERDICTS[post["verdict"]]}

    def review_apply(self, assignment, *, scores, verdict) -> bool:
        """The verdict given (scores mean nothing here); complete once there is one."""
        if verdict is not None:
            assignment.verdict = verdict
        return assignment.verdict is not None

    def review_done(self, assignment) -> None:
        _disagreement_settle(assignment.round, assignment.entry_id)

    def reviews_withdrawn(self, round, entry_ids):
        """A tie-breaker who withdraws, or tie-breaks a dropped judge left open: another
        judge decides."""
        return list(filter(None, [_disagreement_settle(round, pk) for pk in entry_ids]))

    def results(self, round, entry_ids, done):
        """Passed on at least half of its verdicts; its score is the share that passed."""
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
        return results, []

    def round_closed(self, round, results) -> None:
        """The entries that passed are qualified."""
        advanced = [r.entry_id for r in results if r.advanced]
        Entry.objects.filter(pk__in=advanced, state=Entry.State.ACCEPTED).update(
            state=Entry.State.QUALIFIED
        )

    def results_axis(self, axis):
        return IntervalAxis((0.0, 1.0))  # the score is the share of its judges who passed it

    def score_text(self, result) -> str:
        return "" if result.score is None else f"{result.score:.0%}"  # of its judges passed it

    def outcome_text(self, result) -> str:
        return _("passed") if result.passed else _("failed")

    def outcome_html(self, result) -> str:
        pill = "pill-accepted" if result.passed else "pill-refused"
        return format_html('<span class="pill {}">{}</span>', pill, self.outcome_text(result))


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
    judge_id = next(
        (seat.judge_id for seat in seats if not assignment_services._may_take(round, seat, entry)),
        None,
    )
    if judge_id is None:
        return None
    (extra,) = assignment_services._assignments_write(round, [(str(entry_id), str(judge_id))])
    audit_log(
        actor=None,
        action="judging.assignment.tiebreak",
        obj=round,
        data={"entry": entry_id, "judge": judge_id},
    )
    return extra


QUALIFY = QualifyMode()
