"""The one mechanism views use to ask a policy: ``@allowed_if(policy.rule)``.

The rules themselves live in each app's ``policy.py``; this only applies them: anonymous
visitors go to the log-in page, users the rule refuses get 403. Objects outside the user's
reach are looked up through the policy's scoped querysets, so they are 404, not 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q


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
    is_checkin_staff: bool = False

    @property
    def is_unit_admin(self) -> bool:
        return bool(self.admin_paths)

    @property
    def is_staff(self) -> bool:
        return self.is_federation_admin or self.is_unit_admin

    @property
    def is_checkin_only(self) -> bool:
        """Check-in staff and no other role: a login for the day at a gate. It signs in, sees
        its home page, changes its password and signs out; it has no person's own pages."""
        return self.is_checkin_staff and not (
            self.is_staff or self.is_judge or self.member_paths or self.holds_personal_data
        )

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


def allowed_if(rule: Callable[[Access], bool]):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user.access):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator


def signed_in(access: Access) -> bool:
    """Any logged-in, active user but a check-in-only login (``Access.is_checkin_only``):
    a person's own pages (entries, record, inbox, certificates). Their account and password
    are every login's (``accounts.policy.may_manage_own_account``)."""
    return access.user_id is not None and not access.is_checkin_only


def may_use_console(access: Access) -> bool:
    """Staff: federation admins and unit admins."""
    return access.is_staff
