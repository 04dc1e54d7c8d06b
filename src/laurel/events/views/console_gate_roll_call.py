"""A teacher's roll call (点名) on a phone, beside the gate: a course's classes — today's, then
those to come, then those held — each with how far its roll call has gone; and one class's
roll call: every enrolled member with two large buttons, Present and Absent (htmx: the row
answers with its new state, and the counts above fetch themselves again on
``ROLL_CALL_CHANGED``). A mark may be changed; a member checked in at the gate shows so and
counts as present unless marked absent. Before the roll call opens (half an hour before the
class) the page says when it opens and has no buttons; a mark sent then is refused with the
service's reason.

For the gate's keepers (``policy.events_checked_in_by``): a course's organisers and the
check-in staff given its gate; another event, or a course not theirs, is not found. Thin:
``services.roll_call_mark`` writes, ``selectors.course_attendance`` reads.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from laurel.events import policy, services
from laurel.events.models import CourseSession, Event, Registration
from laurel.events.selectors import ClassMark, course_attendance, course_enrolled
from laurel.web.access import allowed_if

ROLL_CALL_CHANGED = "rollCallChanged"  # the event a mark sends the page: the counts fetch again
MARKS = {"present": True, "absent": False}  # what a button posts, as the mark it makes


def _course(request, slug: str) -> Event:
    courses = policy.events_checked_in_by(request.user.access).filter(kind=Event.Kind.COURSE)
    return get_object_or_404(courses.select_related("unit"), slug=slug)


def _session(event: Event, session_id: int) -> CourseSession:
    return get_object_or_404(CourseSession.objects.filter(event=event), pk=session_id)


@dataclass(frozen=True)
class RollCallRow:
    """An enrolled member at the class: ``state`` "present" or "absent" (marked so),
    "checked_in" (at the gate, not marked: counts as present) or "unmarked"."""

    registration: Registration
    mark: ClassMark

    @property
    def state(self) -> str:
        if self.mark.marked is True:
            return "present"
        if self.mark.marked is False:
            return "absent"
        return "checked_in" if self.mark.checked_in else "unmarked"

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


STATES = {
    "present": gettext_lazy("Present"),
    "absent": gettext_lazy("Absent"),
    "checked_in": gettext_lazy("Checked in at the gate"),
    "unmarked": gettext_lazy("Not marked"),
}


def _at_class(
    event: Event, session: CourseSession, *, registrations=None, now
) -> tuple[int, list[RollCallRow]]:
    """The class's number in the course (1, 2, …) and its rows: the enrolled members (or
    ``registrations``) by name."""
    attendance = course_attendance(event, registrations=registrations, now=now)
    index = [s.pk for s in attendance.sessions].index(session.pk)
    return index + 1, [RollCallRow(row.registration, row.classes[index]) for row in attendance.rows]


def _counts(rows: list[RollCallRow]) -> dict:
    states = [row.state for row in rows]
    return {
        "present": states.count("present") + states.count("checked_in"),
        "absent": states.count("absent"),
        "unmarked": states.count("unmarked"),
        "total": len(rows),
    }


def _matching(rows: list[RollCallRow], query: str) -> list[RollCallRow]:
    folded = query.casefold()
    if not folded:
        return rows
    return [row for row in rows if folded in row.registration.member.name.casefold()]


def _class_status(session: CourseSession, rows: list[RollCallRow], now) -> dict:
    """A class on the list: whether its roll call is open (and from when), and its counts."""
    return {
        "session": session,
        "open": services.roll_call_open(session, now),
        "opens_at": session.starts_at - CourseSession.CHECK_IN_EARLY,
        "today": timezone.localdate(session.starts_at) == timezone.localdate(now),
        "counts": _counts(rows),
    }


@never_cache
@allowed_if(policy.may_use_gates)
def classes(request, slug: str):
    """The course's classes: today's first, then those to come, then those held (the latest
    first), each with its number and its roll call's counts."""
    event = _course(request, slug)
    now = timezone.now()
    attendance = course_attendance(event, now=now)
    listed = []
    for index, session in enumerate(attendance.sessions):
        rows = [RollCallRow(row.registration, row.classes[index]) for row in attendance.rows]
        listed.append({"number": index + 1, **_class_status(session, rows, now)})
    today = [c for c in listed if c["today"]]
    to_come = [c for c in listed if not c["today"] and c["session"].starts_at > now]
    held = [c for c in reversed(listed) if not c["today"] and c["session"].starts_at <= now]
    context = {"event": event, "today": today, "to_come": to_come, "held": held}
    return render(request, "events/roll_call_classes.html", context)


@never_cache
@allowed_if(policy.may_use_gates)
def roll_call(request, slug: str, session_id: int):
    """One class's roll call; for htmx, one of its parts (``part``): the counts, or the rows
    whose name holds ``q``."""
    event = _course(request, slug)
    session = _session(event, session_id)
    now = timezone.now()
    number, rows = _at_class(event, session, now=now)
    query = request.GET.get("q", "").strip()
    context = {
        "event": event,
        "session": session,
        "number": number,
        "place": session.place or event.venue,
        "open": services.roll_call_open(session, now),
        "opens_at": session.starts_at - CourseSession.CHECK_IN_EARLY,
        "counts": _counts(rows),
        "rows": _matching(rows, query),
        "query": query,
    }
    part = request.GET.get("part", "")
    if request.htmx and part == "counts":
        return render(request, "events/roll_call_counts.html", context)
    if request.htmx and part == "rows":
        return render(request, "events/roll_call_rows.html", context)
    return render(request, "events/roll_call.html", context)


@allowed_if(policy.may_use_gates)
@require_POST
def mark(request, slug: str, session_id: int, pk: int):
    """Mark a member present or absent (``mark``: "present" or "absent"). For htmx the row
    answers with its new state — or with the service's refusal — and the page's counts are
    told to fetch again; without it, back to the page with a message."""
    event = _course(request, slug)
    session = _session(event, session_id)
    registration = get_object_or_404(
        Registration.objects.filter(event=event, member__isnull=False).select_related("member"),
        pk=pk,
    )
    if request.POST.get("mark") not in MARKS:
        return HttpResponseBadRequest(_("Mark the member present or absent."))
    refusal = ""
    try:
        services.roll_call_mark(
            acting_user=request.user,
            session=session,
            registration=registration,
            present=MARKS[request.POST["mark"]],
        )
    except ValidationError as error:
        refusal = " ".join(error.messages)
    if not request.htmx:
        if refusal:
            messages.error(request, f"{registration.member.name}: {refusal}")
        return redirect("events:roll_call", slug=event.slug, session_id=session.pk)
    now = timezone.now()
    enrolled = course_enrolled(event).filter(pk=registration.pk)
    rows = _at_class(event, session, registrations=enrolled, now=now)[1]
    context = {
        "event": event,
        "session": session,
        "open": services.roll_call_open(session, now),
        "row": rows[0] if rows else None,
        "gone": registration,
        "refusal": refusal,
    }
    response = render(request, "events/roll_call_row.html", context)
    if not refusal:
        response["HX-Trigger"] = ROLL_CALL_CHANGED
    return response
