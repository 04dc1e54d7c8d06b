"""A member's own entries: submitting, following them through processing and screening,
answering the organiser, editing and withdrawing while the contest takes entries. A team's
leader does the same for the team in a contest of teams; a contest of units is entered in
the console only. Unit admins reach the entries of their subtree here too
(``policy.entries_visible``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.contests import policy, prize_tiers, selectors, services
from laurel.contests.entrants import entrant_related
from laurel.contests.forms import EntryDeclareForm, EntryForm, EntryWithdrawForm, FlagAnswerForm
from laurel.contests.models import Contest, Declaration, Entry, Flag
from laurel.members.models import Member, Team
from laurel.orgs.models import Unit
from laurel.web.access import allowed_if, signed_in
from laurel.web.params import id_param

UNSETTLED = (Entry.State.RECEIVED, Entry.State.PROCESSING)


def uploads_of(files) -> list[services.Upload]:
    return [services.Upload(f.name, f.chunks()) for f in files]


def entry_fields(form: EntryForm) -> dict:
    """The entry's own fields as the services take them."""
    data = form.cleaned_data
    return {
        "category": data["category"],
        "title": data["title"],
        "description": data["description"],
        "place": data.get("place", ""),
        "taken_on": data.get("taken_on"),
    }


def refusal_show(form, error: ValidationError) -> None:
    """A service's refusal, on the form: its messages, the typed fields kept."""
    form.add_error(None, " ".join(error.messages))


def entrant_given(entrant: Member | Team | Unit) -> dict:
    """The entrant as ``services.entry_submit`` takes it: ``author``, ``team`` or ``unit``."""
    if isinstance(entrant, Team):
        return {"team": entrant}
    if isinstance(entrant, Unit):
        return {"unit": entrant}
    return {"author": entrant}


def entry_from_form(request, form: EntryForm, contest, entrant) -> Entry | None:
    """Submit the valid ``form`` as an entry of ``entrant`` (a member, a team or a unit);
    None (the refusal shown on the form, the typed fields kept) when the rules refuse it."""
    try:
        return services.entry_submit(
            acting_user=request.user,
            contest=contest,
            **entrant_given(entrant),
            uploads=uploads_of(form.uploaded()),
            declarations=form.declarations(),
            **entry_fields(form),
        )
    except ValidationError as error:  # SubmissionRefused is one
        refusal_show(form, error)
        return None


@allowed_if(signed_in)
def entry_submit(request, slug: str):
    access = request.user.access
    contest = get_object_or_404(policy.contests_visible(access), slug=slug)
    author = Member.objects.select_related("unit").filter(user=request.user).first()
    context = {"contest": contest, "author": author}
    if contest.entrants == Contest.Entrants.UNITS:  # its unit admins enter in the console
        return render(request, "contests/submit_entry.html", context | {"units_only": True})
    if author is None:
        return render(request, "contests/submit_entry.html", context)
    entrant = author
    if contest.entrants == Contest.Entrants.TEAMS:
        teams = list(
            Team.objects.filter(leader__user=request.user)
            .select_related("unit", "leader")
            .order_by("name", "pk")
        )
        chosen = id_param(request.POST, "team") or id_param(request.GET, "team")
        entrant = next((team for team in teams if team.pk == chosen), None)
        if chosen is None and len(teams) == 1:
            entrant = teams[0]
        context["team"] = entrant
        if entrant is None:  # no team they lead, or several to choose from
            return render(request, "contests/submit_entry.html", context | {"teams": teams})
    if not policy.may_submit_for(access, contest, entrant):
        raise PermissionDenied
    if not contest.accepts_entries():
        return render(request, "contests/submit_entry.html", context | {"closed": True})
    form = EntryForm(request.POST or None, request.FILES or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        entry = entry_from_form(request, form, contest, entrant)
        if entry is not None:
            messages.success(request, contest.content_kind.received % {"code": entry.code})
            return redirect("contests:my_entry", pk=entry.pk)
    return render(request, "contests/submit_entry.html", context | {"form": form})


def _entries_context(request) -> dict:
    entries = list(selectors.own_entries(request.user.access).prefetch_related("files__asset"))
    return {"entries": entries, "unsettled": any(e.state in UNSETTLED for e in entries)}


@allowed_if(signed_in)
def my_entries(request):
    context = _entries_context(request)
    context["has_member"] = Member.objects.filter(user=request.user).exists()
    if request.htmx:
        return render(request, "contests/_member_entries.html", context)
    return render(request, "contests/member_entries.html", context)


def _entry_get(request, pk: int) -> Entry:
    entries = policy.entries_visible(request.user.access).select_related(
        "contest", "category", *entrant_related(), "team__leader", "submitted_by"
    )
    return get_object_or_404(entries, pk=pk)


def _entrant_user_id(entry: Entry) -> int | None:
    """The login of a member entrant or of a team's leader (a unit has none)."""
    if entry.entrant_kind == Entry.EntrantKind.TEAM:
        return entry.team.leader.user_id
    if entry.entrant_kind == Entry.EntrantKind.MEMBER:
        return entry.author.user_id
    return None


def _entry_context(request, entry: Entry, **forms) -> dict:
    access = request.user.access
    is_entrant = policy.is_entrant_of(access, entry)
    changeable = (
        entry.contest.accepts_entries()
        and entry.state not in (Entry.State.WITHDRAWN, Entry.State.DISQUALIFIED)
        and policy.may_change_entry(access, entry)
    )
    missing = entry.missing_declarations()
    live = entry.state not in (Entry.State.WITHDRAWN, Entry.State.DISQUALIFIED)  # declarable
    asked = list(entry.flags.filter(state=Flag.State.ASKED))
    return {
        "entry": entry,
        "photos": list(entry.files.select_related("asset")),
        "content": entry.contest.content_kind,
        "is_entrant": is_entrant,
        # submitted by the entrant themself (a member, a team's leader): no "by" shown
        "submitted_by_entrant": entry.submitted_by_id == _entrant_user_id(entry),
        "changeable": changeable,
        "missing_declarations": [label for value, label in Declaration.choices if value in missing],
        "declare_form": forms.get("declare_form")
        or (EntryDeclareForm(missing=missing) if missing and is_entrant and live else None),
        "asked": [
            {"flag": flag, "form": forms.get("answer_forms", {}).get(flag.pk) or FlagAnswerForm()}
            for flag in asked
        ],
        "withdraw_form": forms.get("withdraw_form") or EntryWithdrawForm(),
        "unsettled": entry.state in UNSETTLED,
        # a prize-winner's prize in its tier's colour
        "tier_places": (
            prize_tiers.tier_places(entry.contest_id) if entry.state == Entry.State.AWARDED else {}
        ),
    }


@allowed_if(signed_in)
def my_entry(request, pk: int):
    entry = _entry_get(request, pk)
    context = _entry_context(request, entry)
    response = render(request, "contests/member_entry.html", context)
    if request.htmx and not context["unsettled"]:
        response["HX-Refresh"] = "true"  # settled while polled: show the photos and flags
    return response


@allowed_if(signed_in)
def entry_edit(request, pk: int):
    entry = _entry_get(request, pk)
    if not policy.may_change_entry(request.user.access, entry):
        raise PermissionDenied
    contest = entry.contest
    if not contest.accepts_entries():
        messages.error(request, _("This contest is not taking entries now."))
        return redirect("contests:my_entry", pk=entry.pk)
    initial = {
        "category": entry.category,
        "title": entry.title,
        "description": entry.description,
        "place": entry.place,
        "taken_on": entry.taken_on,
        "kind": entry.kind,
    }
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        contest=contest,
        declarations=None,
        photos_required=False,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        files = form.uploaded()
        if not files and form.cleaned_data.get("kind", entry.kind) != entry.kind:
            form.add_error("photos", _("To change the kind, choose the new photos."))
        else:
            try:
                services.entry_update(
                    acting_user=request.user,
                    entry=entry,
                    uploads=uploads_of(files),
                    **entry_fields(form),
                )
            except ValidationError as error:
                refusal_show(form, error)
            else:
                messages.success(request, _("The entry was changed."))
                return redirect("contests:my_entry", pk=entry.pk)
    context = {"contest": contest, "entry": entry, "form": form}
    return render(request, "contests/submit_edit.html", context)


@allowed_if(signed_in)
@require_POST
def entry_withdraw(request, pk: int):
    entry = _entry_get(request, pk)
    form = EntryWithdrawForm(request.POST)
    if not form.is_valid():
        context = _entry_context(request, entry, withdraw_form=form)
        return render(request, "contests/member_entry.html", context, status=400)
    try:
        services.entry_withdraw(acting_user=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The entry was withdrawn."))
    return redirect("contests:my_entry", pk=entry.pk)


@allowed_if(signed_in)
@require_POST
def entry_declare(request, pk: int):
    entry = _entry_get(request, pk)
    form = EntryDeclareForm(request.POST, missing=entry.missing_declarations())
    if not form.is_valid():
        context = _entry_context(request, entry, declare_form=form)
        return render(request, "contests/member_entry.html", context, status=400)
    try:
        services.entry_declare(
            acting_user=request.user, entry=entry, declarations=form.declarations()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: your declarations are recorded."))
    return redirect("contests:my_entry", pk=entry.pk)


@allowed_if(signed_in)
@require_POST
def flag_answer(request, pk: int):
    entries = policy.entries_visible(request.user.access)
    flag = get_object_or_404(Flag.objects.filter(entry__in=entries).select_related("entry"), pk=pk)
    form = FlagAnswerForm(request.POST)
    if not form.is_valid():
        entry = _entry_get(request, flag.entry_id)
        context = _entry_context(request, entry, answer_forms={flag.pk: form})
        return render(request, "contests/member_entry.html", context, status=400)
    try:
        services.flag_answer(
            acting_user=request.user, flag=flag, answer=form.cleaned_data["answer"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer was sent to the organisers."))
    return redirect("contests:my_entry", pk=flag.entry_id)
