"""What leaves the system as a file: every export of an event's registrations (its waiting
list among them) and of its attendance is recorded in the audit log — how many rows, and the
filters that chose them (any personal number in them masked by ``audit_log``)."""

from django.db import transaction

from laurel.audit.services import audit_log
from laurel.events.models import Event


@transaction.atomic
def registrations_export_record(
    *, acting_user, event: Event, rows: int, filters: dict[str, str], full_numbers: bool = False
) -> None:
    """Record that ``acting_user`` exported ``rows`` of ``event``'s registrations, chosen by
    ``filters`` (the list's search, unit, state, booth, sort); with whole mobile numbers
    (``full_numbers``) as an action of its own."""
    audit_log(
        actor=acting_user,
        action="events.registrations.exported_unmasked"
        if full_numbers
        else "events.registrations.exported",
        obj=event,
        unit=event.unit,
        data={"event": event.slug, "rows": rows, "filters": filters},
    )


@transaction.atomic
def attendance_export_record(*, acting_user, event: Event, rows: int) -> None:
    """Record that ``acting_user`` exported ``event``'s attendance, listing ``rows`` people
    checked in."""
    audit_log(
        actor=acting_user,
        action="events.attendance.exported",
        obj=event,
        unit=event.unit,
        data={"event": event.slug, "rows": rows, "filters": {}},
    )
