"""A meeting's sign-in page (签到) for its organisers: invite people — members found by name or
the digits shown of their numbers, or every admin of the units ticked —; the roll with each
invitee's standing (on time, late, on leave, absent, expected) and the counts above it; a
tick that signs an invitee in (htmx: the row answers, and the counts fetch themselves
again); an invitee's leave recorded or withdrawn; an invitee taken off the list; the
attendance sheet (签到表) as Excel or as a PDF with a signature column, each download audited.

Only a meeting has this page: another kind of event, or a meeting of another subtree, is not
found (``policy.events_organised``). Thin: the services write, ``selectors.meeting_roll``
reads.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from laurel.accounts.people_search import MEMBER_FIELDS, NumberSearchLimited, people_search
from laurel.events import policy, services
from laurel.events.models import CheckIn, Event, Registration
from laurel.events.roll_pdf import roll_pdf
from laurel.events.roll_sheet import roll_workbook
from laurel.events.selectors import STANDINGS, Roll, meeting_roll
from laurel.events.tickets_pdf import pdf_response
from laurel.members import policy as members_policy
from laurel.orgs.policy import units_visible
from laurel.orgs.selectors import unit_choices, units_matching
from laurel.web.access import allowed_if
from laurel.web.params import id_list_param

PLACE = "events:console_roll"  # this page, as a search by whole numbers is audited
MEMBERS_FOUND = 50
UNITS_FOUND = 30
AT_ONCE = 200  # members or units ticked in one invitation
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROLL_CHANGED = "rollChanged"  # the event a tick sends the page: the counts fetch themselves
# the counts' bar, in the order of the standings it shows
SHOWN = ("on_time", "late", "on_leave", "absent", "expected")
SETTLED = (Event.State.ENDED, Event.State.CANCELLED)


def _meeting(request, slug: str) -> Event:
    meetings = policy.events_organised(request.user.access).filter(kind=Event.Kind.MEETING)
    return get_object_or_404(meetings.select_related("unit"), slug=slug)


def _invitee(event: Event, pk: int) -> Registration:
    registrations = event.registrations.filter(member__isnull=False).select_related(
        "event", "member", "unit"
    )
    return get_object_or_404(registrations, pk=pk)


def _back(event: Event, params) -> str:
    """The roll again, searched as it was (``q``)."""
    url = reverse("events:console_roll", args=[event.slug])
    query = params.get("q", "").strip()
    return f"{url}?{urlencode({'q': query})}" if query else url


def _rows_matching(roll: Roll, query: str) -> list:
    """The roll's rows whose name holds ``query`` (all of them for none)."""
    folded = query.casefold()
    return [row for row in roll.rows if folded in row.name.casefold()] if query else roll.rows


def _counts(roll: Roll) -> dict:
    """The counts above the roll, and their stacked bar's parts (percent of the invitees)."""
    total = roll.total
    parts = [
        {
            "standing": standing,
            "label": STANDINGS[standing],
            "count": roll.counts[standing],
            "percent": f"{100 * roll.counts[standing] / total:.2f}" if total else "0",
        }
        for standing in SHOWN
    ]
    return {"roll": roll, "parts": parts}


def _people_found(request, access, query: str) -> dict:
    """The members within the organiser's reach matching ``query`` (names, the digits shown of
    their numbers), each marked when already on the roll."""
    found, refusal = [], ""
    if query:
        members = policy.members_registrable(access).select_related("unit")
        try:
            found = list(
                people_search(
                    members, query, request=request, fields=MEMBER_FIELDS, place=PLACE
                ).order_by("unit__path", "name", "pk")[:MEMBERS_FOUND]
            )
        except NumberSearchLimited as limited:
            refusal = limited.message
    return {
        "people_query": query,
        "people_refusal": refusal,
        "people": [
            {
                "member": member,
                "id_card": members_policy.id_card_shown_to(access, member),
                "mobile": members_policy.mobile_shown_to(access, member),
            }
            for member in found
        ],
    }


def _units_found(access, query: str) -> dict:
    """The units within the organiser's reach whose name holds ``query``, each named with its
    district (every district has a 机关工会)."""
    units = units_matching(units_visible(access), query, limit=UNITS_FOUND) if query else []
    return {"units_query": query, "units": unit_choices(units)}


@never_cache
@allowed_if(policy.may_organise_events)
def roll(request, slug: str):
    """The page; for htmx, one of its parts (``part``): the roll's rows searched by name, the
    counts, the people or the units found to invite."""
    event = _meeting(request, slug)
    access = request.user.access
    part = request.GET.get("part", "")
    query = request.GET.get("q", "").strip()
    if request.htmx and part == "people":
        context = {
            "event": event,
            **_people_found(request, access, request.GET.get("people_q", "")),
        }
        return render(request, "events/_roll_people.html", context)
    if request.htmx and part == "units":
        context = {"event": event, **_units_found(access, request.GET.get("units_q", "").strip())}
        return render(request, "events/_roll_units.html", context)
    the_roll = meeting_roll(event)
    context = {
        "event": event,
        "query": query,
        "rows": _rows_matching(the_roll, query),
        "changeable": event.state not in SETTLED,
        "scanned": CheckIn.Method.SCAN,
        "reason_max": services.LEAVE_REASON_MAX,
        **_counts(the_roll),
    }
    if request.htmx and part == "counts":
        return render(request, "events/_roll_counts.html", context)
    if request.htmx and part == "roll":
        return render(request, "events/_roll_rows.html", context)
    context |= _people_found(request, access, request.GET.get("people_q", "").strip())
    context |= _units_found(access, request.GET.get("units_q", "").strip())
    return render(request, "events/console_roll.html", context)


@allowed_if(policy.may_organise_events)
@require_POST
def invite(request, slug: str):
    """Invite the members ticked and every admin of the units ticked; one outside the
    organiser's reach is a 404."""
    event = _meeting(request, slug)
    access = request.user.access
    member_ids = list(dict.fromkeys(id_list_param(request.POST, "members")))
    unit_ids = list(dict.fromkeys(id_list_param(request.POST, "units")))
    back = redirect(_back(event, request.POST))
    if not member_ids and not unit_ids:
        messages.error(request, _("Tick the people or the units to invite."))
        return back
    if len(member_ids) > AT_ONCE or len(unit_ids) > AT_ONCE:
        messages.error(request, _("Invite at most %(n)d at once.") % {"n": AT_ONCE})
        return back
    members = list(policy.members_registrable(access).filter(pk__in=member_ids))
    units = list(units_visible(access).filter(pk__in=unit_ids))
    if len(members) != len(member_ids) or len(units) != len(unit_ids):
        raise Http404
    try:
        outcome = services.meeting_invite(
            acting_user=request.user, event=event, members=members, admin_units=units
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    told = ngettext("%(n)d person invited.", "%(n)d people invited.", len(outcome.invited)) % {
        "n": len(outcome.invited)
    }
    if outcome.already:
        told += " " + ngettext(
            "%(n)d was invited already.", "%(n)d were invited already.", len(outcome.already)
        ) % {"n": len(outcome.already)}
    messages.success(request, told)
    if outcome.admins_unlinked:
        messages.warning(
            request,
            _(
                "Not invited, for want of a member record linked to their login: %(names)s. "
                "Link their logins to their member records, then invite them again."
            )
            % {"names": "、".join(str(admin) for admin in outcome.admins_unlinked)},
        )
    return back


@allowed_if(policy.may_organise_events)
@require_POST
def sign_in(request, slug: str, pk: int):
    """Tick an invitee's name: signed in now, or told why not (a second tick is a
    duplicate). For htmx the row answers, and the page's counts are told to fetch again."""
    event = _meeting(request, slug)
    registration = _invitee(event, pk)
    outcome = services.sign_in_by_list(
        acting_user=request.user, event=event, registration=registration
    )
    if not request.htmx:
        (messages.success if outcome.ok else messages.error)(request, outcome.message)
        return redirect(_back(event, request.POST))
    the_roll = meeting_roll(event)
    row = next((row for row in the_roll.rows if row.registration.pk == registration.pk), None)
    context = {
        "event": event,
        "row": row,
        "told": outcome,
        "gone": registration,
        "changeable": event.state not in SETTLED,
        "scanned": CheckIn.Method.SCAN,
        "reason_max": services.LEAVE_REASON_MAX,
        "query": request.POST.get("q", "").strip(),
    }
    response = render(request, "events/_roll_row.html", context)
    response["HX-Trigger"] = ROLL_CHANGED
    return response


@allowed_if(policy.may_organise_events)
@require_POST
def leave(request, slug: str, pk: int):
    """Record an invitee's leave with its reason (``action`` "request"), or withdraw it
    ("withdraw")."""
    event = _meeting(request, slug)
    registration = _invitee(event, pk)
    name = registration.member.name
    try:
        if request.POST.get("action") == "withdraw":
            services.leave_withdraw(acting_user=request.user, registration=registration)
            messages.success(request, _("%(name)s's leave is withdrawn.") % {"name": name})
        else:
            services.leave_request(
                acting_user=request.user,
                registration=registration,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("%(name)s is on leave.") % {"name": name})
    except ValidationError as error:
        messages.error(request, f"{name}: {' '.join(error.messages)}")
    return redirect(_back(event, request.POST))


@allowed_if(policy.may_organise_events)
@require_POST
def remove(request, slug: str, pk: int):
    """Take an invitee off the list: their registration cancelled, their ticket revoked."""
    event = _meeting(request, slug)
    registration = _invitee(event, pk)
    try:
        services.invitee_remove(acting_user=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer invited.") % {"name": registration.member.name},
        )
    return redirect(_back(event, request.POST))


@never_cache  # people's names: no browser or proxy keeps a copy
@allowed_if(policy.may_organise_events)
def roll_xlsx(request, slug: str):
    event = _meeting(request, slug)
    the_roll = meeting_roll(event)
    content = roll_workbook(the_roll)
    services.roll_export_record(
        acting_user=request.user, event=event, kind="xlsx", rows=the_roll.total
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-roll.xlsx"'
    return response


@never_cache
@allowed_if(policy.may_organise_events)
def roll_pdf_view(request, slug: str):
    event = _meeting(request, slug)
    the_roll = meeting_roll(event)
    content = roll_pdf(event, the_roll)
    services.roll_export_record(
        acting_user=request.user, event=event, kind="pdf", rows=the_roll.total
    )
    return pdf_response(content, f"{event.slug}-roll.pdf")
