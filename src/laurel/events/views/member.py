"""People registering themselves: a signed-in user with a member record, or a person
verified without an account (``verification.selectors.verified_member``) — anyone else is
sent to the verification page and back. Registering, their registrations with the outcome
of each (registered, on the waiting list at place N, offered a place until a deadline),
cancelling, and taking an offered place.

A person sees their own registrations and those of their teams; they cancel or take a place
for their own and for the teams they lead (``policy.registrations_of_user``,
``policy.registrations_of_verified``); anyone else's is a 404.

Registering is safe to send twice: the form carries a fresh ``idempotency_key`` and a retry
with it is answered with the first registration (``web.idempotency.run_once``). It is
rate-limited per person (``REGISTER_RATE``), never per client address: a venue's people
register from behind one address.
"""

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from laurel.events import policy, selectors, services
from laurel.events.forms import AnswersForm
from laurel.events.models import Event, Registration, Slot
from laurel.members.models import Member
from laurel.verification.selectors import verified_member
from laurel.web.access import signed_in
from laurel.web.client_address import client_address_required
from laurel.web.idempotency import KeyRefused, object_result, request_key, run_once
from laurel.web.params import id_param

# registrations one person may ask for in a minute (a retry counts too)
REGISTER_RATE = "30/m"
REGISTER_SCOPE = "events.register"


@dataclass(frozen=True)
class Person:
    """Who is acting on their own registrations: a signed-in ``user`` (``member`` their
    record, or None when the login has none), or a ``member`` verified without an account
    (``user`` None)."""

    user: object | None
    member: Member | None

    @property
    def owner(self) -> str:
        """Whose idempotency keys and rate limit these are."""
        return f"user:{self.user.pk}" if self.user is not None else f"member:{self.member.pk}"

    def owned(self) -> Q:
        """Their own registrations and those of the teams they lead: what they may cancel."""
        if self.user is not None:
            return policy.registrations_of_user(self.user.pk)
        return policy.registrations_of_verified(self.member.pk)

    def visible(self) -> Q:
        """What they see: what they own, and the registrations of the teams they are in."""
        if self.member is None:
            return self.owned()
        return self.owned() | Q(team__memberships__member=self.member)


def person_of(request) -> Person | None:
    """The person of the request: the signed-in user, else the member the session has been
    verified as; None for neither, and for a check-in-only login (it has no own pages)."""
    if request.user.is_authenticated:
        if not signed_in(request.user.access):
            return None
        member = Member.objects.select_related("unit").filter(user=request.user).first()
        return Person(request.user, member)
    member = verified_member(request)
    return Person(None, member) if member is not None else None


def person_required(request) -> Person | None:
    """``person_of`` for a person's own pages, where a check-in-only login is refused (403)."""
    if request.user.is_authenticated and not signed_in(request.user.access):
        raise PermissionDenied
    return person_of(request)


def verification_redirect(request):
    """To the verification page (a roster member by name and number), back here after."""
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('verification:member')}?{query}")


def person_key(group, request) -> str:
    """The registration rate limit's key: the person, never the address (1,500 people behind
    one venue's NAT each have their own); a visitor who is neither is counted by address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    member = verified_member(request)
    if member is not None:
        return f"member:{member.pk}"
    return f"address:{client_address_required(request)}"


def register_rate(group, request) -> str:
    return REGISTER_RATE


# --- registering --------------------------------------------------------------------------


def _slot_chosen(event: Event, params) -> Slot | None:
    """The slot the form names (``slot``), if it is one at all; whether it is this event's
    the service decides."""
    pk = id_param(params, "slot")
    if pk is None:
        return None
    return Slot.objects.select_related("booth").filter(pk=pk).first()


def outcome_sentence(registration: Registration, waiting_place: int | None) -> str:
    """What became of a registration asked for, in one sentence."""
    where = (
        services.slot_name(registration.slot) if registration.slot_id else registration.event.title
    )
    if registration.state == Registration.State.WAITING:
        return _("%(where)s is full: you are on the waiting list, at place %(place)d.") % {
            "where": where,
            "place": waiting_place or 0,
        }
    return _("You are registered for %(where)s.") % {"where": where}


@never_cache
@ratelimit(key=person_key, rate=register_rate, method="POST")
def register(request, slug: str):
    event = get_object_or_404(policy.events_public().select_related("unit"), slug=slug)
    person = person_required(request)
    if person is None:
        return verification_redirect(request)
    params = request.POST if request.method == "POST" else request.GET
    slot = _slot_chosen(event, params)
    context = {
        "event": event,
        "person": person,
        "slot": slot if slot is not None and slot.booth.event_id == event.pk else None,
        "slots": [],
        "open": event.takes_registrations(),
    }
    if person.member is None:  # a login not linked to a member record
        return render(request, "events/member_register.html", context)
    if context["slot"] is None and event.has_booths:
        context["slots"] = selectors.open_slots(event)
    form = AnswersForm(request.POST or None, event=event)
    context |= {"form": form, "idempotency_key": uuid.uuid4()}
    if request.method != "POST":
        return render(request, "events/member_register.html", context)
    try:
        key = request_key(request)
    except KeyRefused as refused:
        return HttpResponse(str(refused), status=400, content_type="text/plain; charset=utf-8")
    if not form.is_valid():
        return render(request, "events/member_register.html", context, status=400)
    refusals, outcomes = [], []

    def work():
        try:
            outcome = services.registration_create(
                acting_user=person.user,
                event=event,
                slot=slot,
                member=person.member,
                answers=form.answers(),
            )
        except services.RegistrationRefused as refused:
            refusals.append(refused)
            return None  # nothing kept: the same key may be sent again once put right
        outcomes.append(outcome)
        return object_result(outcome.registration)

    answer = run_once(scope=REGISTER_SCOPE, owner=person.owner, key=key, work=work)
    if refusals:
        context["refusal"] = refusals[0]
        return render(request, "events/member_register.html", context, status=409)
    if outcomes:  # a replayed answer was told the first time
        outcome = outcomes[0]
        messages.success(request, outcome_sentence(outcome.registration, outcome.waiting_place))
    response = redirect("events:registration", pk=answer.result["pk"])
    response.status_code = 303  # see the registration made (a reload does not post again)
    return response


# --- a person's registrations ------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationShown:
    registration: Registration
    waiting_place: int | None
    owned: bool  # theirs to cancel, or to take an offered place

    @property
    def active(self) -> bool:
        return self.registration.state in Registration.ACTIVE


def registrations_shown(person: Person, registrations: list[Registration]) -> list:
    """Each registration with its place in line (when waiting) and whether the person acts on
    it: two queries for the lot."""
    owned = set(
        Registration.objects.filter(person.owned(), pk__in=[r.pk for r in registrations])
        .distinct()
        .values_list("pk", flat=True)
    )
    waiting = [r.event_id for r in registrations if r.state == Registration.State.WAITING]
    places = selectors.waiting_places(waiting) if waiting else {}
    return [RegistrationShown(r, places.get(r.pk), r.pk in owned) for r in registrations]


def _registrations_of(person: Person):
    return (
        Registration.objects.filter(person.visible())
        .select_related("event", "slot__booth", "team", "member")
        .distinct()
    )


@never_cache
def mine(request):
    person = person_required(request)
    if person is None:
        return verification_redirect(request)
    registrations = list(
        _registrations_of(person)
        .annotate(
            settled=Case(
                When(state__in=Registration.ACTIVE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("settled", "event__starts_at", "slot__starts_at", "pk")
    )
    context = {
        "person": person,
        "rows": registrations_shown(person, registrations),
        "now": timezone.now(),
    }
    return render(request, "events/member_mine.html", context)


@never_cache
def registration(request, pk: int):
    person = person_required(request)
    if person is None:
        return verification_redirect(request)
    found = get_object_or_404(_registrations_of(person), pk=pk)
    [shown] = registrations_shown(person, [found])
    context = {"person": person, "row": shown, "now": timezone.now()}
    return render(request, "events/member_registration.html", context)


def _owned_or_404(request, pk: int) -> tuple[Person, Registration]:
    person = person_required(request)
    if person is None:
        raise Http404
    owned = Registration.objects.filter(person.owned()).select_related("event", "slot__booth")
    return person, get_object_or_404(owned.distinct(), pk=pk)


@never_cache
@require_POST
def cancel(request, pk: int):
    person, found = _owned_or_404(request, pk)
    try:
        services.registration_cancel(acting_user=person.user, registration=found)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Your registration for %(where)s is cancelled.") % {"where": _where(found)},
        )
    return redirect("events:mine")


@never_cache
@require_POST
def offer_accept(request, pk: int):
    person, found = _owned_or_404(request, pk)
    try:
        services.offer_accept(acting_user=person.user, registration=found)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        taken = _("The place is yours: you are registered for %(where)s.")
        messages.success(request, taken % {"where": _where(found)})
    return redirect("events:registration", pk=found.pk)


def _where(registration: Registration) -> str:
    if registration.slot_id:
        return services.slot_name(registration.slot)
    return registration.event.title


# --- a meeting's leave ------------------------------------------------------------------------


@never_cache
@require_POST
def leave(request, pk: int):
    """An invitee asks for leave from a meeting with a reason (``action`` "request"), or
    withdraws it ("withdraw"), before the meeting starts (``services.leave_request``)."""
    person, found = _owned_or_404(request, pk)
    try:
        if request.POST.get("action") == "withdraw":
            services.leave_withdraw(acting_user=person.user, registration=found)
            messages.success(request, _("Your leave is withdrawn: you are expected."))
        else:
            services.leave_request(
                acting_user=person.user, registration=found, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Your leave is asked for: the organisers see it."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("events:registration", pk=found.pk)
