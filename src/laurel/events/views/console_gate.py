"""The gate: the check-in page for staff phones (``events:gate``) — a scanned or typed ticket
checked in, a lost ticket found by name and the last four digits of a mobile, a walk-in
registered and let in at once — and the organisers' page giving the gate to check-in staff.

Thin: the events policy decides whose gate it is (another event's gate is not found), the
services check in and register. Every POST of the gate carries an idempotency key
(``web.idempotency``): a double tap gives the first answer again and never checks in twice.
The device's name and the booth are chosen once and kept in the page's query string.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.accounts.models import User
from laurel.events import policy, services
from laurel.events.forms import PersonAtGateForm, StaffAddForm
from laurel.events.models import Event, EventStaff, Registration, Slot
from laurel.events.scanner import ED25519_LIBRARY, SCANNER_LIBRARY, SCANNER_WASM, scanner_page
from laurel.web import idempotency
from laurel.web.access import allowed_if

SCOPE = "events.gate"  # the idempotency scope of the gate's check-ins and walk-ins


def _event(request, slug: str) -> Event:
    events = policy.events_checked_in_by(request.user.access).select_related("unit")
    return get_object_or_404(events, slug=slug)


def _station(request, event: Event) -> dict:
    """Where this phone stands: its booth (a query parameter, chosen once) and its name
    (the same; the user's own name unless given)."""
    booth_id = request.GET.get("booth") or request.POST.get("booth") or ""
    booth = event.booths.filter(pk=_number(booth_id)).first() if booth_id else None
    device = (request.GET.get("device") or request.POST.get("device") or "").strip()
    device = (
        device[: services.tickets.DEVICE_MAX] or request.user.get_full_name() or str(request.user)
    )
    return {"booth": booth, "device": device}


def _number(text: str | None) -> int:
    """A primary key posted (0, found nowhere, for anything else)."""
    return int(text) if text and text.isdigit() and len(text) < 19 else 0


def _shown(outcome) -> dict:
    """What the page shows of a check-in's outcome, as plain values (kept as a replay's
    answer): the state, the sentence, and the holder's name, team, booth and slot."""
    registration = outcome.registration
    shown = {"ok": outcome.ok, "reason": outcome.reason, "message": outcome.message}
    if registration is not None:
        slot = registration.slot
        shown |= {
            "holder": registration.registrant_name,
            "team": registration.team.name if registration.team_id else "",
            "booth": slot.booth.name if slot is not None else "",
            "slot": services.tickets.slot_shown(slot),
        }
    if outcome.check_in is not None:  # for the device's own record of who is in
        shown["ticket"] = outcome.check_in.ticket_id
    if outcome.first is not None:
        shown["first_at"] = outcome.first.at.isoformat()
        shown["first_device"] = outcome.first.device
    return shown


def _render(request, event: Event, station: dict, *, result=None, status=200, **extra):
    context = {
        "event": event,
        "station": station,
        "booths": list(event.booths.all()),
        "result": result,
        "scan_key": uuid.uuid4().hex,  # the scan form's: a new one with every answer
        "form_key": uuid.uuid4().hex,  # the lost ticket's and the walk-in's forms'
        "scanner_library": SCANNER_LIBRARY,
        "scanner_wasm": SCANNER_WASM,
        "ed25519_library": ED25519_LIBRARY,
        "person_form": extra.pop("person_form", None) or PersonAtGateForm(),
        **extra,
    }
    template = "events/_gate_result.html" if request.htmx and result else "events/gate.html"
    return render(request, template, context, status=status)


def _once(request, work) -> dict | None:
    """Run ``work`` (returning what the page shows) once for the request's idempotency key:
    a retry gets the first answer again. None for a malformed key."""
    try:
        key = idempotency.request_key(request)
    except idempotency.KeyRefused:
        return None
    return idempotency.run_once(
        scope=SCOPE, owner=idempotency.user_owner(request.user), key=key, work=work
    ).result


@allowed_if(policy.may_use_gates)
@scanner_page
def gate(request, slug: str):
    """The gate page; a POST checks in the ticket typed or scanned into ``#scan-input``."""
    event = _event(request, slug)
    station = _station(request, event)
    if request.method != "POST":
        return _render(request, event, station)
    scanned = request.POST.get("scanned", "").strip()
    if not scanned:
        return _render(request, event, station)
    result = _once(
        request,
        lambda: _shown(
            services.ticket_check_in(
                acting_user=request.user,
                event=event,
                scanned=scanned,
                device=station["device"],
                booth=station["booth"],
            )
        ),
    )
    if result is None:
        return HttpResponseBadRequest(_("This form has expired: reload the page."))
    return _render(request, event, station, result=result)


@allowed_if(policy.may_use_gates)
@scanner_page
def gate_lost(request, slug: str):
    """A lost ticket: the registrations found by name and the last four digits of the
    mobile (GET), each checked in with its own ticket on request (POST ``registration``)."""
    event = _event(request, slug)
    station = _station(request, event)
    if request.method == "POST":
        registration = get_object_or_404(
            Registration.objects.filter(event=event), pk=_number(request.POST.get("registration"))
        )

        def work():
            ticket = services.ticket_of(registration)
            if ticket is None:
                message = _("This ticket no longer holds.")
                return {"ok": False, "reason": "cancelled", "message": message}
            return _shown(
                services.ticket_check_in(
                    acting_user=request.user,
                    event=event,
                    scanned=ticket.payload,
                    device=station["device"],
                    booth=station["booth"],
                )
            )

        result = _once(request, work)
        if result is None:
            return HttpResponseBadRequest(_("This form has expired: reload the page."))
        return _render(request, event, station, result=result)
    form = PersonAtGateForm(request.GET)
    found = None
    if form.is_valid():
        found = services.tickets_find_lost(
            event, form.cleaned_data["name"], form.cleaned_data["mobile_last4"]
        )
    return _render(request, event, station, person_form=form, lost=found, panel="lost")


@allowed_if(policy.may_use_gates)
@scanner_page
def gate_walk_in(request, slug: str):
    """A walk-in: the people found by name and the last four digits of the mobile, and the
    slots with places left (GET); one registered for a slot and checked in at once (POST)."""
    event = _event(request, slug)
    station = _station(request, event)
    if request.method == "POST":
        member = get_object_or_404(
            services.walk_in_people(
                event, request.POST.get("name", ""), request.POST.get("mobile_last4", "")
            ),
            pk=_number(request.POST.get("member")),
        )
        slot = None
        if event.booths.exists():
            slot = get_object_or_404(
                Slot.objects.filter(booth__event=event), pk=_number(request.POST.get("slot"))
            )

        def work():
            try:
                return _shown(
                    services.walk_in_register(
                        acting_user=request.user,
                        event=event,
                        slot=slot,
                        member=member,
                        device=station["device"],
                    )
                )
            except services.RegistrationRefused as refused:
                reason = f"walk-in-{refused.reason}"
                return {"ok": False, "reason": reason, "message": refused.message}

        result = _once(request, work)
        if result is None:
            return HttpResponseBadRequest(_("This form has expired: reload the page."))
        return _render(request, event, station, result=result)
    form = PersonAtGateForm(request.GET)
    people = None
    if form.is_valid():
        people = services.walk_in_people(
            event, form.cleaned_data["name"], form.cleaned_data["mobile_last4"]
        )
    return _render(
        request,
        event,
        station,
        person_form=form,
        walk_in=people,
        slots=services.slots_with_places(event),
        panel="walk-in",
    )


# --- the organisers' page: who keeps the gate ---------------------------------------------------


def _organised(request, slug: str) -> Event:
    events = policy.events_organised(request.user.access).select_related("unit")
    return get_object_or_404(events, slug=slug)


@allowed_if(policy.may_organise_events)
def staff(request, slug: str):
    """The event's check-in staff; a POST gives the gate to one more, by username."""
    event = _organised(request, slug)
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = (
            services.staff_users_eligible()
            .filter(username=form.cleaned_data["username"].strip())
            .first()
        )
        if user is None:
            form.add_error("username", _("No check-in staff login has this username."))
        else:
            try:
                services.staff_add(acting_user=request.user, event=event, user=user)
            except ValidationError as error:
                form.add_error("username", error)
            else:
                messages.success(
                    request,
                    _("%(username)s now keeps the gate of this event.")
                    % {"username": user.username},
                )
                return redirect("events:console_staff", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "staff": EventStaff.objects.filter(event=event).select_related("user", "added_by"),
    }
    return render(request, "events/console_staff.html", context)


@allowed_if(policy.may_organise_events)
@require_POST
def staff_remove(request, slug: str, pk: int):
    event = _organised(request, slug)
    given = get_object_or_404(EventStaff.objects.filter(event=event), user_id=pk)
    user = User.objects.get(pk=given.user_id)
    services.staff_remove(acting_user=request.user, event=event, user=user)
    messages.success(
        request, _("%(username)s no longer keeps this gate.") % {"username": user.username}
    )
    return redirect("events:console_staff", slug=event.slug)
