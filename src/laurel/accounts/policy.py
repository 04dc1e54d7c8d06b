"""Who may do what with accounts, and the ``Access`` every other policy builds on.

Views and exports ask these functions; they never look at roles themselves.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from laurel.accounts.models import Invitation, Role, RoleGrant, User


@dataclass(frozen=True)
class Access:
    """A user's roles, flattened: booleans and the unit subtrees (as path prefixes) they hold."""

    user_id: int | None
    is_federation_admin: bool = False
    admin_paths: frozenset[str] = frozenset()
    is_judge: bool = False
    member_paths: frozenset[str] = frozenset()
    personal_data_everywhere: bool = False
    personal_data_paths: frozenset[str] = frozenset()

    @property
    def is_unit_admin(self) -> bool:
        return bool(self.admin_paths)

    @property
    def is_staff(self) -> bool:
        return self.is_federation_admin or self.is_unit_admin

    def administers(self, unit_path: str | None) -> bool:
        """True when ``unit_path`` lies in a subtree this user administers."""
        if self.is_federation_admin:
            return True
        return unit_path is not None and any(unit_path.startswith(p) for p in self.admin_paths)

    @property
    def holds_personal_data(self) -> bool:
        """Holds the personal-data permission anywhere (everywhere or for some subtree)."""
        return self.personal_data_everywhere or bool(self.personal_data_paths)

    def holds_personal_data_in(self, unit_path: str | None) -> bool:
        """The personal-data permission covers ``unit_path`` (everywhere, or its subtree)."""
        if self.personal_data_everywhere:
            return True
        return unit_path is not None and any(
            unit_path.startswith(p) for p in self.personal_data_paths
        )

    def personal_data_filter(self, path_field: str) -> Q:
        """A filter keeping rows whose ``path_field`` the personal-data permission covers."""
        return _paths_filter(path_field, self.personal_data_everywhere, self.personal_data_paths)

    def subtree_filter(self, path_field: str) -> Q:
        """A filter keeping rows whose ``path_field`` lies in an administered subtree."""
        return _paths_filter(path_field, self.is_federation_admin, self.admin_paths)


def _paths_filter(path_field: str, everywhere: bool, paths: frozenset[str]) -> Q:
    """Rows whose ``path_field`` starts with one of ``paths`` (every row when ``everywhere``)."""
    if everywhere:
        return Q()
    query = Q(pk__in=[])  # matches nothing: no subtree, no rows
    for path in paths:
        query |= Q(**{f"{path_field}__startswith": path})
    return query


ANONYMOUS = Access(user_id=None)


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
    )


# --- rules ------------------------------------------------------------------------------


def may_use_console(access: Access) -> bool:
    return access.is_staff


def may_manage_users(access: Access) -> bool:
    return access.is_staff


def may_manage_roles(access: Access) -> bool:
    """Granting and revoking roles (and the personal-data permission) is the federation's."""
    return access.is_federation_admin


def invitable_roles(access: Access) -> list[Role]:
    if access.is_federation_admin:
        return [Role.JUDGE, Role.UNIT_ADMIN, Role.MEMBER]
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
