"""A judge's review, saved as they go."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.judging import modes
from laurel.judging.models import Assignment, Round
from laurel.judging.services._common import _refuse, _round_lock


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
    possible until the round closes, and each is audited. The round's mode checks and
    merges what is given (``scores`` or ``verdict``) and says what follows a complete one."""
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
    round_mode = modes.mode_of(round)
    complete = round_mode.review_apply(assignment, scores=scores, verdict=verdict)
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
    if complete:
        round_mode.review_done(assignment)
    return assignment
