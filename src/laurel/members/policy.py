"""Who sees and changes members, teams and imports; how personal numbers are shown."""

from django.db.models import QuerySet

from laurel.accounts.policy import Access
from laurel.members.models import Member, MemberImport, Team


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


def sees_personal_numbers_of(access: Access, member: Member) -> bool:
    """ID-card and mobile numbers in full: the member themself, or the permission."""
    if member.user_id is not None and member.user_id == access.user_id:
        return True
    return access.sees_personal_data_in(member.unit.path)


def id_card_shown_to(access: Access, member: Member) -> str:
    return member.id_card if sees_personal_numbers_of(access, member) else member.id_card_masked


def mobile_shown_to(access: Access, member: Member) -> str:
    return member.mobile if sees_personal_numbers_of(access, member) else member.mobile_masked
