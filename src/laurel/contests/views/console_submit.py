"""Unit admins submitting for the entrants of their subtree: one entry at a time (the
entrant picked as the contest's kind says: a member by name, ID number or mobile, a team by
its name, a unit with the unit picker), or many members' entries from a spreadsheet whose
files then arrive one request each, so that every file has its own progress and its own
outcome."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from laurel.accounts.people_search import MEMBER_FIELDS, NumberSearchLimited, people_search
from laurel.contests import bulk, policy, services
from laurel.contests.entrants import entrant_related
from laurel.contests.forms import BulkStartForm, EntryForm
from laurel.contests.models import Contest, Entry
from laurel.contests.views.member import entry_from_form
from laurel.importing import ImportRefused, ImportTemplate, template_response
from laurel.media import services as media_services
from laurel.media.uploads import SizeLimitedUpload
from laurel.members import policy as members_policy
from laurel.orgs.forms import UnitPickField
from laurel.orgs.policy import units_visible
from laurel.web.access import allowed_if, may_use_console
from laurel.web.params import id_param

SEARCH_RESULTS = 20
UNSETTLED = (Entry.State.RECEIVED, Entry.State.PROCESSING)


def _contest_for_members(request, slug: str) -> Contest:
    """The contest, if this user may submit for members in it: else 404 (unseen) or 403."""
    access = request.user.access
    contest = get_object_or_404(policy.contests_visible(access), slug=slug)
    if not policy.may_submit_for_members(access, contest):
        raise PermissionDenied
    return contest


# --- one entry for one entrant ------------------------------------------------------------


def _members_found(request, members, query: str):
    """The first members ``people_search`` finds (whole numbers: the permission only)."""
    found = people_search(
        members, query, request=request, fields=MEMBER_FIELDS, place="contests:entry_submit_for"
    )
    return found.order_by("unit__path", "name", "pk")[:SEARCH_RESULTS]


def _chosen(request, name: str) -> int | None:
    return id_param(request.POST, name) or id_param(request.GET, name)


def _member_pick(request, contest: Contest, context: dict):
    """The member chosen (``author``), or the page searching for one."""
    access = request.user.access
    members = members_policy.members_visible(access).select_related("unit")
    author_pk = _chosen(request, "author")
    if not author_pk:
        query = request.GET.get("q", "").strip()
        refusal = ""
        try:
            found = _members_found(request, members, query) if query else []
        except NumberSearchLimited as limited:
            found, refusal = [], limited.message
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
        if request.htmx:
            return render(request, "contests/_member_search.html", context)
        return render(request, "contests/submit_for_member.html", context)
    author = get_object_or_404(members, pk=author_pk)
    context |= {
        "author": author,
        "author_id_card": members_policy.id_card_shown_to(access, author),
    }
    return author


def _team_pick(request, contest: Contest, context: dict):
    """The team chosen (``team``) among the teams of the admin's subtree, or the page
    searching for one by its name or its unit's."""
    teams = members_policy.teams_visible(request.user.access).select_related("unit", "leader")
    team_pk = _chosen(request, "team")
    if not team_pk:
        query = request.GET.get("q", "").strip()
        found = []
        if query:
            found = teams.filter(Q(name__icontains=query) | Q(unit__name__icontains=query))
            found = found.order_by("unit__path", "name", "pk")[:SEARCH_RESULTS]
        context |= {"query": query, "teams_found": found}
        if request.htmx:
            return render(request, "contests/_team_search.html", context)
        return render(request, "contests/submit_for_member.html", context)
    return get_object_or_404(teams, pk=team_pk)


class EntrantUnitForm(forms.Form):
    """The unit that enters, among the units the admin may see."""

    unit = UnitPickField(label=gettext_lazy("Unit"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def _unit_pick(request, contest: Contest, context: dict):
    """The unit chosen (``unit``) with the unit picker, or the page choosing one."""
    units = units_visible(request.user.access)
    if request.method == "POST":
        return get_object_or_404(units, pk=id_param(request.POST, "unit"))
    picked = "unit" in request.GET or "unit_q" in request.GET
    form = EntrantUnitForm(request.GET if picked else None, units=units)
    if picked and form.is_valid():
        return form.cleaned_data["unit"]
    context["unit_form"] = form
    return render(request, "contests/submit_for_member.html", context)


ENTRANT_PICKS = {
    Contest.Entrants.MEMBERS: _member_pick,
    Contest.Entrants.TEAMS: _team_pick,
    Contest.Entrants.UNITS: _unit_pick,
}


@allowed_if(may_use_console)
def entry_submit_for(request, slug: str):
    access = request.user.access
    contest = _contest_for_members(request, slug)
    recent = (
        policy.entries_visible(access)
        .filter(contest=contest, submitted_by=request.user)
        .select_related(*entrant_related(), "category")
        .order_by("-created_at", "-pk")[:20]
    )
    context = {
        "contest": contest,
        "recent": recent,
        "accepts_entries": contest.accepts_entries(),
        "takes_bulk": not bulk.bulk_refusal(contest),
    }
    entrant = ENTRANT_PICKS[contest.entrants](request, contest, context)
    if isinstance(entrant, HttpResponse):  # still choosing
        return entrant
    if not policy.may_submit_for(access, contest, entrant):
        raise PermissionDenied
    context["entrant"] = entrant
    form = EntryForm(
        request.POST or None, request.FILES or None, contest=contest, declarations="signed"
    )
    if request.method == "POST" and form.is_valid():
        entry = entry_from_form(request, form, contest, entrant)
        if entry is not None:
            messages.success(
                request,
                _("Entry %(code)s “%(title)s” was submitted for %(name)s.")
                % {"code": entry.code, "title": entry.title, "name": entrant.name},
            )
            return redirect("contests:console_entry_submit", slug=contest.slug)
    return render(request, "contests/submit_for_member.html", context | {"form": form})


# --- many entries from a spreadsheet -----------------------------------------------------

COLUMN_HELP = {
    "file": gettext_lazy(
        "The photo's file name, as you will send it (the extension may be left out)."
    ),
    "title": gettext_lazy("The entry's title (at most 100 characters)."),
    "id_card": gettext_lazy("The author's ID number: the surest way to find them."),
    "mobile": gettext_lazy("The author's mobile, when the ID number is not given."),
    "name": gettext_lazy("The author's name, checked against the roster."),
    "category": gettext_lazy("One of the contest's categories, by name."),
    "description": gettext_lazy("About the work."),
    "place": gettext_lazy("Where it was taken."),
    "taken_on": gettext_lazy("When it was taken, e.g. 2026-03-08."),
    "declared": gettext_lazy("是 when the entrant has signed the declarations."),
}


@allowed_if(may_use_console)
def bulk_template(request, slug: str):
    """The blank sheet for this contest: the columns the bulk import reads (``bulk.
    BULK_COLUMNS``), explained on a second sheet with an example in one of its categories."""
    contest = _contest_for_members(request, slug)
    category = contest.categories.order_by("position", "pk").first()
    examples = {
        "file": "IMG_0001.jpg",
        "title": "春耕",
        "id_card": "11010519491231002X",
        "mobile": "13800138000",
        "name": "张三",
        "category": category.name if category else "",
        "description": "清晨的梯田",
        "place": "永川区",
        "taken_on": "2026-03-08",
        "declared": "是",
    }
    template = ImportTemplate(bulk.BULK_COLUMNS, COLUMN_HELP, examples)
    return template_response(template, f"{contest.slug}-entries-template.xlsx")


@allowed_if(may_use_console)
def bulk_start(request, slug: str):
    access = request.user.access
    contest = _contest_for_members(request, slug)
    form = BulkStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sheet = form.cleaned_data["sheet"]
        try:
            submission = services.bulk_start(
                acting_user=request.user, contest=contest, content=sheet.read(), filename=sheet.name
            )
        except ImportRefused as error:
            form.add_error("sheet", str(error))
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            return redirect("contests:console_bulk_detail", slug=contest.slug, pk=submission.pk)
    columns = [
        {
            "header": column.aliases[0],
            "also": [alias for alias in column.aliases[1:] if not alias.isascii()],
            "required": column.required,
            "help": COLUMN_HELP.get(column.key, ""),
        }
        for column in bulk.BULK_COLUMNS
    ]
    context = {
        "contest": contest,
        "form": form,
        "columns": columns,
        "categories": contest.categories.all(),
        "recent": policy.bulk_submissions_visible(access).filter(contest=contest)[:20],
    }
    return render(request, "contests/bulk_start.html", context)


ROW_LABELS = {
    "waiting": gettext_lazy("Waiting for its file"),
    "invalid": gettext_lazy("Row not usable"),
    "submitted": gettext_lazy("Submitted"),
    "refused": gettext_lazy("Refused"),
    "unmatched": gettext_lazy("Matches no row"),
    "error": gettext_lazy("Not sent"),
}


def _bulk_submission_get(request, slug: str, pk: int):
    access = request.user.access
    contest = get_object_or_404(policy.contests_visible(access), slug=slug)
    submission = get_object_or_404(
        policy.bulk_submissions_visible(access).filter(contest=contest), pk=pk
    )
    return contest, submission


def _bulk_rows(access, submission) -> list[dict]:
    """The sheet's rows with what became of them; a submitted entry refused since (its photo
    failed the pipeline) shows as refused, with the reason."""
    entry_ids = [row["entry"] for row in submission.rows if row.get("entry")]
    entries = policy.entries_visible(access).filter(pk__in=entry_ids).in_bulk()
    categories = dict(submission.contest.categories.values_list("pk", "name"))
    rows = []
    for row in submission.rows:
        entry = entries.get(row.get("entry"))
        status, reason = row["status"], row["reason"]
        if entry is not None and entry.state == Entry.State.REFUSED:
            status, reason = "refused", entry.refusal_reason
        rows.append(
            {
                **row,
                "category_name": categories.get(row["category"], ""),
                "outcome": status,
                "label": ROW_LABELS[status],
                "reason": reason,
                "obj": entry,
            }
        )
    return rows


def _bulk_context(request, contest, submission) -> dict:
    rows = _bulk_rows(request.user.access, submission)
    counts = {status: 0 for status in ("waiting", "invalid", "submitted", "refused")}
    for row in rows:
        counts[row["outcome"]] += 1
    return {
        "contest": contest,
        "submission": submission,
        "rows": rows,
        "counts": counts,
        "unmatched": submission.files,
        "unsettled": any(row["obj"] and row["obj"].state in UNSETTLED for row in rows),
    }


@allowed_if(may_use_console)
def bulk_detail(request, slug: str, pk: int):
    contest, submission = _bulk_submission_get(request, slug, pk)
    context = _bulk_context(request, contest, submission)
    if request.htmx:
        return render(request, "contests/_bulk_rows.html", context)
    context["labels"] = {
        "rows": {key: str(label) for key, label in ROW_LABELS.items()},
        "states": {value: str(label) for value, label in Entry.State.choices},
        "sending": _("Sending…"),
        "checking": _("Submitted; the photo is being checked."),
        "none": _("Choose the files first."),
        "summary": _("%(done)s of %(total)s files sent."),
    }
    return render(request, "contests/bulk_detail.html", context)


@csrf_exempt  # only so that the size limit is in place before the body is read ...
@allowed_if(may_use_console)
@require_POST
def bulk_file(request, slug: str, pk: int):
    limit = media_services.photo_limits().max_bytes
    request.upload_handlers.insert(0, SizeLimitedUpload(request, limit))
    return _bulk_file(request, slug, pk, limit)


@csrf_protect  # ... and the CSRF check runs right after, as media.views.member.upload does
def _bulk_file(request, slug: str, pk: int, limit: int):
    _contest, submission = _bulk_submission_get(request, slug, pk)
    upload = request.FILES.get("file")
    if upload is None:
        if getattr(request, "upload_too_large", False):
            return JsonResponse({"error": media_services.too_large_message(limit)}, status=413)
        return JsonResponse({"error": _("No file was sent.")}, status=400)
    outcome = services.bulk_file_submit(
        acting_user=request.user,
        submission=submission,
        upload=services.Upload(upload.name, upload.chunks()),
    )
    entry = outcome.entry
    return JsonResponse(
        {
            "file": outcome.file,
            "status": outcome.status,
            "reason": outcome.reason,
            "row": outcome.row,
            "entry": entry.code if entry else None,
            "state": entry.state if entry else "",
        }
    )
