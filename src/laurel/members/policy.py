"""Who sees and changes members, teams and imports; how personal numbers are shown.

A unit admin manages the teams of their subtree (``teams_visible``), with the members the
same subtree holds; another subtree's team is not found.

Numbers are masked for everyone but the person themself; a holder of the personal-data
permission may reveal one member's numbers on request (``may_reveal_personal_numbers``).
"""

from django.db.models import QuerySet

from laurel.members.models import Member, MemberImport, Team, TeamImport
from laurel.web.access import Access


def may_manage_members(access: Access) -> bool:
    """Viewing, importing and exporting members: staff, within their subtree."""
    return access.is_staff


def members_visible(access: Access) -> QuerySet[Member]:
    if not access.is_staff:
        return Member.objects.none()
    return Member.objects.filter(access.subtree_filter("unit__path"))


def teams_visible(access: Access) -> QuerySet[Team]:
    if not access.is_staff:
        return Team.objects.none()
    return Team.objects.filter(access.subtree_filter("unit__path"))


def imports_visible(access: Access) -> QuerySet[MemberImport]:
    """An upload is seen by the one who made it (and the federation)."""
    if access.is_federation_admin:
        return MemberImport.objects.all()
    if not access.is_staff:
        return MemberImport.objects.none()
    return MemberImport.objects.filter(uploaded_by_id=access.user_id)


def team_imports_visible(access: Access) -> QuerySet[TeamImport]:
    """A team sheet is seen by the one who uploaded it (and the federation)."""
    if access.is_federation_admin:
        return TeamImport.objects.all()
    if not access.is_staff:
        return TeamImport.objects.none()
    return TeamImport.objects.filter(uploaded_by_id=access.user_id)


def may_reveal_personal_numbers(access: Access, member: Member) -> bool:
    """Asking to see a member's ID-card and mobile numbers whole (a reveal, or an export
    with full numbers): the personal-data permission for everywhere or for their subtree."""
    return access.is_staff and access.holds_personal_data_in(member.unit.path)


def _whole(access: Access, member: Member, revealed: bool) -> bool:
    if member.user_id is not None and member.user_id == access.user_id:
        return True
    return revealed and may_reveal_personal_numbers(access, member)


def id_card_shown_to(access: Access, member: Member, *, revealed: bool = False) -> str:
    """Whole to the member themself, and to a permission holder only when ``revealed`` (they
    asked, and the request is audited); masked as ``500101********123X`` everywhere else."""
    return member.id_card if _whole(access, member, revealed) else member.id_card_masked


def mobile_shown_to(access: Access, member: Member, *, revealed: bool = False) -> str:
    """As ``id_card_shown_to``: ``138****1234`` unless the member or a revealed request."""
    return member.mobile if _whole(access, member, revealed) else member.mobile_masked
