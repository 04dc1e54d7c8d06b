"""Writing the audit log. Every service calls ``audit_log`` inside its own transaction.

Each entry written while a request is served records the client's address, as
``web.client_address`` reads it behind the install's trusted proxies (set for each request by
``web.middleware.ClientAddressMiddleware``); entries written by background jobs and commands
have none."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from laurel.audit.models import LogEntry
from laurel.core.identity import personal_fields_mask, personal_numbers_mask
from laurel.web.client_address import client_address_current


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    unit=None,
    data: dict | None = None,
    ip_address: str | None = None,
) -> LogEntry:
    """Append one entry. Personal fields (mobile, id_card, ...) in ``data`` are masked, and
    so is any ID-card or mobile number inside any string of ``data`` or the names recorded
    (``q=17812346889`` is stored as ``q=178****6889``).

    Must run inside the caller's ``transaction.atomic`` so the entry and the change it
    records commit or roll back together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"audit_log({action!r}) called outside a transaction")
    entry = _entry(actor=actor, action=action, obj=obj, unit=unit, data=data)
    entry.ip_address = ip_address or client_address_current()
    entry.save()
    return entry


def audit_log_many(*, actor, action: str, changes: list[tuple[models.Model, object, dict]]) -> None:
    """Append one entry per ``(obj, unit, data)`` in one statement (imports change thousands).

    The same rules as ``audit_log``: inside the caller's transaction, personal numbers masked.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"audit_log_many({action!r}) called outside a transaction")
    entries = [
        _entry(actor=actor, action=action, obj=obj, unit=unit, data=data)
        for obj, unit, data in changes
    ]
    for entry in entries:
        entry.ip_address = client_address_current()
    LogEntry.objects.bulk_create(entries, batch_size=500)


def _entry(*, actor, action, obj, unit, data) -> LogEntry:
    safe_data = json.loads(json.dumps(personal_fields_mask(data or {}), cls=DjangoJSONEncoder))
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return LogEntry(
        actor=actor if authenticated else None,
        actor_repr=personal_numbers_mask(str(actor)) if authenticated else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=personal_numbers_mask(str(obj))[:200] if obj is not None else "",
        unit=unit,
        data=safe_data,
    )
