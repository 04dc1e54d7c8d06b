"""Opening a round: checked as the organiser is asked to confirm, then each judge told of
their work."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.contests.models import Contest
from laurel.judging import policy
from laurel.judging.models import Assignment, Round
from laurel.judging.services._common import _deadline_text, _organiser_check, _refuse, _round_lock
from laurel.judging.services.assignment import AssignmentSummary, assignment_summary
from laurel.notifications.services import notification_send


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
