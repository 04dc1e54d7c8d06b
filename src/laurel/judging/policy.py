"""Who may see and do what in judging rounds. Organisers (the federation) set rounds up and
watch them; a judge sees only their own assignments of open or closed rounds — never who
made an entry — and nothing of planned rounds.
"""

from django.db.models import QuerySet
from django.urls import reverse

from laurel.accounts.policy import Access
from laurel.judging.models import Assignment, Round


def may_organise_rounds(access: Access) -> bool:
    return access.is_federation_admin


def rounds_visible(access: Access) -> QuerySet[Round]:
    if access.is_federation_admin:
        return Round.objects.all()
    return Round.objects.none()


def may_judge(access: Access) -> bool:
    return access.is_judge


def assignments_of(access: Access) -> QuerySet[Assignment]:
    """A judge's own reviews in rounds that have opened; withdrawn ones are gone."""
    if access.user_id is None or not access.is_judge:
        return Assignment.objects.none()
    return Assignment.objects.filter(
        judge_id=access.user_id, round__state__in=[Round.State.OPEN, Round.State.CLOSED]
    ).exclude(state=Assignment.State.WITHDRAWN)


def judge_rounds(access: Access) -> QuerySet[Round]:
    return Round.objects.filter(pk__in=assignments_of(access).values("round_id"))


def workspace_link(round: Round) -> str:
    return reverse("judging:judge_round", args=[round.pk])
