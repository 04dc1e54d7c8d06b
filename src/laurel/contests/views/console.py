"""Console pages for contests: organisers set contests up, move them through their states and
screen their entries; unit admins browse the entries of their subtree. Thin: forms in,
services write, policy decides who sees what.
"""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from laurel.accounts.policy import may_reveal_personal_data_somewhere
from laurel.contests import bulk, policy, services
from laurel.contests.entrants import entrant_related
from laurel.contests.entry_sections import entry_sections_for
from laurel.contests.forms import ContestForm, FlagResolveForm
from laurel.contests.models import Contest, Declaration, Entry, EntryFile, Flag
from laurel.contests.tables import (
    ContestFilter,
    ContestTable,
    EntryFilter,
    EntryTable,
    with_entry_counts,
)
from laurel.orgs.policy import units_visible
from laurel.web.access import allowed_if
from laurel.web.confirm import Confirmation, Consequence, confirmation_render, confirmed
from laurel.web.forms import service_errors_onto
from laurel.web.tables import listing_build

PENDING_FLAG_STATES = (Flag.State.OPEN, Flag.State.ASKED)
# what the button moving a contest to a state says; (from, to) where it depends on both
TRANSITION_LABELS = {
    Contest.State.OPEN: gettext_lazy("Open for entries"),
    (Contest.State.CLOSED, Contest.State.OPEN): gettext_lazy("Re-open for entries"),
    Contest.State.CLOSED: gettext_lazy("Close entries"),
    Contest.State.JUDGING: gettext_lazy("Start judging"),
    Contest.State.RESULTS: gettext_lazy("Move to results"),
}


def _contest(request, slug: str) -> Contest:
    return get_object_or_404(policy.contests_visible(request.user.access), slug=slug)


def _files_prefetch(lookup: str = "files") -> Prefetch:
    return Prefetch(lookup, queryset=EntryFile.objects.select_related("asset"))


# --- contests ---------------------------------------------------------------------------


@allowed_if(policy.may_browse_contests)
def contest_list(request):
    access = request.user.access
    contests = with_entry_counts(policy.contests_visible(access), policy.entries_visible(access))
    listing = listing_build(request, ContestTable, contests, filters=ContestFilter)
    if listing.export_requested:
        return listing.export_response("contests")
    context = {"listing": listing, "may_organise": policy.may_organise(access)}
    return render(request, "contests/console_contest_list.html", context)


def _contest_fields(form, *, only_changed: bool) -> dict:
    data = form.cleaned_data
    return {
        name: data[name]
        for name in services.CONTEST_FIELDS
        if not only_changed or data[name] != form.initial.get(name)
    }


@allowed_if(policy.may_organise)
def contest_create(request):
    form = ContestForm(request.POST or None, units=units_visible(request.user.access))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contest = services.contest_create(
                acting_user=request.user,
                slug=data["slug"],
                categories=data["categories"],
                prize_tiers=data["prize_tiers"],
                quotas=data["quotas"],
                **_contest_fields(form, only_changed=False),
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("The contest was created, as a draft."))
            return redirect("contests:console_contest", slug=contest.slug)
    return render(request, "contests/console_contest_form.html", {"form": form, "contest": None})


@allowed_if(policy.may_organise)
def contest_edit(request, slug: str):
    contest = _contest(request, slug)
    form = ContestForm(
        request.POST or None,
        instance=Contest.objects.get(pk=contest.pk),
        units=units_visible(request.user.access),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parts = {}  # only what changed: some parts are locked once judging starts
        if data["categories"] != form.initial["categories"]:
            parts["categories"] = data["categories"]
        tiers = services.prize_tier_rows(contest.prize_tiers.all())
        if data["prize_tiers"] != tiers:
            parts["prize_tiers"] = data["prize_tiers"]
        quotas = [(quota.unit_id, quota.limit) for quota in contest.quotas.order_by("unit__path")]
        if sorted((unit.pk, limit) for unit, limit in data["quotas"]) != sorted(quotas):
            parts["quotas"] = data["quotas"]
        try:
            services.contest_update(
                acting_user=request.user,
                contest=contest,
                **parts,
                **_contest_fields(form, only_changed=True),
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("The contest's settings were saved."))
            return redirect("contests:console_contest", slug=contest.slug)
    return render(request, "contests/console_contest_form.html", {"form": form, "contest": contest})


def _entry_chart(contest: Contest, entries) -> dict:
    """Entries per category × state (one query), as rows of a horizontal stacked bar chart:
    each bar as long as its category's share of the largest, split by state."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in entries.order_by().values("category_id", "state").annotate(n=Count("pk")):
        counts[row["category_id"]][row["state"]] = row["n"]
    categories = list(contest.categories.all())
    totals = {category.pk: sum(counts[category.pk].values()) for category in categories}
    largest = max(totals.values(), default=0) or 1
    states = [
        state
        for state in Entry.State
        if any(counts[category.pk].get(state.value) for category in categories)
    ]
    legend = [
        {
            "state": state.value,
            "label": state.label,
            "count": sum(counts[category.pk].get(state.value, 0) for category in categories),
        }
        for state in states
    ]
    rows = []
    for category in categories:
        total, row = totals[category.pk], counts[category.pk]
        rows.append(
            {
                "category": category,
                "total": total,
                "width": f"{100 * total / largest:.2f}",
                "segments": [
                    {
                        "state": state.value,
                        "label": state.label,
                        "count": row[state.value],
                        "percent": f"{100 * row[state.value] / total:.2f}",
                    }
                    for state in states
                    if row.get(state.value)
                ],
                "cells": [row.get(state.value, 0) for state in states],
            }
        )
    return {"rows": rows, "legend": legend, "total": sum(totals.values())}


@allowed_if(policy.may_browse_contests)
def contest_detail(request, slug: str):
    access = request.user.access
    contest = _contest(request, slug)
    may_organise = policy.may_organise(access)
    flags = (
        policy.flags_visible(access)
        .filter(entry__contest=contest)
        .aggregate(
            open=Count("pk", filter=Q(state=Flag.State.OPEN)),
            asked=Count("pk", filter=Q(state=Flag.State.ASKED)),
        )
    )
    transitions = []
    if may_organise:
        transitions = [
            {
                "to": to.value,
                "label": TRANSITION_LABELS.get((contest.state, to)) or TRANSITION_LABELS[to],
            }
            for to in services.TRANSITIONS[contest.state]
        ]
    context = {
        "contest": contest,
        "may_organise": may_organise,
        "transitions": transitions,
        "chart": _entry_chart(contest, policy.entries_visible(access).filter(contest=contest)),
        "flags": flags,
        "prize_tiers": contest.prize_tiers.all(),
        "quotas": contest.quotas.select_related("unit").order_by("unit__path"),
        "co_organisers": [line for line in contest.co_organisers.splitlines() if line.strip()],
        "may_submit": contest.state == Contest.State.OPEN
        and policy.may_submit_for_members(access, contest),
        "takes_bulk": not bulk.bulk_refusal(contest),
        "may_export_full_numbers": may_reveal_personal_data_somewhere(access),
    }
    return render(request, "contests/console_contest.html", context)


def _close_confirmation(request, contest: Contest):
    """Closing entries, asked first: how many entries, entrants and units it stops."""
    preview = services.contest_close_preview(contest)
    consequences = [
        Consequence(
            "entrants",
            preview.entrants,
            ngettext(
                "%(count)d entrant from %(units)d units can no longer add, change or withdraw "
                "entries.",
                "%(count)d entrants from %(units)d units can no longer add, change or withdraw "
                "entries.",
                preview.entrants,
            )
            % {"count": preview.entrants, "units": preview.units},
        ),
        Consequence(
            "entries",
            preview.entries,
            ngettext(
                "%(count)d entry goes on to judging.",
                "%(count)d entries go on to judging.",
                preview.entries,
            )
            % {"count": preview.entries},
        ),
    ]
    notes = [_("Nobody is sent a message. The contest can be re-opened while it is closed.")]
    if preview.processing:
        notes.append(
            ngettext(
                "%(count)d entry is still being checked; it is judged once accepted.",
                "%(count)d entries are still being checked; they are judged once accepted.",
                preview.processing,
            )
            % {"count": preview.processing}
        )
    return confirmation_render(
        request,
        Confirmation(
            title=_("Close “%(title)s” to entries?") % {"title": contest.title},
            action=reverse("contests:console_contest_transition", args=[contest.slug]),
            button=_("Close entries"),
            back=reverse("contests:console_contest", args=[contest.slug]),
            consequences=consequences,
            notes=notes,
        ),
    )


@allowed_if(policy.may_organise)
@require_POST
def contest_transition(request, slug: str):
    contest = _contest(request, slug)
    to = request.POST.get("to", "")
    if to not in Contest.State.values:
        messages.error(request, _("Choose a state the contest can move to."))
        return redirect("contests:console_contest", slug=contest.slug)
    if to == Contest.State.CLOSED and not confirmed(request):
        try:
            return _close_confirmation(request, contest)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("contests:console_contest", slug=contest.slug)
    try:
        contest = services.contest_transition(acting_user=request.user, contest=contest, to=to)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The contest is now “%(state)s”.") % {"state": contest.get_state_display()},
        )
    return redirect("contests:console_contest", slug=contest.slug)


# --- entries ------------------------------------------------------------------------------


def _pending_flag_count(access):
    """Each entry's open and asked flags, as far as this viewer sees flags (a subquery)."""
    pending = (
        policy.flags_visible(access)
        .filter(entry=OuterRef("pk"), state__in=PENDING_FLAG_STATES)
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(pending, output_field=IntegerField()), Value(0))


@allowed_if(policy.may_browse_contests)
def entry_list(request, slug: str):
    access = request.user.access
    contest = _contest(request, slug)
    shows_flags = policy.may_organise(access)
    entries = (
        EntryTable.entries_for_table(policy.entries_visible(access).filter(contest=contest))
        .prefetch_related(_files_prefetch())
        .annotate(pending_flags=_pending_flag_count(access))
    )
    table_kwargs = {"entrants": contest.entrants, "content": contest.content_kind}
    if not shows_flags:
        table_kwargs["exclude"] = ("pending_flags",)
    listing = listing_build(
        request,
        EntryTable,
        entries,
        filters=EntryFilter.for_contest(contest, shows_flags=shows_flags),
        table_kwargs=table_kwargs,
    )
    if listing.export_requested:
        return listing.export_response(f"{contest.slug}-entries")
    context = {"contest": contest, "listing": listing, "may_organise": shows_flags}
    if request.htmx:
        return render(request, "contests/_console_entry_table.html", context)
    return render(request, "contests/console_entry_list.html", context)


def flag_sentence(flag: Flag) -> str:
    """What a flag found, said in a sentence."""
    detail = flag.detail or {}
    if flag.kind == Flag.Kind.DUPLICATE:
        numbers = [int(n) for n in detail.get("entries", [])]
        return ngettext(
            "The same or a nearly identical photo is also in entry %(numbers)s of this contest.",
            "The same or a nearly identical photo is also in entries %(numbers)s of this contest.",
            len(numbers),
        ) % {"numbers": "、".join(f"{n:04d}" for n in numbers)}
    if flag.kind == Flag.Kind.DUPLICATE_PAST:
        return _(
            "The same or a nearly identical photo was entered in an earlier contest: %(entries)s."
        ) % {"entries": "、".join(str(ref) for ref in detail.get("entries", []))}
    if flag.kind == Flag.Kind.BELOW_SIZE:
        photos = detail.get("photos", [])
        return ngettext(
            "Photo %(photos)s is smaller than the contest's minimum long edge of %(px)s px.",
            "Photos %(photos)s are smaller than the contest's minimum long edge of %(px)s px.",
            len(photos),
        ) % {"photos": "、".join(str(n) for n in photos), "px": detail.get("min_long_edge", "?")}
    if flag.kind == Flag.Kind.DATE_MISSING:
        return _("Neither the entrant nor the photos' EXIF data say when they were taken.")
    if flag.kind == Flag.Kind.DATE_OUTSIDE:
        rules = flag.entry.contest.photo_rules
        return _("Taken on %(date)s, outside the contest's window (%(start)s – %(end)s).") % {
            "date": detail.get("taken_on", "?"),
            "start": rules.taken_from or "…",
            "end": rules.taken_until or "…",
        }
    if flag.kind == Flag.Kind.DECLARATIONS_MISSING:
        labels = [
            str(Declaration(code).label)
            for code in detail.get("missing", [])
            if code in Declaration.values
        ]
        return _("Declarations not made: %(missing)s") % {"missing": " ".join(labels)}
    return flag.get_kind_display()


def _flag_rows(access, contest: Contest, flags: list[Flag]) -> list[dict]:
    """Each flag with its sentence and, for duplicates, the other entries it names (those
    this viewer may see), with their photos."""
    here, past = set(), set()
    for flag in flags:
        refs = flag.detail.get("entries", []) if isinstance(flag.detail, dict) else []
        if flag.kind == Flag.Kind.DUPLICATE:
            here.update(int(n) for n in refs)
        elif flag.kind == Flag.Kind.DUPLICATE_PAST:
            for ref in refs:
                slug, _sep, number = str(ref).rpartition("#")
                if slug and number.isdigit():
                    past.add((slug, int(number)))
    others = {}
    if here or past:
        wanted = Q(contest=contest, number__in=here)
        for slug, number in past:
            wanted |= Q(contest__slug=slug, number=number)
        for other in (
            policy.entries_visible(access)
            .filter(wanted)
            .select_related("contest")
            .prefetch_related(_files_prefetch())
        ):
            others[(other.contest.slug, other.number)] = other
    rows = []
    for flag in flags:
        refs = flag.detail.get("entries", []) if isinstance(flag.detail, dict) else []
        keys = []
        if flag.kind == Flag.Kind.DUPLICATE:
            keys = [(contest.slug, int(n)) for n in refs]
        elif flag.kind == Flag.Kind.DUPLICATE_PAST:
            keys = [
                (slug, int(number))
                for slug, _sep, number in (str(ref).rpartition("#") for ref in refs)
                if slug and number.isdigit()
            ]
        rows.append(
            {
                "flag": flag,
                "sentence": flag_sentence(flag),
                "others": [others[key] for key in keys if key in others],
                "pending": flag.state in PENDING_FLAG_STATES,
                "form": None,
            }
        )
    return rows


def _flags_shown(access):
    return (
        policy.flags_visible(access)
        .select_related(
            "entry__contest", "entry__category", *entrant_related("entry__"), "resolved_by"
        )
        .prefetch_related(_files_prefetch("entry__files"))
        .order_by("entry__number", "kind")
    )


def _declared_at(entry: Entry) -> list[dict]:
    rows = []
    for declaration in Declaration:
        made = entry.declarations.get(declaration.value)
        at = None
        if isinstance(made, dict) and made.get("at"):
            try:
                at = datetime.datetime.fromisoformat(made["at"])
            except ValueError:
                at = None
        rows.append({"label": declaration.label, "made": made is not None, "at": at})
    return rows


@allowed_if(policy.may_browse_contests)
def entry_detail(request, slug: str, number: int):
    access = request.user.access
    contest = _contest(request, slug)
    entry = get_object_or_404(
        policy.entries_visible(access)
        .filter(contest=contest)
        .select_related("category", *entrant_related(), "submitted_by"),
        number=number,
    )
    flags = list(_flags_shown(access).filter(entry=entry))
    context = {
        "contest": contest,
        "entry": entry,
        "photos": list(entry.files.select_related("asset")),
        "content": contest.content_kind,
        "declarations": _declared_at(entry),
        "flag_rows": _flag_rows(access, contest, flags),
        "may_organise": policy.may_organise(access),
        # what the apps above add (awards: its prize, its judging), each by its own policy
        "sections": entry_sections_for(access, entry),
    }
    return render(request, "contests/console_entry.html", context)


# --- screening ----------------------------------------------------------------------------


@allowed_if(policy.may_organise)
def screening(request, slug: str):
    access = request.user.access
    contest = _contest(request, slug)
    rows = _flag_rows(access, contest, list(_flags_shown(access).filter(entry__contest=contest)))
    pending = [row for row in rows if row["pending"]]
    groups = [
        {"kind": kind.value, "label": kind.label, "rows": kind_rows}
        for kind in Flag.Kind
        if (kind_rows := [row for row in pending if row["flag"].kind == kind.value])
    ]
    context = {
        "contest": contest,
        "groups": groups,
        "pending_count": len(pending),
        "resolved": [row for row in rows if not row["pending"]],
        "decisions": FlagResolveForm.DECISIONS,
        "may_organise": True,
    }
    return render(request, "contests/console_screening.html", context)


@allowed_if(policy.may_organise)
@require_POST
def flag_resolve(request, pk: int):
    access = request.user.access
    flag = get_object_or_404(policy.flags_visible(access).select_related("entry__contest"), pk=pk)
    contest = flag.entry.contest
    form = FlagResolveForm(request.POST)
    if form.is_valid():
        try:
            services.flag_resolve(
                acting_user=request.user,
                flag=flag,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            service_errors_onto(form, error)
    resolved = form.is_valid()  # still valid: the service took it
    screening_url = reverse("contests:console_screening", args=[contest.slug])
    if request.htmx:
        flag = _flags_shown(access).get(pk=flag.pk)
        row = _flag_rows(access, contest, [flag])[0]
        row["form"] = None if resolved else form
        context = {"row": row, "contest": contest, "decisions": FlagResolveForm.DECISIONS}
        return render(request, "contests/_console_flag.html", context)
    if resolved:
        messages.success(
            request,
            _("Entry %(code)s: “%(flag)s” decided.")
            % {"code": flag.entry.code, "flag": flag.get_kind_display()},
        )
    else:
        messages.error(
            request,
            _("Entry %(code)s: %(errors)s")
            % {
                "code": flag.entry.code,
                "errors": " ".join(str(e) for errors in form.errors.values() for e in errors),
            },
        )
    return redirect(f"{screening_url}#flag-{flag.pk}")
