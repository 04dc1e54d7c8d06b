"""Who browses the audit log: federation admins everything, unit admins their subtree."""

from laurel.audit.models import LogEntry
from laurel.web.access import Access


def may_browse_audit(access: Access) -> bool:
    return access.is_staff


def entries_visible(access: Access):
    if access.is_federation_admin:
        return LogEntry.objects.all()
    if not access.is_unit_admin:
        return LogEntry.objects.none()
    return LogEntry.objects.filter(access.subtree_filter("unit__path"))
