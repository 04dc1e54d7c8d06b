"""Which units a user sees: federation admins all, unit admins their own subtree."""

from django.db.models import Q

from laurel.orgs.models import Unit
from laurel.web.access import Access, may_use_console


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


def units_in_reach(access: Access):
    """The units whose figures a user may see: their subtrees and the units above them (a
    grassroots union's admin sees its district's row, counting only their own subtree's
    entries: the figures come from the entries they may see)."""
    if access.is_federation_admin:
        return Unit.objects.all()
    above = {int(pk) for path in access.admin_paths for pk in path.strip("/").split("/")}
    return Unit.objects.filter(access.subtree_filter("path") | Q(pk__in=above))
