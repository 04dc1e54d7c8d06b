"""A course's page for its organisers (惠工课堂): its classes in order — added, changed, taken
off —; the completion rule; how many members stand where (completed, on track, cannot complete)
as a bar; the attendance grid, a row per enrolled member and a cell per class (searched by
name, 50 rows a page) and its workbook (``?export=xlsx``, audited); the completion
certificates, issued (and issued again after a roll call is corrected) with one button.

Only a course has this page: another kind of event, or a course of another subtree, is not
found (``policy.events_organised``). Thin: the services write, ``selectors.course_attendance``
reads.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from laurel.core.completion import Standing
from laurel.events import policy, services
from laurel.events.course_sheet import course_workbook
from laurel.events.forms import ClassForm
from laurel.events.models import CourseSession, Event
from laurel.events.selectors import (
    COURSE_STANDINGS,
    PRESENCES,
    ClassMark,
    CourseAttendance,
    Presence,
    course_attendance,
)
from laurel.web.access import allowed_if
from laurel.web.forms import service_errors_onto
from laurel.web.zones import times_help

ROWS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN = (Standing.COMPLETED, Standing.ON_TRACK, Standing.OUT_OF_REACH)  # the bar's order


def _course(request, slug: str) -> Event:
    courses = policy.events_organised(request.user.access).filter(kind=Event.Kind.COURSE)
    return get_object_or_404(courses.select_related("unit"), slug=slug)


def _page_url(event: Event, anchor: str = "") -> str:
    url = reverse("events:console_course", args=[event.slug])
    return f"{url}#{anchor}" if anchor else url


def _cell(mark: ClassMark) -> dict:
    """A grid cell: its symbol (✓ present, ✗ absent, · not recorded yet), the class naming how
    it was known (by the roll call, or a check-in at the gate), and the same in words."""
    if mark.presence == Presence.PRESENT:
        by_roll_call = mark.marked is True
        words = (
            _("Present: marked at the roll call")
            if by_roll_call
            else _("Present: checked in at the gate")
        )
        return {
            "symbol": "✓",
            "presence": "present",
            "by": "roll-call" if by_roll_call else "check-in",
            "words": words,
        }
    if mark.presence == Presence.ABSENT:
        if mark.marked is False:
            words = (
                _("Absent: marked at the roll call, though checked in at the gate")
                if mark.checked_in
                else _("Absent: marked at the roll call")
            )
            return {"symbol": "✗", "presence": "absent", "by": "roll-call", "words": words}
        return {"symbol": "✗", "presence": "absent", "by": "", "words": _("Absent")}
    return {"symbol": "·", "presence": "to-come", "by": "", "words": str(PRESENCES[mark.presence])}


def _classes(attendance: CourseAttendance) -> list[dict]:
    """Each class with its number and how many of the enrolled were present at it."""
    present = attendance.present_per_class()
    return [
        {"number": number, "session": session, "present": present[number - 1]}
        for number, session in enumerate(attendance.sessions, start=1)
    ]


def _standings(attendance: CourseAttendance) -> list[dict]:
    """The counts of members by standing, and their parts of the stacked bar (percent)."""
    total = len(attendance.rows)
    parts = []
    for standing in SHOWN:
        count = attendance.count(standing)
        parts.append(
            {
                "standing": str(standing),
                "label": COURSE_STANDINGS[standing],
                "count": count,
                "percent": f"{100 * count / total:.2f}" if total else "0",
            }
        )
    return parts


def _grid_page(request, attendance: CourseAttendance, query: str):
    """The grid's rows whose name holds ``query``, the page asked for, each row's cells."""
    folded = query.casefold()
    rows = [
        row
        for row in attendance.rows
        if not folded or folded in row.registration.member.name.casefold()
    ]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    grid = [
        {"row": row, "cells": [_cell(mark) for mark in row.classes]} for row in page.object_list
    ]
    return page, grid


def _render_page(request, event: Event, form: ClassForm):
    attendance = course_attendance(event)
    query = request.GET.get("q", "").strip()
    page, grid = _grid_page(request, attendance, query)
    context = {
        "event": event,
        "attendance": attendance,
        "classes": _classes(attendance),
        "enrolled": len(attendance.rows),
        "parts": _standings(attendance),
        "query": query,
        "page": page,
        "grid": grid,
        "certificates": list(event.certificates.order_by("number")),
        "form": form,
        "times_help": times_help(),
    }
    return render(request, "events/console_course.html", context)


@never_cache  # people's names and attendance: no browser or proxy keeps a copy
@allowed_if(policy.may_organise_events)
def course(request, slug: str):
    """The page; a POST adds a class; ``?export=xlsx`` downloads the grid as a workbook."""
    event = _course(request, slug)
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return _workbook(request, event)
    form = ClassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_save(
                acting_user=request.user, event=event, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            told = _("The class “%(topic)s” was added.")
            messages.success(request, told % {"topic": session.topic})
            return redirect(_page_url(event, "classes"))
    return _render_page(request, event, form)


def _workbook(request, event: Event) -> HttpResponse:
    attendance = course_attendance(event)
    content = course_workbook(attendance)
    services.attendance_export_record(
        acting_user=request.user, event=event, rows=len(attendance.rows)
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendance.xlsx"'
    return response


@allowed_if(policy.may_organise_events)
def course_class(request, slug: str, pk: int):
    """One class: change it, or take it off the course (``action``: ``save`` or ``delete``);
    a refusal is shown on the form (or, for a deletion, above it), nothing typed lost."""
    event = _course(request, slug)
    session = get_object_or_404(CourseSession.objects.filter(event=event), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    topic = session.topic  # as saved: a refused change leaves its values on the object
    form = ClassForm(request.POST if action == "save" else None, initial=initial)
    if action == "delete":
        try:
            services.session_delete(acting_user=request.user, session=session)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("events:console_course_class", slug=event.slug, pk=session.pk)
        told = _("The class “%(topic)s” was deleted.")
        messages.success(request, told % {"topic": session.topic})
        return redirect(_page_url(event, "classes"))
    if action == "save" and form.is_valid():
        try:
            services.session_save(
                acting_user=request.user, event=event, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            told = _("The class “%(topic)s” was saved.")
            messages.success(request, told % {"topic": session.topic})
            return redirect(_page_url(event, "classes"))
    number = list(event.sessions.values_list("pk", flat=True)).index(session.pk) + 1
    context = {
        "event": event,
        "session": session,
        "topic": topic,
        "number": number,
        "form": form,
        "times_help": times_help(),
    }
    return render(request, "events/console_course_class.html", context)


@allowed_if(policy.may_organise_events)
@require_POST
def certificates_issue(request, slug: str):
    """Issue a certificate to each member who completed the course and holds none; revoke
    the certificate of one who no longer completes it. The page says how many of each."""
    event = _course(request, slug)
    try:
        outcome = services.certificates_issue(acting_user=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(event, "certificates"))
    issued, revoked = len(outcome.issued), len(outcome.revoked)
    told = ngettext(
        "%(n)d completion certificate issued.", "%(n)d completion certificates issued.", issued
    ) % {"n": issued}
    if revoked:
        told += " " + ngettext(
            "%(n)d certificate revoked: its holder no longer completes the course.",
            "%(n)d certificates revoked: their holders no longer complete the course.",
            revoked,
        ) % {"n": revoked}
    messages.success(request, told)
    return redirect(_page_url(event, "certificates"))
