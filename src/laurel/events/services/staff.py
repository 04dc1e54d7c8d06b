"""An event's check-in staff: logins holding the ``checkin_staff`` role that the event's
organisers give its gate (``EventStaff``), and take it back. Each change is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laurel.accounts.models import Role, User
from laurel.audit.services import audit_log
from laurel.events.models import Event, EventStaff


def staff_users_eligible():
    """The logins that may be given a gate: active, holding the check-in staff role."""
    return User.objects.filter(is_active=True, grants__role=Role.CHECKIN_STAFF).distinct()


def staff_add(*, acting_user, event: Event, user: User) -> EventStaff:
    """Give ``event``'s gate to ``user``, a check-in staff login; refused (ValidationError)
    for anyone else or when they have it already."""
    if not staff_users_eligible().filter(pk=user.pk).exists():
        raise ValidationError(
            _("%(username)s is not a check-in staff login.") % {"username": user.username}
        )
    with transaction.atomic():
        if EventStaff.objects.filter(event=event, user=user).exists():
            raise ValidationError(
                _("%(username)s already keeps this event's gate.") % {"username": user.username}
            )
        staff = EventStaff(event=event, user=user, added_by=acting_user)
        staff.full_clean()
        staff.save()
        audit_log(
            actor=acting_user,
            action="events.staff.added",
            obj=event,
            unit=event.unit,
            data={"event": event.slug, "username": user.username},
        )
    return staff


def staff_remove(*, acting_user, event: Event, user: User) -> None:
    """Take ``event``'s gate back from ``user`` (nothing happens when they do not keep it)."""
    with transaction.atomic():
        removed, _rows = EventStaff.objects.filter(event=event, user=user).delete()
        if removed:
            audit_log(
                actor=acting_user,
                action="events.staff.removed",
                obj=event,
                unit=event.unit,
                data={"event": event.slug, "username": user.username},
            )
