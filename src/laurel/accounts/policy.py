"""Who may do what with accounts, and how a user's roles become their ``Access``.

Views and exports ask these functions; they never look at roles themselves.
"""

from django.db.models import QuerySet

from laurel.accounts.models import Invitation, Role, RoleGrant, User
from laurel.web.access import ANONYMOUS, Access


def access_for(user) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    grants = list(RoleGrant.objects.filter(user=user).select_related("unit"))

    def paths(role: Role) -> frozenset[str]:
        return frozenset(g.unit.path for g in grants if g.role == role and g.unit_id)

    roles = {g.role for g in grants}
    return Access(
        user_id=user.pk,
        is_federation_admin=Role.FEDERATION_ADMIN in roles,
        admin_paths=paths(Role.UNIT_ADMIN),
        is_judge=Role.JUDGE in roles,
        member_paths=paths(Role.MEMBER),
        personal_data_everywhere=any(
            g.role == Role.PERSONAL_DATA and not g.unit_id for g in grants
        ),
        personal_data_paths=paths(Role.PERSONAL_DATA),
        is_checkin_staff=Role.CHECKIN_STAFF in roles,
    )


# --- rules ------------------------------------------------------------------------------


def may_manage_own_account(access: Access) -> bool:
    """Their own account page and password: every signed-in user, a check-in login too."""
    return access.user_id is not None


def may_manage_users(access: Access) -> bool:
    return access.is_staff


def may_manage_roles(access: Access) -> bool:
    """Granting and revoking roles (and the personal-data permission) is the federation's."""
    return access.is_federation_admin


def invitable_roles(access: Access) -> list[Role]:
    if access.is_federation_admin:
        return [Role.JUDGE, Role.UNIT_ADMIN, Role.MEMBER, Role.CHECKIN_STAFF]
    if access.is_unit_admin:
        return [Role.MEMBER]
    return []


def may_invite(access: Access) -> bool:
    return bool(invitable_roles(access))


def users_visible(access: Access) -> QuerySet[User]:
    """Federation admins see everyone; unit admins the members and admins of their subtree."""
    if access.is_federation_admin:
        return User.objects.all()
    if not access.is_unit_admin:
        return User.objects.none()
    in_subtree = RoleGrant.objects.filter(
        access.subtree_filter("unit__path"), role__in=[Role.MEMBER, Role.UNIT_ADMIN]
    )
    return User.objects.filter(pk__in=in_subtree.values("user_id"))


def invitations_visible(access: Access):
    if access.is_federation_admin:
        return Invitation.objects.all()
    if not access.is_unit_admin:
        return Invitation.objects.none()
    return Invitation.objects.filter(access.subtree_filter("unit__path"))


def may_reveal_personal_data_of(access: Access, user: User) -> bool:
    """Asking to see a person's numbers whole: the personal-data permission for everywhere
    or for a subtree one of their roles lies in. Shown only on request, and audited."""
    if access.personal_data_everywhere:
        return True
    unit_paths = [g.unit.path for g in user.grants.all() if g.unit_id]
    return any(access.holds_personal_data_in(path) for path in unit_paths)


def may_reveal_personal_data_somewhere(access: Access) -> bool:
    """Whether the reveal buttons (and searching by whole numbers) are for this user at all."""
    return access.is_staff and access.holds_personal_data


def mobile_shown_to(access: Access, user: User, *, revealed: bool = False) -> str:
    """The mobile as this viewer sees it: whole to the person themself, and to a holder of
    the permission only when revealed on request; everyone else ``138****1234``."""
    if not user.mobile:
        return ""
    if access.user_id is not None and access.user_id == user.pk:
        return user.mobile
    if revealed and may_reveal_personal_data_of(access, user):
        return user.mobile
    return user.mobile_masked
