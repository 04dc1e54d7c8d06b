"""Console pages for events: organisers set an event up (its settings, booths and slots),
move it through its states, watch its occupancy and attendance and look after its
registrations; unit admins also find here the events of others they may register teams for.
Thin: forms in, services write, the events policy decides who sees what — another subtree's
event is not found.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from laurel.accounts.policy import may_reveal_personal_data_somewhere
from laurel.events import policy, services
from laurel.events.charts import attendance_chart, occupancy_chart
from laurel.events.exports import attendance_export
from laurel.events.forms import BoothForm, EventForm, SlotForm, question_rows
from laurel.events.models import Booth, Event, Registration
from laurel.events.selectors import occupancy as occupancy_rows
from laurel.events.tables import (
    EventFilter,
    EventTable,
    RegistrationFilter,
    RegistrationTable,
    events_for_console,
    registrations_for_table,
    slot_label,
)
from laurel.media import services as media_services
from laurel.members.policy import members_visible
from laurel.orgs.policy import units_visible
from laurel.web.access import allowed_if
from laurel.web.confirm import Confirmation, Consequence, confirmation_render, confirmed
from laurel.web.forms import service_errors_onto
from laurel.web.params import id_param
from laurel.web.tables import EXPORT_ROW_LIMIT, XLSX, listing_build
from laurel.web.zones import times_help

# what the button moving an event to a state says; (from, to) where it depends on both
TRANSITION_LABELS = {
    Event.State.OPEN: gettext_lazy("Open registration"),
    (Event.State.CLOSED, Event.State.OPEN): gettext_lazy("Re-open registration"),
    Event.State.CLOSED: gettext_lazy("Close registration"),
    Event.State.ENDED: gettext_lazy("Mark as ended"),
    Event.State.CANCELLED: gettext_lazy("Cancel the event"),
}


def _event(request, slug: str) -> Event:
    events = policy.events_organised(request.user.access).select_related("unit", "cover")
    return get_object_or_404(events, slug=slug)


# --- events ---------------------------------------------------------------------------------


@allowed_if(policy.may_organise_events)
def event_list(request):
    listing = listing_build(
        request, EventTable, events_for_console(request.user.access), filters=EventFilter
    )
    if listing.export_requested:
        return listing.export_response("events")
    return render(request, "events/console_list.html", {"listing": listing})


def _event_form(request, event: Event | None = None) -> EventForm:
    access = request.user.access
    return EventForm(
        request.POST or None,
        request.FILES or None,
        # a copy: the form writes what was posted onto its instance, valid or not
        instance=Event.objects.get(pk=event.pk) if event else None,
        units=units_visible(access),
        members=members_visible(access),
        courses=policy.events_organised(access).filter(kind=Event.Kind.COURSE),
    )


def _cover_stored(request, form: EventForm):
    """The cover image sent, stored and queued for processing as every photo is (the media
    pipeline checks it by content); None when none was sent, or when it was refused (the
    form then says why)."""
    upload = form.cleaned_data.get("cover_upload")
    if not upload:
        return None
    try:
        return media_services.asset_upload(
            acting_user=request.user,
            chunks=upload.chunks(),
            original_name=upload.name,
            max_bytes=media_services.photo_limits().max_bytes,
        )
    except media_services.UploadTooLarge as error:
        form.add_error("cover_upload", str(error))
        return None


@allowed_if(policy.may_organise_events)
def event_create(request):
    form = _event_form(request)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        cover = _cover_stored(request, form)
        if cover is not None:
            fields["cover"] = cover
        if not form.errors:
            try:
                event = services.event_create(
                    acting_user=request.user,
                    slug=form.cleaned_data["slug"],
                    **form.parts(),
                    **fields,
                )
            except ValidationError as error:
                service_errors_onto(form, error)
            else:
                messages.success(
                    request,
                    _("The event was created, as a draft: add its booths, then open it."),
                )
                return redirect("events:console_detail", slug=event.slug)
    return render(request, "events/console_form.html", {"form": form, "event": None})


def _parts_changed(form: EventForm, event: Event) -> dict:
    """The parts the form changes, as the service takes them; the others are left out (a
    quota rewritten counts the places again)."""
    parts, given = {}, form.parts()
    if {unit.pk for unit in given["audience_units"]} != set(
        event.audience_units.values_list("pk", flat=True)
    ):
        parts["audience_units"] = given["audience_units"]
    # a meeting's invitation list is its roll's (``events:console_roll``: each invitee holds a
    # registration and its ticket): its settings never change it
    if event.kind != Event.Kind.MEETING and {member.pk for member in given["invitees"]} != set(
        event.invitees.values_list("member_id", flat=True)
    ):
        parts["invitees"] = given["invitees"]
    quotas = sorted((quota.unit_id, quota.places) for quota in event.quotas.all())
    if sorted((unit.pk, places) for unit, places in given["quotas"]) != quotas:
        parts["quotas"] = given["quotas"]
    if list(given["questions"]) != question_rows(event):
        parts["questions"] = given["questions"]
    return parts


@allowed_if(policy.may_organise_events)
def event_edit(request, slug: str):
    event = _event(request, slug)
    form = _event_form(request, event)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        cover = _cover_stored(request, form)
        if cover is not None:
            fields["cover"] = cover
        elif form.cleaned_data.get("cover_remove"):
            fields["cover"] = None
        if not form.errors:
            try:
                services.event_update(
                    acting_user=request.user,
                    event=event,
                    **_parts_changed(form, event),
                    **fields,
                )
            except ValidationError as error:
                service_errors_onto(form, error)
            else:
                messages.success(request, _("The event's settings were saved."))
                return redirect("events:console_detail", slug=event.slug)
    context = {"form": form, "event": event, "settled": event.state in SETTLED}
    return render(request, "events/console_form.html", context)


SETTLED = (Event.State.ENDED, Event.State.CANCELLED)  # nothing changes any more


def _transitions(event: Event) -> list[dict]:
    return [
        {
            "to": to.value,
            "label": TRANSITION_LABELS.get((event.state, to)) or TRANSITION_LABELS[to],
        }
        for to in (Event.State(state) for state in services.TRANSITIONS[event.state])
    ]


@allowed_if(policy.may_organise_events)
def event_detail(request, slug: str):
    event = _event(request, slug)
    counts = dict.fromkeys(Registration.State.values, 0) | {
        row["state"]: row["n"]
        for row in event.registrations.order_by().values("state").annotate(n=Count("pk"))
    }
    context = {
        "event": event,
        "transitions": _transitions(event),
        "chart": occupancy_chart(event),
        "counts": counts,
        "audience_units": list(event.audience_units.order_by("path")),
        "invitee_count": event.invitees.count(),
        "quotas": list(event.quotas.select_related("unit")),
        "questions": list(event.questions.all()),
        "booth_count": event.booths.count(),
        "settled": event.state in SETTLED,
    }
    return render(request, "events/console_detail.html", context)


def _cancel_confirmation(request, event: Event):
    """Cancelling the event, asked first: how many registrations are told, for how many
    people."""
    preview = services.event_cancel_preview(event)
    return confirmation_render(
        request,
        Confirmation(
            title=_("Cancel “%(title)s”?") % {"title": event.title},
            action=reverse("events:console_state", args=[event.slug]),
            button=_("Cancel the event"),
            back=reverse("events:console_detail", args=[event.slug]),
            consequences=[
                Consequence(
                    "registrations",
                    preview.registrations,
                    ngettext(
                        "%(count)d registration (%(people)d people, registered or waiting) is "
                        "told, in the inbox and by SMS, that the event will not take place.",
                        "%(count)d registrations (%(people)d people, registered or waiting) "
                        "are told, in the inbox and by SMS, that the event will not take place.",
                        preview.registrations,
                    )
                    % {"count": preview.registrations, "people": preview.people},
                )
            ],
            notes=[_("A cancelled event cannot be opened again, nor changed.")],
        ),
    )


@allowed_if(policy.may_organise_events)
@require_POST
def event_state(request, slug: str):
    event = _event(request, slug)
    state = request.POST.get("state", "")
    if state not in Event.State.values:
        messages.error(request, _("Choose a state the event can move to."))
        return redirect("events:console_detail", slug=event.slug)
    possible = state in services.TRANSITIONS[event.state]
    if possible and state == Event.State.CANCELLED and not confirmed(request):
        return _cancel_confirmation(request, event)
    try:
        event = services.event_state_set(acting_user=request.user, event=event, state=state)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The event is now “%(state)s”.") % {"state": event.get_state_display()}
        )
    return redirect("events:console_detail", slug=event.slug)


# --- booths and slots -------------------------------------------------------------------------


def _booth_rows(event: Event) -> list[dict]:
    """The event's booths, each with its slots and their places taken and waiting (two
    queries)."""
    numbers = {row.slot.pk: row for row in occupancy_rows(event, by_slot=True) if row.slot}
    return [
        {
            "booth": booth,
            "slots": [
                {"slot": slot, "numbers": numbers.get(slot.pk)} for slot in booth.slots.all()
            ],
        }
        for booth in event.booths.prefetch_related("slots")
    ]


@allowed_if(policy.may_organise_events)
def booths(request, slug: str):
    event = _event(request, slug)
    form = BoothForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booth = services.booth_save(
                acting_user=request.user,
                event=event,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request, _("%(booth)s was added: now give it its time slots.") % {"booth": booth}
            )
            return redirect("events:console_booth", slug=event.slug, pk=booth.pk)
    context = {
        "event": event,
        "rows": _booth_rows(event),
        "form": form,
        "settled": event.state in SETTLED,
    }
    return render(request, "events/console_booths.html", context)


def _slot_initial(event: Event, booth: Booth) -> dict:
    """A new slot: after the booth's last one, as long and as large; else the event's first
    hour."""
    last = booth.slots.order_by("-ends_at", "-pk").first()
    if last is None:
        return {
            "starts_at": event.starts_at,
            "ends_at": min(event.starts_at + timedelta(hours=1), event.ends_at),
            "capacity": 20,
        }
    length = last.ends_at - last.starts_at
    return {
        "starts_at": last.ends_at,
        "ends_at": min(last.ends_at + length, event.ends_at),
        "capacity": last.capacity,
    }


def _slot_forms(booth: Booth, bound: tuple[int, SlotForm] | None) -> list[dict]:
    numbers = {row.slot.pk: row for row in occupancy_rows(booth.event, by_slot=True) if row.slot}
    rows = []
    for slot in booth.slots.all():
        if bound is not None and bound[0] == slot.pk:
            form = bound[1]
        else:
            form = SlotForm(
                prefix=f"slot-{slot.pk}",
                initial={
                    "starts_at": timezone.localtime(slot.starts_at),
                    "ends_at": timezone.localtime(slot.ends_at),
                    "capacity": slot.capacity,
                },
            )
        rows.append({"slot": slot, "form": form, "numbers": numbers.get(slot.pk)})
    return rows


@allowed_if(policy.may_organise_events)
def booth_edit(request, slug: str, pk: int):
    """One booth: rename or remove it; add its time slots, change or remove them. Each form
    posts an ``action``; a refusal is shown on the form that asked."""
    event = _event(request, slug)
    booth = get_object_or_404(event.booths.select_related("event"), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    here = reverse("events:console_booth", args=[event.slug, booth.pk])
    booth_form = BoothForm(
        request.POST if action == "rename" else None,
        initial={"name": booth.name, "description": booth.description},
    )
    new_slot_form = SlotForm(
        request.POST if action == "slot_add" else None,
        prefix="new",
        initial=_slot_initial(event, booth),
    )
    bound_slot = None
    try:
        if action == "rename" and booth_form.is_valid():
            services.booth_save(
                acting_user=request.user,
                event=event,
                booth=booth,
                name=booth_form.cleaned_data["name"],
                description=booth_form.cleaned_data["description"],
            )
            messages.success(request, _("The booth was saved."))
            return redirect(here)
        if action == "delete":
            services.booth_delete(acting_user=request.user, booth=booth)
            messages.success(request, _("%(booth)s was removed.") % {"booth": booth.name})
            return redirect("events:console_booths", slug=event.slug)
        if action == "slot_add" and new_slot_form.is_valid():
            services.slot_save(acting_user=request.user, booth=booth, **new_slot_form.cleaned_data)
            messages.success(request, _("The time slot was added."))
            return redirect(here)
        if action in ("slot_save", "slot_delete"):
            slot = get_object_or_404(booth.slots, pk=id_param(request.POST, "slot"))
            if action == "slot_delete":
                services.slot_delete(acting_user=request.user, slot=slot)
                messages.success(request, _("The time slot was removed."))
                return redirect(here)
            form = SlotForm(request.POST, prefix=f"slot-{slot.pk}")
            bound_slot = (slot.pk, form)
            if form.is_valid():
                services.slot_save(
                    acting_user=request.user, booth=booth, slot=slot, **form.cleaned_data
                )
                messages.success(request, _("The time slot was saved."))
                return redirect(here)
    except ValidationError as error:
        form = {
            "rename": booth_form,
            "slot_add": new_slot_form,
            "slot_save": bound_slot[1] if bound_slot else None,
        }.get(action)
        if form is None:  # removing: said above the page
            messages.error(request, " ".join(error.messages))
            return redirect(here)
        service_errors_onto(form, error)
    context = {
        "event": event,
        "booth": booth,
        "booth_form": booth_form,
        "slot_rows": _slot_forms(booth, bound_slot),
        "new_slot_form": new_slot_form,
        "settled": event.state in SETTLED,
        "times_help": times_help(),
    }
    return render(request, "events/console_booth.html", context)


# --- occupancy --------------------------------------------------------------------------------


@allowed_if(policy.may_organise_events)
def occupancy(request, slug: str):
    """The occupancy chart: alone for htmx (the chart polls itself while registration is
    open), else as a page of its own."""
    event = _event(request, slug)
    context = {"event": event, "chart": occupancy_chart(event)}
    if request.htmx:
        return render(request, "events/_occupancy.html", context)
    return render(request, "events/console_occupancy.html", context)


# --- attendance -------------------------------------------------------------------------------


@allowed_if(policy.may_organise_events)
def attendance(request, slug: str):
    """Who has come, by booth and slot and by unit: alone for htmx (the figures poll
    themselves while the event runs), else as a page of its own; ``?export=xlsx`` as a
    workbook of those views and the people checked in (audited)."""
    event = _event(request, slug)
    if request.GET.get("export") == "xlsx":
        export = attendance_export(event)
        services.attendance_export_record(acting_user=request.user, event=event, rows=export.rows)
        response = HttpResponse(export.content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendance.xlsx"'
        return response
    context = {"event": event, "chart": attendance_chart(event)}
    if request.htmx:
        return render(request, "events/_attendance.html", context)
    return render(request, "events/console_attendance.html", context)


# --- registrations ----------------------------------------------------------------------------


# what a registrations export's query string holds besides the list's filters
EXPORT_PARAMETERS = ("export", "page", "full_numbers")


@allowed_if(policy.may_organise_events)
def registrations(request, slug: str):
    """The registrations, searched and filtered; ``?export=xlsx`` the rows the filters select
    (with ``state=waiting``: the waiting list, each with its place), audited; with
    ``full_numbers=1`` a holder of the personal-data permission gets whole mobile numbers for
    the people it covers."""
    event = _event(request, slug)
    access = request.user.access
    may_export_full_numbers = may_reveal_personal_data_somewhere(access)
    full_numbers = (
        request.GET.get("export") == "xlsx"
        and request.GET.get("full_numbers") == "1"
        and may_export_full_numbers
    )
    shown = registrations_for_table(policy.registrations_visible(access, event), event)
    if full_numbers:  # the members policy reads each person's unit
        shown = shown.select_related("member__unit", "team__leader__unit")
    listing = listing_build(
        request,
        RegistrationTable,
        shown,
        filters=RegistrationFilter.for_event(event),
        table_kwargs={
            "event": event,
            "questions": list(event.questions.all()),
            "full_numbers": full_numbers,
        },
    )
    if listing.export_requested:
        waiting_list = request.GET.get("state") == Registration.State.WAITING
        response = listing.export_response(
            f"{event.slug}-waiting-list" if waiting_list else f"{event.slug}-registrations"
        )
        services.registrations_export_record(
            acting_user=request.user,
            event=event,
            rows=min(listing.count, EXPORT_ROW_LIMIT),
            filters={
                key: value
                for key, value in request.GET.items()
                if key not in EXPORT_PARAMETERS and value
            },
            full_numbers=full_numbers,
        )
        return response
    context = {
        "event": event,
        "listing": listing,
        "has_waiting": policy.registrations_visible(access, event)
        .filter(state=Registration.State.WAITING)
        .exists(),
        "may_export_full_numbers": may_export_full_numbers,
    }
    return render(request, "events/console_registrations.html", context)


def _moved_up(promoted: list[Registration]) -> str:
    """Who a cancellation moved up, in a sentence."""
    names = []
    for registration in promoted:
        if registration.state == Registration.State.OFFERED:
            until = timezone.localtime(registration.offer_expires_at)
            names.append(
                _("%(name)s (offered the place until %(time)s)")
                % {"name": registration.registrant_name, "time": f"{until:%m-%d %H:%M}"}
            )
        else:
            names.append(_("%(name)s (registered)") % {"name": registration.registrant_name})
    return _("Moved up and told: %(names)s.") % {"names": "、".join(names)}


def _registration_cancel_confirmation(request, event: Event, registration: Registration):
    waiting = Registration.objects.filter(
        event=event, slot=registration.slot, state=Registration.State.WAITING
    ).count()
    where = slot_label(registration.slot) or event.title
    consequences = [
        Consequence(
            "people",
            registration.places,
            ngettext(
                "%(name)s (%(count)d person) no longer has a place at %(where)s.",
                "%(name)s (%(count)d people) no longer has a place at %(where)s.",
                registration.places,
            )
            % {"name": registration.registrant_name, "count": registration.places, "where": where},
        )
    ]
    if registration.holds_place:
        consequences.append(
            Consequence(
                "waiting",
                waiting,
                ngettext(
                    "%(count)d registration waits for this place: the first in line moves up "
                    "and is told.",
                    "%(count)d registrations wait for this place: the first in line moves up "
                    "and is told.",
                    waiting,
                )
                % {"count": waiting},
            )
        )
    return confirmation_render(
        request,
        Confirmation(
            title=_("Cancel the registration of %(name)s?")
            % {"name": registration.registrant_name},
            action=reverse(
                "events:console_registration_cancel", args=[event.slug, registration.pk]
            ),
            button=_("Cancel the registration"),
            back=reverse("events:console_registrations", args=[event.slug]),
            consequences=consequences,
        ),
    )


@allowed_if(policy.may_organise_events)
@require_POST
def registration_cancel(request, slug: str, pk: int):
    event = _event(request, slug)
    registration = get_object_or_404(
        policy.registrations_visible(request.user.access, event).select_related(
            "member", "team", "slot__booth"
        ),
        pk=pk,
    )
    back = redirect("events:console_registrations", slug=event.slug)
    if registration.state not in Registration.ACTIVE:
        messages.error(
            request,
            _("This registration is already %(state)s.")
            % {"state": registration.get_state_display().lower()},
        )
        return back
    if not confirmed(request):
        return _registration_cancel_confirmation(request, event, registration)
    try:
        promoted = services.registration_cancel(acting_user=request.user, registration=registration)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
        return back
    sentence = _("The registration of %(name)s is cancelled.") % {
        "name": registration.registrant_name
    }
    if promoted:
        sentence = f"{sentence} {_moved_up(promoted)}"
    messages.success(request, sentence)
    return back
