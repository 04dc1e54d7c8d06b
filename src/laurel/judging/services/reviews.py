"""A judge's review, saved as they go."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.judging.models import Assignment, Round
from laurel.judging.services._common import _refuse, _round_lock
from laurel.judging.services.assignment import _disagreement_settle


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
