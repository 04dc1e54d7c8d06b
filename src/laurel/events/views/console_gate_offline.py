"""The gate without the network, for check-in staff's phones: the ticket list a device keeps
(``events:gate_offline_list``) and the scans it made offline, sent when the network is back
(``events:gate_sync``). Both JSON, both for the gate's own staff only (the events policy, as
the gate page); the page's script (``events/static/events/gate_offline.js``) calls them.

A sync sends ``{"sent_at": <the device's clock>, "scans": [{"key", "ticket", "at", "device",
"booth"}, …]}``; the answer has one result a scan, in order: ``{"key", "ok", "reason",
"message", "holder", "first_device", "first_at"}``. A scan that cannot be read gets its own
result (reason ``unreadable``, the field and why) and never stops the others.
"""

import hashlib
import json
from datetime import UTC, datetime

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from laurel.events import policy, services
from laurel.events.models import Event
from laurel.events.scanner import ED25519_LIBRARY, SCANNER_LIBRARY, SCANNER_WASM
from laurel.events.services.offline import SCANS_MAX, OfflineScan, clock_corrected
from laurel.web import idempotency
from laurel.web.access import allowed_if


def _event(request, slug: str) -> Event:
    return get_object_or_404(policy.events_checked_in_by(request.user.access), slug=slug)


@allowed_if(policy.may_use_gates)
@require_GET
@never_cache
def offline_list(request, slug: str):
    """The ticket list a device keeps to check tickets on its own (``services.offline_list``)."""
    return JsonResponse(services.offline_list(_event(request, slug)))


def _moment(text) -> datetime | None:
    """An ISO 8601 time with its offset (as a browser's ``toISOString``), else None."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment.astimezone(UTC) if timezone.is_aware(moment) else None
    except (ValueError, OverflowError):  # not a time, or out of range once in UTC (year 1)
        return None


def _whole(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def scan_read(raw, *, device_now: datetime | None, now: datetime) -> OfflineScan | str:
    """A scan as the device sent it, or why it cannot be read (naming the field)."""
    if not isinstance(raw, dict):
        return _("a scan must be an object with key, ticket and at")
    key = raw.get("key")
    if not isinstance(key, str) or not idempotency.KEY_PATTERN.fullmatch(key):
        return _("key: 1 to 100 visible ASCII characters, such as a UUID")
    ticket_id = _whole(raw.get("ticket"))
    if ticket_id is None:
        return _("ticket: the ticket's number, a whole number above 0")
    at = _moment(raw.get("at"))
    if at is None:
        return _("at: a time in ISO 8601 with its offset, such as 2026-05-01T09:30:00Z")
    booth = raw.get("booth")
    if booth is not None and _whole(booth) is None:
        return _("booth: the booth's number, or null for the gate")
    device = raw.get("device", "")
    if not isinstance(device, str):
        return _("device: the device's name, as text")
    try:
        at = clock_corrected(at, device_now=device_now, now=now)
    except OverflowError:  # shifted past year 9999 or before year 1: a clock far off
        return _("at: a time in ISO 8601 with its offset, such as 2026-05-01T09:30:00Z")
    return OfflineScan(
        key=key,
        ticket_id=ticket_id,
        at=at,
        device=device,
        booth_id=booth,
    )


def _result(key, outcome) -> dict:
    registration = outcome.registration
    result = {
        "key": key,
        "ok": outcome.ok,
        "reason": outcome.reason,
        "message": outcome.message,
        "holder": registration.registrant_name if registration is not None else "",
        "first_device": "",
        "first_at": "",
    }
    if outcome.first is not None:
        result["first_device"] = outcome.first.device
        result["first_at"] = outcome.first.at.isoformat()
    return result


@allowed_if(policy.may_use_gates)
@require_POST
def sync(request, slug: str):
    """Record the scans a device made offline; one result a scan (see the module)."""
    event = _event(request, slug)
    try:
        body = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # or nested too deep
        body = None
    scans = body.get("scans") if isinstance(body, dict) else None
    if not isinstance(scans, list):
        message = _("Send a JSON object whose “scans” is a list of scans.")
        return JsonResponse({"error": message}, status=400)
    if len(scans) > SCANS_MAX:
        message = _("At most %(max)s scans at a time: send the rest in another request.")
        return JsonResponse({"error": message % {"max": SCANS_MAX}}, status=400)
    now = timezone.now()
    device_now = _moment(body.get("sent_at"))
    read = [scan_read(raw, device_now=device_now, now=now) for raw in scans]
    recorded = iter(
        services.check_ins_sync(
            acting_user=request.user,
            event=event,
            scans=[scan for scan in read if isinstance(scan, OfflineScan)],
            now=now,
        )
    )
    results = []
    for raw, scan in zip(scans, read, strict=True):
        if isinstance(scan, OfflineScan):
            results.append(_result(scan.key, next(recorded)))
        else:
            key = raw.get("key") if isinstance(raw, dict) else None
            results.append(
                {
                    "key": key if isinstance(key, str) else None,
                    "ok": False,
                    "reason": "unreadable",
                    "message": _("This scan cannot be read: %(why)s.") % {"why": scan},
                    "holder": "",
                    "first_device": "",
                    "first_at": "",
                }
            )
    return JsonResponse({"synced_at": now.isoformat(), "results": results})


# What the gate page needs from the static files, kept by its service worker for a reload
# without the network (the camera's reader too).
GATE_ASSETS = (
    "laurel/app.css",
    "laurel/favicon.svg",
    "django_htmx/htmx-2.min.js",
    "events/gate.css",
    "events/gate.js",
    "events/gate_offline.js",
    "events/scanner.js",
    SCANNER_LIBRARY,
    SCANNER_WASM,
    ED25519_LIBRARY,
)


@allowed_if(policy.may_use_gates)
@require_GET
@never_cache
def service_worker(request, slug: str):
    """The gate page's service worker: keeps the page and what it needs so that it opens
    again without the network (``events/gate_sw.js``). Its scope is the gate's own path."""
    event = _event(request, slug)
    assets = [static(path) for path in GATE_ASSETS]
    version = hashlib.sha256("\n".join(assets).encode()).hexdigest()[:16]
    prefix = f"laurel-gate-{event.slug}-"
    config = {
        "cache": prefix + version,
        "prefix": prefix,
        "page": reverse("events:gate", args=[event.slug]),
        "staticUrl": settings.STATIC_URL,
        "assets": assets,
    }
    return render(
        request,
        "events/gate_sw.js",
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
