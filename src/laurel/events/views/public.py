"""What is on, for anyone: every event past its draft — upcoming first, searchable by title
and venue —, one event's facts with its booths, slots and places left and the way to
register, and the event as an .ics file for a phone's calendar (with a person's own slot
times when they are registered); a performance's programme, on its page and as a PDF to
print."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from laurel.core.completion import classes_needed
from laurel.events import policy, selectors
from laurel.events.models import Event, Registration
from laurel.events.programme_pdf import PAGE_SIZES, programme_pdf
from laurel.events.services.programme import PROGRAMME_KINDS, has_programme
from laurel.events.views.member import Person, person_of

EVENTS_PER_PAGE = 20
SEARCH_MAX = 100


def event_list(request):
    now = timezone.now()
    events = policy.events_public().select_related("unit", "cover")
    query = request.GET.get("q", "").strip()[:SEARCH_MAX]
    if query:
        events = events.filter(Q(title__icontains=query) | Q(venue__icontains=query))
    # those not over yet first, the soonest first; then the past ones, the latest first
    over = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField())
    events = events.annotate(
        over=over, coming_at=Case(When(ends_at__gte=now, then=F("starts_at")))
    ).order_by("over", F("coming_at").asc(nulls_last=True), "-starts_at", "pk")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"event": event, "open": event.takes_registrations(now)} for event in page]
    return render(
        request, "events/public_event_list.html", {"page": page, "rows": rows, "query": query}
    )


def audience_in_words(event: Event) -> str:
    """Who may register, as a sentence: everyone, the units named (and those below them), or
    the people invited."""
    if event.audience == Event.Audience.UNITS:
        names = "、".join(unit.name for unit in event.audience_units.order_by("path"))
        return _("Members of %(units)s and of the units below them") % {"units": names}
    if event.audience == Event.Audience.INVITED:
        return _("Invited people only")
    return _("All members")


@dataclass(frozen=True)
class SlotShown:
    """A slot (or, without booths, the event) with its places and the person's own
    registration for it, if any."""

    row: selectors.Occupancy
    own: Registration | None


@dataclass(frozen=True)
class BoothShown:
    name: str
    description: str
    slots: list[SlotShown]


def _booths(event: Event, mine: dict) -> list[BoothShown]:
    descriptions = dict(event.booths.values_list("name", "description"))
    booths: dict[str, list[SlotShown]] = {}
    for row in selectors.open_slots(event):
        booths.setdefault(row.booth, []).append(SlotShown(row, mine.get(row.slot.pk)))
    return [BoothShown(name, descriptions.get(name, ""), rows) for name, rows in booths.items()]


def own_registrations(person: Person | None, event: Event) -> list[Registration]:
    """The person's active registrations for the event (their own and their teams')."""
    if person is None:
        return []
    return list(
        event.registrations.filter(person.visible(), state__in=Registration.ACTIVE)
        .select_related("slot__booth", "team")
        .distinct()
        .order_by("slot__starts_at", "pk")
    )


def window_state(event: Event, now: datetime) -> str:
    """``open``, ``not_yet`` (open, its window still to come) or ``closed``."""
    if event.takes_registrations(now):
        return "open"
    if event.state == Event.State.OPEN and now < event.registration_opens_at:
        return "not_yet"
    return "closed"


def event_detail(request, slug: str):
    event = get_object_or_404(policy.events_public().select_related("unit", "cover"), slug=slug)
    person = person_of(request)
    mine = {registration.slot_id: registration for registration in own_registrations(person, event)}
    booths = _booths(event, mine)
    whole = None
    if not booths:  # an event without booths: its own places
        whole = SlotShown(selectors.occupancy(event)[0], mine.get(None))
    window = window_state(event, timezone.now())
    context = {
        "event": event,
        "audience": audience_in_words(event),
        "window": window,
        "registers": window == "open" and event.members_register,
        "booths": booths,
        "whole": whole,
        "person": person,
        "programme": selectors.programme(event) if has_programme(event) else None,
        "course": course_shown(event) if event.kind == Event.Kind.COURSE else None,
        "showcase_of": showcase_of_shown(event),
    }
    response = render(request, "events/public_event_detail.html", context)
    if person is not None:  # the person's own registrations are on it
        add_never_cache_headers(response)
    return response


def event_calendar(request, slug: str):
    """The event as an iCalendar file: the event itself, and the person's own slots."""
    event = get_object_or_404(policy.events_public(), slug=slug)
    person = person_of(request)
    host = request.get_host().split(":")[0]
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Laurel//events//")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    url = request.build_absolute_uri(reverse("events:detail", args=[event.slug]))
    calendar.add_component(
        _calendar_entry(
            uid=f"event-{event.pk}@{host}",
            summary=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            event=event,
            url=url,
        )
    )
    for registration in own_registrations(person, event):
        if registration.slot is None or not registration.holds_place:
            continue
        calendar.add_component(
            _calendar_entry(
                uid=f"event-{event.pk}-registration-{registration.pk}@{host}",
                summary=f"{event.title} · {registration.slot.booth.name}",
                starts_at=registration.slot.starts_at,
                ends_at=registration.slot.ends_at,
                event=event,
                url=url,
            )
        )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    if person is not None:
        add_never_cache_headers(response)
    return response


def _calendar_entry(*, uid, summary, starts_at, ends_at, event: Event, url: str):
    entry = icalendar.Event()
    entry.add("uid", uid)
    entry.add("dtstamp", event.updated_at.astimezone(UTC))
    entry.add("dtstart", starts_at.astimezone(UTC))
    entry.add("dtend", ends_at.astimezone(UTC))
    entry.add("summary", summary)
    entry.add("location", event.venue)
    entry.add("description", event.description)
    entry.add("url", url)
    if event.state == Event.State.CANCELLED:
        entry.add("status", "CANCELLED")
    return entry


# --- a course: its classes, its completion rule, its showcases ------------------------------


@dataclass(frozen=True)
class ShowcaseShown:
    """A performance showing the course's work, with its programme's acts in order."""

    event: Event
    programme: selectors.Programme


@dataclass(frozen=True)
class CourseShown:
    sessions: list
    percent: int  # of its classes a member attends to complete it
    needed: int  # classes, of those it has now
    showcases: list[ShowcaseShown]


def course_shown(event: Event) -> CourseShown:
    """A course's classes in order, what completing it asks for, and its showcases past
    their drafts (soonest first) with their programmes."""
    sessions = list(event.sessions.all())
    percent = event.percent_to_complete
    showcases = policy.events_public().filter(showcase_of=event).order_by("starts_at", "pk")
    return CourseShown(
        sessions=sessions,
        percent=percent,
        needed=classes_needed(len(sessions), percent),
        showcases=[ShowcaseShown(show, selectors.programme(show)) for show in showcases],
    )


def showcase_of_shown(event: Event) -> Event | None:
    """The course a performance shows the work of, when that course is public."""
    if event.showcase_of_id is None:
        return None
    return policy.events_public().filter(pk=event.showcase_of_id).first()


# --- a performance's programme ----------------------------------------------------------------

PROGRAMME_PDF_SECONDS = 10 * 60  # a drawn programme kept in the cache (keyed by what it shows)


def programme_pdf_view(request, slug: str):
    """The programme as a PDF to print, A5 (``?size=a4``: A4) — for an event past its draft
    that has acts. The PDF drawn is kept in the cache under a digest of all it shows, so a
    union handing it out draws it once, and any change is in the next one."""
    events = policy.events_public().filter(kind__in=PROGRAMME_KINDS).select_related("unit")
    event = get_object_or_404(events, slug=slug)
    size = request.GET.get("size", PAGE_SIZES[0]).lower()
    if size not in PAGE_SIZES:
        raise BadRequest("size")
    shown = selectors.programme(event)
    if not shown.acts:
        raise Http404
    key = f"events:programme-pdf:{event.pk}:{_programme_digest(event, shown, size)}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = programme_pdf(event, shown, size=size)
        cache.set(key, pdf, PROGRAMME_PDF_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-programme-{size}.pdf"'
    return response


def _programme_digest(event: Event, shown: selectors.Programme, size: str) -> str:
    """A digest of everything the programme's PDF shows, in the language it is drawn in."""
    facts = [
        get_language(),
        size,
        event.title,
        event.venue,
        event.starts_at.isoformat(),
        event.ends_at.isoformat(),
        event.unit.name,
        [
            (row.act.position, row.act.title, row.act.kind, row.performers, row.duration)
            for row in shown.acts
        ],
    ]
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()
