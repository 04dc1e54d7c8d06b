"""The programme of a performance (or a ceremony), for its organisers: the acts in order with
their performers, durations and the running time adding up; an act added, changed, taken out;
the order changed by an act's number or by dragging (``static/events/programme.js`` posts the
whole order, and gets the programme back as saved, through htmx). Thin: forms in, services
write; an event of another subtree, or of a kind without a programme, is not found.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.events import policy, selectors, services
from laurel.events.models import Act, Event
from laurel.events.programme_forms import ACT_KINDS, KINDS_LIST_ID, ActForm, ActMoveForm
from laurel.web.access import allowed_if
from laurel.web.forms import service_errors_onto
from laurel.web.params import id_list_param

SETTLED = (Event.State.ENDED, Event.State.CANCELLED)  # the programme no longer changes


def _event(request, slug: str) -> Event:
    events = policy.events_organised(request.user.access).filter(kind__in=services.PROGRAMME_KINDS)
    return get_object_or_404(events.select_related("unit"), slug=slug)


def _act_form(request, event: Event, *, act: Act | None = None, data=None) -> ActForm:
    """The act's form, its performers chosen among the teams and members of the event's
    organiser unit's subtree that the organiser reaches."""
    access = request.user.access
    subtree = {"unit__path__startswith": event.unit.path}
    return ActForm(
        data,
        act=act,
        teams=policy.teams_registrable(access)
        .filter(**subtree)
        .select_related("unit")
        .order_by("unit__path", "name", "pk"),
        members=policy.members_registrable(access).filter(**subtree),
    )


def _page_context(event: Event, **extra) -> dict:
    return {
        "event": event,
        "programme": selectors.programme(event),
        "settled": event.state in SETTLED,
        "act_kinds": ACT_KINDS,
        "kinds_list_id": KINDS_LIST_ID,
        **extra,
    }


@allowed_if(policy.may_organise_events)
def programme(request, slug: str):
    """The programme, and an act added at its end."""
    event = _event(request, slug)
    form = _act_form(request, event, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            act = services.act_save(acting_user=request.user, event=event, **form.for_service())
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request,
                _("Act %(number)d, “%(title)s”, was added.")
                % {"number": act.position, "title": act.title},
            )
            return redirect("events:console_programme", slug=event.slug)
    return render(request, "events/console_programme.html", _page_context(event, form=form))


@allowed_if(policy.may_organise_events)
@require_POST
def programme_order(request, slug: str):
    """The whole order at once, as a drag sends it (every act's id, in the new order). For
    htmx, the programme as it now stands, saying whether the order was saved."""
    event = _event(request, slug)
    try:
        services.acts_reorder(
            acting_user=request.user, event=event, act_ids=id_list_param(request.POST, "act")
        )
    except ValidationError as error:
        outcome = {"order_error": " ".join(error.messages)}
    else:
        outcome = {"order_saved": True}
    if request.htmx:
        return render(request, "events/_programme_acts.html", _page_context(event, **outcome))
    if "order_error" in outcome:
        messages.error(request, outcome["order_error"])
    else:
        messages.success(request, _("The new order was saved."))
    return redirect("events:console_programme", slug=event.slug)


@allowed_if(policy.may_organise_events)
def act_edit(request, slug: str, pk: int):
    """One act: change it, or take it out (``action``: ``save`` or ``delete``)."""
    event = _event(request, slug)
    act = get_object_or_404(Act.objects.filter(event=event), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = _act_form(request, event, act=act, data=request.POST if action == "save" else None)
    back = redirect("events:console_programme", slug=event.slug)
    try:
        if action == "delete":
            services.act_delete(acting_user=request.user, act=act)
            messages.success(request, _("“%(title)s” was taken out.") % {"title": act.title})
            return back
        if action == "save" and form.is_valid():
            services.act_save(acting_user=request.user, event=event, act=act, **form.for_service())
            messages.success(request, _("“%(title)s” was saved.") % {"title": act.title})
            return back
    except ValidationError as error:
        if action == "delete":
            messages.error(request, " ".join(error.messages))
            return redirect("events:console_act", slug=event.slug, pk=act.pk)
        service_errors_onto(form, error)
    context = {
        "event": event,
        "act": act,
        "form": form,
        "settled": event.state in SETTLED,
        "act_kinds": ACT_KINDS,
        "kinds_list_id": KINDS_LIST_ID,
    }
    return render(request, "events/console_act.html", context)


@allowed_if(policy.may_organise_events)
@require_POST
def act_move(request, slug: str, pk: int):
    """An act given another number; those in between shift by one."""
    event = _event(request, slug)
    act = get_object_or_404(Act.objects.filter(event=event), pk=pk)
    form = ActMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["position"]))
        return redirect(_programme_at(event, act))
    try:
        services.act_move(acting_user=request.user, act=act, position=form.cleaned_data["position"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is now number %(number)d.")
            % {"title": act.title, "number": form.cleaned_data["position"]},
        )
    return redirect(_programme_at(event, act))


def _programme_at(event: Event, act: Act) -> str:
    """The programme page, scrolled to ``act``."""
    return reverse("events:console_programme", args=[event.slug]) + f"#act-{act.pk}"
