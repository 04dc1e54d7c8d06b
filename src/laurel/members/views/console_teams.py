"""Console pages for teams: the list, a team's page, making, changing and dissolving one, and
importing one from a sheet (upload → preview → commit). Thin: forms in, services, policy.

Members are picked from what the one people search (``accounts.people_search``) finds within
the team's unit, their numbers masked as ``members.policy`` decides.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from laurel.accounts.people_search import MEMBER_FIELDS, NumberSearchLimited, people_search
from laurel.importing import ImportRefused, template_response
from laurel.members import policy, services
from laurel.members.forms import (
    TeamCreateForm,
    TeamEditForm,
    TeamImportForm,
    TeamMembersAddForm,
    TeamUnitForm,
)
from laurel.members.tables import TeamFilter, TeamTable, team_kinds
from laurel.members.team_imports import TEAM_TEMPLATE
from laurel.members.views.console import import_outcome_context, import_report_response
from laurel.orgs.policy import units_visible
from laurel.web.access import allowed_if
from laurel.web.forms import service_errors_onto
from laurel.web.tables import listing_build

FOUND_SHOWN = 30  # people a search shows to pick from


@allowed_if(policy.may_manage_members)
def team_list(request):
    teams = (
        policy.teams_visible(request.user.access)
        .select_related("unit", "leader")
        .annotate(member_count=Count("members", distinct=True))
    )
    listing = listing_build(request, TeamTable, teams, filters=TeamFilter)
    if listing.export_requested:
        return listing.export_response("teams")
    return render(request, "members/team_list.html", {"listing": listing})


def _member_rows(access, members) -> list[dict]:
    """Members with their numbers as ``access`` may see them (masked for all but the person)."""
    return [
        {
            "member": member,
            "id_card": policy.id_card_shown_to(access, member),
            "mobile": policy.mobile_shown_to(access, member),
        }
        for member in members
    ]


def _people_found(request, candidates, place: str) -> dict:
    """The first ``FOUND_SHOWN`` of ``candidates`` the search ``q`` finds (all of them, in
    order, when nothing is typed), to pick from; a refused whole-number search says why."""
    query = request.GET.get("q", "").strip()
    refusal = ""
    found = candidates.order_by("unit__path", "name", "pk")
    if query:
        try:
            found = people_search(found, query, request=request, fields=MEMBER_FIELDS, place=place)
        except NumberSearchLimited as limited:
            found, refusal = candidates.none(), str(limited.message)
    shown = list(found[: FOUND_SHOWN + 1])
    return {
        "query": query,
        "search_refusal": refusal,
        "found": _member_rows(request.user.access, shown[:FOUND_SHOWN]),
        "more_found": len(shown) > FOUND_SHOWN,
    }


def _kinds(access) -> list[str]:
    return team_kinds(policy.teams_visible(access))


@allowed_if(policy.may_manage_members)
def team_create(request):
    """The unit first (the unit picker), then the name, the kind and the people: members
    ticked and the leader chosen among those a search of the unit's members found."""
    access = request.user.access
    unit_form = TeamUnitForm(request.GET or None, units=units_visible(access))
    if not unit_form.is_valid():
        return render(request, "members/team_unit_choice.html", {"form": unit_form})
    unit = unit_form.cleaned_data["unit"]
    candidates = (
        policy.members_visible(access)
        .filter(unit__path__startswith=unit.path)
        .select_related("unit")
    )
    form = TeamCreateForm(request.POST or None, candidates=candidates, kinds=_kinds(access))
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                acting_user=request.user,
                unit=unit,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                leader=form.cleaned_data["leader"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("The team %(name)s was made.") % {"name": team.name})
            return redirect("members:team_detail", pk=team.pk)
    context = {
        "form": form,
        "unit": unit,
        "keep": {"unit": unit.pk},  # the search keeps the unit chosen
        "picked": request.POST.getlist("members"),
        "leader_picked": request.POST.get("leader", ""),
        **_people_found(request, candidates, "members:team_create"),
    }
    return render(request, "members/team_create.html", context)


def _team(request, pk: int):
    """The team, if it lies in the user's subtree: else 404 (never 403: no oracle)."""
    teams = policy.teams_visible(request.user.access).select_related("unit", "leader")
    return get_object_or_404(teams, pk=pk)


def _candidates(request, team):
    """The members who may join ``team``: its unit's subtree, as the user sees it."""
    return (
        policy.members_visible(request.user.access)
        .filter(unit__path__startswith=team.unit.path)
        .exclude(pk__in=team.members.values("pk"))
        .select_related("unit")
    )


@allowed_if(policy.may_manage_members)
def team_detail(request, pk: int, add_form: TeamMembersAddForm | None = None):
    """The team, its members (numbers masked) each with a button to take them out, and a
    search of the unit's members to add more."""
    access = request.user.access
    team = _team(request, pk)
    members = team.members.select_related("unit").order_by("name", "pk")
    candidates = _candidates(request, team)
    context = {
        "team": team,
        "rows": _member_rows(access, members),
        "add_form": add_form or TeamMembersAddForm(candidates=candidates),
        "picked": request.POST.getlist("members"),
        **_people_found(request, candidates, "members:team_detail"),
    }
    return render(request, "members/team_detail.html", context)


@allowed_if(policy.may_manage_members)
@require_POST
def team_members_add(request, pk: int):
    team = _team(request, pk)
    form = TeamMembersAddForm(request.POST, candidates=_candidates(request, team))
    if form.is_valid():
        try:
            added = services.team_members_add(
                acting_user=request.user, team=team, members=list(form.cleaned_data["members"])
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("%(count)s joined the team.") % {"count": added})
            return redirect("members:team_detail", pk=team.pk)
    return team_detail(request, pk, add_form=form)


@allowed_if(policy.may_manage_members)
@require_POST
def team_member_remove(request, pk: int, member_pk: int):
    team = _team(request, pk)
    member = get_object_or_404(team.members.all(), pk=member_pk)
    try:
        services.team_member_remove(acting_user=request.user, team=team, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer in the team.") % {"name": member.name})
    return redirect("members:team_detail", pk=team.pk)


@allowed_if(policy.may_manage_members)
def team_edit(request, pk: int):
    team = _team(request, pk)
    form = TeamEditForm(request.POST or None, team=team, kinds=_kinds(request.user.access))
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(
                acting_user=request.user,
                team=team,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                leader=form.cleaned_data["leader"],
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            return redirect("members:team_detail", pk=team.pk)
    return render(request, "members/team_edit.html", {"team": team, "form": form})


@allowed_if(policy.may_manage_members)
def team_dissolve(request, pk: int):
    """What dissolving would do (or why it cannot be), then the confirmed POST acts."""
    team = _team(request, pk)
    refusal = services.team_dissolve_refusal(team)
    if request.method == "POST" and not refusal:
        services.team_dissolve(acting_user=request.user, team=team)
        messages.success(request, _("The team %(name)s was dissolved.") % {"name": team.name})
        return redirect("members:team_list")
    context = {"team": team, "refusal": refusal, "member_count": team.members.count()}
    return render(request, "members/team_dissolve.html", context)


# --- importing a team from a sheet ------------------------------------------------------


@allowed_if(policy.may_manage_members)
def team_import_template(request):
    """The blank team sheet: the columns the import reads, explained on a second sheet."""
    return template_response(TEAM_TEMPLATE, "team-template.xlsx")


@allowed_if(policy.may_manage_members)
def team_import(request):
    access = request.user.access
    form = TeamImportForm(
        request.POST or None,
        request.FILES or None,
        units=units_visible(access),
        kinds=_kinds(access),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = services.team_import_preview(
                acting_user=request.user,
                content=upload.read(),
                filename=upload.name,
                unit=form.cleaned_data["unit"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except ImportRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("members:team_import_detail", pk=preview.pk)
    recent = policy.team_imports_visible(access).select_related("unit")[:20]
    return render(request, "members/team_import.html", {"form": form, "recent": recent})


@allowed_if(policy.may_manage_members)
def team_import_detail(request, pk: int):
    upload = get_object_or_404(
        policy.team_imports_visible(request.user.access).select_related("unit", "team"), pk=pk
    )
    team = upload.team
    if team is not None and not policy.teams_visible(request.user.access).filter(pk=team.pk):
        team = None  # since moved beyond the user's units: not linked
    context = {**import_outcome_context(upload), "team": team}
    return render(request, "members/team_import_detail.html", context)


@allowed_if(policy.may_manage_members)
@require_POST
def team_import_commit(request, pk: int):
    upload = get_object_or_404(policy.team_imports_visible(request.user.access), pk=pk)
    try:
        services.team_import_commit(acting_user=request.user, team_import=upload)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("members:team_import_detail", pk=upload.pk)


@allowed_if(policy.may_manage_members)
@never_cache  # personal data: no browser or proxy keeps a copy
def team_import_report(request, pk: int):
    upload = get_object_or_404(policy.team_imports_visible(request.user.access), pk=pk)
    return import_report_response(upload)
