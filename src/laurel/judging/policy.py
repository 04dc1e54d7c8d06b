"""Who may see and do what in judging rounds. Organisers (the federation) set rounds up and
watch them; a judge sees only their own assignments of open or closed rounds — never who
made an entry — and nothing of planned rounds. A round's head judge (``Seat.role``) also
enters its deductions.
"""

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from laurel.accounts.models import Role, RoleGrant, User
from laurel.judging.models import Assignment, Round, Seat
from laurel.web.access import Access


def may_organise_rounds(access: Access) -> bool:
    return access.is_federation_admin


def rounds_visible(access: Access) -> QuerySet[Round]:
    if access.is_federation_admin:
        return Round.objects.all()
    return Round.objects.none()


def judges_available(access: Access) -> QuerySet[User]:
    """Who an organiser may seat on a panel: active holders of the judge role, each with
    ``judge_unit_code`` and ``judge_unit_name``, the unit of their judge role (where they
    work), if any."""
    if not may_organise_rounds(access):
        return User.objects.none()
    grants = RoleGrant.objects.filter(role=Role.JUDGE)
    unit_grants = grants.filter(user=OuterRef("pk"), unit__isnull=False)
    return (
        User.objects.filter(is_active=True, pk__in=grants.values("user_id"))
        .annotate(
            judge_unit_code=Subquery(unit_grants.values("unit__code")[:1]),
            judge_unit_name=Subquery(unit_grants.values("unit__name")[:1]),
        )
        .order_by("display_name", "username")
    )


def may_enter_deductions(access: Access, round: Round) -> bool:
    """Points taken off the round's entries: organisers, and the round's head judge (a seat
    of the ``head`` role, still active)."""
    if may_organise_rounds(access):
        return True
    return (
        access.user_id is not None
        and access.is_judge
        and Seat.objects.filter(
            round=round, judge_id=access.user_id, role="head", active=True
        ).exists()
    )


def rounds_headed(access: Access) -> QuerySet[Round]:
    """The open and closed rounds whose panel the judge heads (an active ``head`` seat): where
    they enter deductions, seeing entries as judges do. Nothing of planned rounds."""
    if access.user_id is None or not access.is_judge:
        return Round.objects.none()
    return Round.objects.filter(
        state__in=[Round.State.OPEN, Round.State.CLOSED],
        pk__in=Seat.objects.filter(judge_id=access.user_id, role="head", active=True).values(
            "round_id"
        ),
    )


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
