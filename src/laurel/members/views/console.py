"""Console pages for members and roster imports (teams: ``console_teams``). Thin: forms in,
services, policy."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from laurel.accounts.people_search import NumberSearchLimited
from laurel.accounts.policy import may_reveal_personal_data_somewhere
from laurel.importing import MEMBER_TEMPLATE, ImportRefused, report_xlsx, template_response
from laurel.members import policy, services
from laurel.members.forms import MemberImportForm
from laurel.members.models import MemberImport
from laurel.members.tables import MemberFilter, MemberTable
from laurel.orgs.policy import units_visible
from laurel.web.access import allowed_if
from laurel.web.tables import listing_build

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 500


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@allowed_if(policy.may_manage_members)
def member_list(request):
    members = policy.members_visible(request.user.access).select_related("unit")
    listing = listing_build(request, MemberTable, members, filters=MemberFilter)
    context = {
        "listing": listing,
        "listing_id": "member-table",
        "listing_export": False,  # the members' own export (above the list) is theirs
        "may_export_full_numbers": may_reveal_personal_data_somewhere(request.user.access),
    }
    template = "web/_listing.html" if request.htmx else "members/member_list.html"
    return render(request, template, context)


@allowed_if(policy.may_manage_members)
@never_cache  # personal data: no browser or proxy keeps a copy
def member_export(request):
    """The members the list's search and unit filter select, masked; ``full_numbers=1`` asks
    for whole numbers (a separate, audited choice that gives them only for the members the
    personal-data permission covers)."""
    members = policy.members_visible(request.user.access).select_related("unit")
    filters = MemberFilter(request.GET, queryset=members, request=request)
    selected = filters.qs if filters.is_valid() else members.none()
    if filters.refusal:
        raise NumberSearchLimited
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    content = services.members_export(
        acting_user=request.user,
        members=selected.order_by("unit__path", "name", "pk"),
        description=request.GET.urlencode(),
        full_numbers=request.GET.get("full_numbers") == "1",
    )
    return xlsx_response(content, f"members-{stamp}.xlsx")


@allowed_if(policy.may_manage_members)
def member_detail(request, pk: int):
    access = request.user.access
    member = get_object_or_404(policy.members_visible(access).select_related("unit", "user"), pk=pk)
    context = {
        "member": member,
        "id_card": policy.id_card_shown_to(access, member),
        "mobile": policy.mobile_shown_to(access, member),
        "may_reveal": policy.may_reveal_personal_numbers(access, member),
        "teams": member.teams.select_related("unit", "leader"),
    }
    return render(request, "members/member_detail.html", context)


@allowed_if(may_reveal_personal_data_somewhere)
@require_POST
@never_cache  # whole numbers: no browser or proxy keeps a copy
def member_numbers_reveal(request, pk: int):
    """One member's numbers whole, on request (audited); 403 beyond the permission's reach."""
    member = get_object_or_404(
        policy.members_visible(request.user.access).select_related("unit"), pk=pk
    )
    id_card, mobile = services.member_numbers_reveal(acting_user=request.user, member=member)
    context = {"member": member, "id_card": id_card, "mobile": mobile}
    if request.htmx:
        return render(request, "members/_numbers_revealed.html", context)
    return render(request, "members/member_numbers.html", context)


@allowed_if(policy.may_manage_members)
@require_POST
def member_login_create(request, pk: int):
    member = get_object_or_404(policy.members_visible(request.user.access), pk=pk)
    try:
        user, initial_password = services.member_login_create(
            acting_user=request.user, member=member
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members:member_detail", pk=member.pk)
    return render(
        request,
        "accounts/member_created.html",
        {"subject": user, "initial_password": initial_password},
    )


# --- imports ----------------------------------------------------------------------------


@allowed_if(policy.may_manage_members)
def member_import_template(request):
    """The blank roster sheet: the columns the import reads, explained on a second sheet."""
    return template_response(MEMBER_TEMPLATE, "roster-template.xlsx")


@allowed_if(policy.may_manage_members)
def member_import(request):
    access = request.user.access
    form = MemberImportForm(
        request.POST or None, request.FILES or None, units=units_visible(access)
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = services.member_import_preview(
                acting_user=request.user,
                content=upload.read(),
                filename=upload.name,
                default_unit=form.cleaned_data["unit"],
            )
        except ImportRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("members:member_import_detail", pk=preview.pk)
    recent = policy.imports_visible(access).select_related("uploaded_by")[:20]
    return render(request, "members/member_import.html", {"form": form, "recent": recent})


OUTCOME_LABELS = {
    "imported": _("new"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "rejected": _("rejected"),
}


def outcome_shares(counts: dict[str, int]) -> list[dict]:
    """Each outcome's share of the rows, for the stacked bar."""
    total = sum(counts.values())
    return [
        {
            "status": status,
            "label": OUTCOME_LABELS[status],
            "count": count,
            "percent": f"{100 * count / total:.2f}",
        }
        for status, count in counts.items()
        if count and total
    ]


def import_outcome_context(upload) -> dict:
    """What a sheet upload's page shows of its rows (a roster or a team import): the
    counts and their shares, the rejected rows, the first accepted ones."""
    result = upload.result()
    return {
        "upload": upload,
        "counts": upload.counts,
        "shares": outcome_shares(upload.counts),
        "rejected": result.rejected,
        "accepted": [o for o in result.outcomes if o.status != "rejected"][:PREVIEW_ROWS],
        "preview_limit": PREVIEW_ROWS,
    }


def import_report_response(upload):
    """A sheet upload's rows and reasons as the .xlsx report, named after its file."""
    name = upload.filename.rsplit(".", 1)[0]
    report = report_xlsx(upload.result(), source_name=upload.filename)
    return xlsx_response(report, f"{name}-report.xlsx")


@allowed_if(policy.may_manage_members)
def member_import_detail(request, pk: int):
    upload = get_object_or_404(policy.imports_visible(request.user.access), pk=pk)
    progress = cache.get(services.progress_key(upload)) or [0, sum(upload.counts.values())]
    context = {
        **import_outcome_context(upload),
        "progress_done": progress[0],
        "progress_total": progress[1],
    }
    if request.htmx:
        response = render(request, "members/_import_status.html", context)
        if upload.status != MemberImport.Status.RUNNING:
            response["HX-Refresh"] = "true"  # finished: show the whole outcome
        return response
    return render(request, "members/member_import_detail.html", context)


@allowed_if(policy.may_manage_members)
@require_POST
def member_import_commit(request, pk: int):
    upload = get_object_or_404(policy.imports_visible(request.user.access), pk=pk)
    try:
        services.member_import_commit(acting_user=request.user, member_import=upload)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("members:member_import_detail", pk=upload.pk)


@allowed_if(policy.may_manage_members)
@never_cache  # personal data: no browser or proxy keeps a copy
def member_import_report(request, pk: int):
    upload = get_object_or_404(policy.imports_visible(request.user.access), pk=pk)
    return import_report_response(upload)
