"""Who may see and do what with a contest's outcome. Organisers decide prizes and publish;
before publication nobody else sees a ranking. Published results, the exhibition and the
certificate check are public. Exports follow the entries a viewer may see (a unit admin:
their subtree, numbers masked unless they hold ``personal_data``); judges' scores and the
winners' originals are the organisers' alone. A certificate's PDF goes to its winner and to
whoever may see the entry (a unit's own prize: whoever may see the unit).
"""

from django.db.models import Q, QuerySet

from laurel.awards.models import Certificate
from laurel.contests import policy as contests_policy
from laurel.contests.models import Contest
from laurel.orgs import policy as orgs_policy
from laurel.web.access import Access


def may_decide_awards(access: Access) -> bool:
    """The results page, method changes, prizes, publishing: the federation."""
    return access.is_federation_admin


def may_export_entries(access: Access) -> bool:
    """Entry and (once published) result exports, scoped by ``contests.policy.entries_visible``."""
    return access.is_staff


def may_export_results(access: Access, contest: Contest) -> bool:
    """Before publication results are the organisers' alone."""
    if may_decide_awards(access):
        return True
    return access.is_staff and contest.state == Contest.State.PUBLISHED


def may_export_scores(access: Access) -> bool:
    """Every judge's scores: organisers only (judges' names with their scores)."""
    return access.is_federation_admin


def may_download_originals(access: Access) -> bool:
    """The winners' originals for printing the physical exhibition: organisers only."""
    return access.is_federation_admin


def may_manage_seals(access: Access) -> bool:
    """The issuing bodies' seals printed on certificates: organisers only."""
    return access.is_federation_admin


def certificates_visible(access: Access) -> QuerySet[Certificate]:
    """Certificates of the entries this viewer may see (an entrant: their own), and the units'
    own prizes' of the units they may see."""
    if access.user_id is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(
        Q(entry__in=contests_policy.entries_visible(access).values("pk"))
        | Q(awarded_unit__in=orgs_policy.units_visible(access).values("pk"))
    )
