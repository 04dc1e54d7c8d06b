"""Which units a user sees: federation admins all, unit admins their own subtree."""

from laurel.accounts.policy import Access, may_use_console
from laurel.orgs.models import Unit


def may_view_units(access: Access) -> bool:
    return may_use_console(access)


def units_visible(access: Access):
    if access.is_federation_admin:
        return Unit.objects.all()
    if not access.is_unit_admin:
        return Unit.objects.none()
    return Unit.objects.filter(access.subtree_filter("path"))


def units_administered(access: Access):
    """The units this user holds the unit-admin role for (the tops of their subtrees)."""
    return Unit.objects.filter(path__in=access.admin_paths)
