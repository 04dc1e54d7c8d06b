"""Unit admins (and the federation's) registering their teams and the members of their
subtree for an event that is not a draft (``policy.events_for_registering``).

A team is chosen among ``policy.teams_registrable`` and its members are listed; members are
found by name or the digits shown of their numbers and ticked, several at once — each in a
registration of its own (``services.registration_create``), so that one refused never costs
the others. Then a booth's time slot (none for an event without booths) and the event's
questions. Each registration asked for is told as the service says it: registered, waiting
at place N, or refused with the service's reason. The page lists the admin's registrations
for the event, each with a button that cancels it (``services.registration_cancel``).

Every registering post carries an idempotency key (``web.idempotency``), a fresh one with
each form shown: the same form sent twice (a double tap, a reload) registers nobody twice,
and is answered with what the first sending did. Each registrant's registration keeps its
own answer, under a key made from the form's, the event and the registrant, so that every
registration stays one transaction of its own (its locks taken and let go in their order).
"""

import hashlib
import uuid
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from laurel.accounts.people_search import MEMBER_FIELDS, NumberSearchLimited, people_search
from laurel.events import policy, selectors, services
from laurel.events.forms import AnswersForm
from laurel.events.models import Event, Registration
from laurel.events.tickets_pdf import live_ticket_face, pdf_response, team_badges_pdf
from laurel.members import policy as members_policy
from laurel.web import idempotency
from laurel.web.access import allowed_if
from laurel.web.params import id_list_param, id_param

SCOPE = "events.console_register"  # the idempotency scope of one registrant's registration
PLACE = "events:console_register"  # this page, as a search by whole numbers is audited
TEAMS_LISTED = 30
MEMBERS_FOUND = 50
MEMBERS_AT_ONCE = 100
REGISTRATIONS_PER_PAGE = 50
WHO = ("team", "members")  # the page's two ways of registering
# while registrations may still be cancelled: an event ended or cancelled keeps its record
CANCELLABLE = (Event.State.OPEN, Event.State.CLOSED)


@dataclass(frozen=True)
class Told:
    """What became of one registration asked for, as the page tells it: ``state``
    registered, waiting (at ``place``) or refused (``reason`` and the service's
    ``message``); ``replayed`` when the form had been sent before and this is that answer."""

    name: str
    state: str
    place: int | None = None
    reason: str = ""
    message: str = ""
    replayed: bool = False


class RegisterForm(AnswersForm):
    """The booth's time slot (for an event with booths) and the event's questions."""

    def __init__(self, *args, event: Event, slots: list[selectors.Occupancy], **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.slots = {row.slot.pk: row.slot for row in slots}
        if slots:
            self.fields["slot"] = forms.TypedChoiceField(
                label=gettext_lazy("Booth and time (Beijing time)"),
                coerce=int,
                choices=[(row.slot.pk, _slot_label(row, event)) for row in slots],
                widget=forms.RadioSelect,
            )
            self.order_fields(["slot"])

    def slot(self):
        """The time slot chosen, or None for an event without booths."""
        pk = self.cleaned_data.get("slot")
        return self.slots[pk] if pk else None


def _slot_label(row: selectors.Occupancy, event: Event) -> str:
    where = services.slot_name(row.slot)
    if not row.full:
        return _("%(slot)s · %(free)d of %(capacity)d places left") % {
            "slot": where,
            "free": row.free,
            "capacity": row.capacity,
        }
    if event.waiting_list:
        return _("%(slot)s · full: on the waiting list") % {"slot": where}
    return _("%(slot)s · full") % {"slot": where}


def _registrations_managed(access, event: Event):
    """The event's registrations of the admin's subtree (every one for the federation's)."""
    return policy.registrations_visible(access, event).filter(access.subtree_filter("unit__path"))


def _registrant_key(key: str, event: Event, *, member=None, team=None) -> str:
    """One registrant's key, made from the form's: ``m<pk>:`` or ``t<pk>:`` and a digest of
    the event and the form's key ("" when the form sent none: no protection asked)."""
    if not key:
        return ""
    digest = hashlib.sha256(f"{event.pk}:{key}".encode()).hexdigest()
    return f"m{member.pk}:{digest}" if member is not None else f"t{team.pk}:{digest}"


def _register(request, event: Event, *, key: str, slot, answers, member=None, team=None) -> Told:
    """Register one member or one team in a transaction of its own, once for the key."""
    name = member.name if member is not None else team.name

    def work() -> dict:
        outcome = services.registration_create(
            acting_user=request.user,
            event=event,
            slot=slot,
            member=member,
            team=team,
            answers=answers,
        )
        return {"state": outcome.state, "place": outcome.waiting_place}

    try:
        answer = idempotency.run_once(
            scope=SCOPE,
            owner=idempotency.user_owner(request.user),
            key=_registrant_key(key, event, member=member, team=team),
            work=work,
        )
    except services.RegistrationRefused as refused:  # nothing written, nothing kept
        return Told(name, "refused", reason=refused.reason_label, message=refused.message)
    return Told(name, answer.result["state"], answer.result["place"], replayed=answer.replayed)


def _teams(request, access, context: dict):
    """The teams offered (the subtree's, narrowed by ``q``), and the one chosen."""
    teams = policy.teams_registrable(access).select_related("unit", "leader")
    team_pk = id_param(request.POST, "team") or id_param(request.GET, "team")
    if team_pk:
        team = get_object_or_404(teams, pk=team_pk)
        people = team.members.select_related("unit").order_by("name", "pk")
        context |= {
            "team": team,
            "team_members": [
                {"member": person, "mobile": members_policy.mobile_shown_to(access, person)}
                for person in people
            ],
        }
        return team
    query = request.GET.get("q", "").strip()
    if query:
        teams = teams.filter(Q(name__icontains=query) | Q(unit__name__icontains=query))
    found = teams.annotate(size=Count("memberships")).order_by("unit__path", "name", "pk")
    context |= {"query": query, "teams_found": found[:TEAMS_LISTED]}
    return None


def _members_found(request, access, context: dict) -> None:
    """The subtree's members matching ``q`` (names, the digits shown of their numbers)."""
    query = (request.POST.get("q") or request.GET.get("q", "")).strip()
    found, refusal = [], ""
    if query:
        members = policy.members_registrable(access).select_related("unit")
        try:
            found = people_search(
                members, query, request=request, fields=MEMBER_FIELDS, place=PLACE
            ).order_by("unit__path", "name", "pk")[:MEMBERS_FOUND]
        except NumberSearchLimited as limited:
            refusal = limited.message
    context |= {
        "query": query,
        "search_refusal": refusal,
        "found": [
            {
                "member": member,
                "id_card": members_policy.id_card_shown_to(access, member),
                "mobile": members_policy.mobile_shown_to(access, member),
            }
            for member in found
        ],
    }


def _members_posted(request, access) -> list:
    """The members ticked, in the order ticked; one outside the subtree is a 404."""
    ids = list(dict.fromkeys(id_list_param(request.POST, "members")))
    if len(ids) > MEMBERS_AT_ONCE:
        return ids  # too many: the form says so
    members = policy.members_registrable(access).select_related("unit").filter(pk__in=ids)
    by_pk = {member.pk: member for member in members}
    if len(by_pk) != len(ids):
        raise Http404
    return [by_pk[pk] for pk in ids]


def _registrants(request, access, form, *, who: str, team) -> list[dict]:
    """Who the post asks to register: the team, or the members ticked (each their own
    registration); none, with the reason on the form, when the members ticked are none or
    too many."""
    if who == "team":
        if team is None:
            raise Http404
        return [{"team": team}]
    people = _members_posted(request, access)
    if len(people) > MEMBERS_AT_ONCE:
        form.add_error(None, _("Register at most %(n)d people at once.") % {"n": MEMBERS_AT_ONCE})
        return []
    if not people:
        form.add_error(None, _("Tick the members to register."))
    return [{"member": person} for person in people]


def _cancel(request, access, event: Event):
    if event.state not in CANCELLABLE:
        messages.error(
            request,
            _("“%(event)s” is %(state)s: its registrations stay as they are.")
            % {"event": event.title, "state": event.get_state_display().lower()},
        )
        return redirect(request.get_full_path())
    registration = get_object_or_404(
        _registrations_managed(access, event).select_related("member", "team"),
        pk=id_param(request.POST, "registration"),
    )
    try:
        promoted = services.registration_cancel(acting_user=request.user, registration=registration)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        message = _("The registration of %(name)s is cancelled.") % {
            "name": registration.registrant_name
        }
        if promoted:
            message += " " + _("Its place went to the first in line.")
        messages.success(request, message)
    return redirect(request.get_full_path())


@allowed_if(policy.may_register_others)
def register(request, slug: str):
    access = request.user.access
    event = get_object_or_404(
        policy.events_for_registering(access).select_related("unit"), slug=slug
    )
    if request.method == "POST" and request.POST.get("action") == "cancel":
        return _cancel(request, access, event)
    who = request.POST.get("who") or request.GET.get("who")
    if who not in WHO:
        who = "team" if event.teams_register else "members"
    context = {
        "event": event,
        "who": who,
        "accepting": event.takes_registrations(),
        "cancellable": event.state in CANCELLABLE,
    }
    team = _teams(request, access, context) if who == "team" else None
    if who == "members":
        _members_found(request, access, context)
        if request.htmx and request.method == "GET":
            return render(request, "events/console_register_people.html", context)
    elif request.htmx and request.method == "GET" and team is None:
        return render(request, "events/console_register_teams.html", context)

    slots = selectors.open_slots(event)
    form = RegisterForm(request.POST or None, event=event, slots=slots)
    if request.method == "POST":
        try:
            key = idempotency.request_key(request)
        except idempotency.KeyRefused as refused:
            return HttpResponse(str(refused), status=400, content_type="text/plain; charset=utf-8")
        registrants = _registrants(request, access, form, who=who, team=team)
        if form.is_valid() and registrants:
            context["outcomes"] = [
                _register(
                    request, event, key=key, slot=form.slot(), answers=form.answers(), **registrant
                )
                for registrant in registrants
            ]
            slots = selectors.open_slots(event)  # the places as they are now
            form = RegisterForm(None, event=event, slots=slots)
        else:
            context["ticked"] = set(id_list_param(request.POST, "members"))  # ticked again
    context |= _listing(request, access, event, team)
    context |= {"form": form, "idempotency_key": uuid.uuid4().hex}
    return render(request, "events/console_register.html", context)


def _listing(request, access, event: Event, team) -> dict:
    """The admin's registrations for the event (the chosen team's apart), a page at a time,
    each waiting one with its place in line (``line_place``)."""
    managed = (
        _registrations_managed(access, event)
        .filter(state__in=Registration.ACTIVE)
        .select_related("slot__booth", "member", "team", "unit")
        .order_by("slot__booth__order", "slot__booth__pk", "slot__starts_at", "pk")
    )
    page = Paginator(managed, REGISTRATIONS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    team_registrations = list(managed.filter(team=team)) if team is not None else []
    places = selectors.waiting_places([event.pk])
    for registration in [*page.object_list, *team_registrations]:
        registration.line_place = places.get(registration.pk)
    return {"team_registrations": team_registrations, "page": page}


@never_cache
@allowed_if(policy.may_organise_events)
def team_badges(request, slug: str, pk: int):
    """A team registration's badges, one a member, as one PDF: for the event's organisers
    and the unit admins whose subtree holds the team (``policy.registrations_visible``)."""
    access = request.user.access
    events = Event.objects.filter(
        Q(pk__in=policy.events_organised(access).values("pk"))
        | Q(pk__in=policy.events_for_registering(access).values("pk"))
    )
    event = get_object_or_404(events.select_related("unit"), slug=slug)
    teams = policy.registrations_visible(access, event).filter(team__isnull=False)
    registration = get_object_or_404(teams.select_related("event", "slot__booth", "team"), pk=pk)
    face = live_ticket_face(registration)
    if face is None:
        raise Http404
    return pdf_response(team_badges_pdf(face), f"badges-{event.slug}-{registration.pk}.pdf")
