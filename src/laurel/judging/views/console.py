"""The organiser's round console: a contest's rounds, a new round, and one page for a round's
whole life — its panel, the automatic assignment checked before it goes live, live progress
while judges work, and the results once it closes. Thin: forms in, services write, the
judging policy decides who sees what (organisers; anything else is 403, another's 404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from laurel.accounts.people_search import USER_FIELDS, NumberSearchLimited, people_search
from laurel.contests.entrants import entrant_name_expression, entrant_related
from laurel.contests.policy import contests_visible
from laurel.judging import policy, selectors, services
from laurel.judging.forms import (
    METHOD_LABELS,
    DeductionForm,
    JudgeSearchForm,
    MoveForm,
    PanelCopyForm,
    RoundForm,
    SeatForm,
    SeatRoleForm,
    SeatsAddForm,
    TieOrderForm,
    tie_key,
)
from laurel.judging.models import Assignment, Deduction, Result, Round, Seat
from laurel.judging.tables import ResultFilter, ResultTable
from laurel.orgs.policy import units_visible
from laurel.orgs.selectors import unit_choices
from laurel.web.access import allowed_if
from laurel.web.charts import IntervalAxis
from laurel.web.confirm import Confirmation, Consequence, confirmation_render, confirmed
from laurel.web.forms import service_errors_onto
from laurel.web.params import is_id
from laurel.web.tables import listing_build

SHORT_LISTED = 60  # entry codes listed before "and N more"
CANDIDATES_SHOWN = 100  # judges offered at once for the panel; more: narrow the search


def _contest(request, slug: str):
    return get_object_or_404(contests_visible(request.user.access), slug=slug)


def _rounds(request):
    access = request.user.access
    return policy.rounds_visible(access).filter(contest__in=contests_visible(access))


def _round(request, pk: int) -> Round:
    rounds = _rounds(request).select_related("contest", "previous")
    # whether the deductions panel has rows to read: no query for them when none
    rounds = rounds.annotate(has_deductions=Exists(Deduction.objects.filter(round=OuterRef("pk"))))
    return get_object_or_404(rounds, pk=pk)


def _to_round(request, round_: Round, anchor: str = ""):
    url = reverse("judging:round_detail", args=[round_.pk]) + (f"#{anchor}" if anchor else "")
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}" if whole else "0"


def _work_counts(rounds) -> dict:
    """Live reviews per round: assigned and done (one query)."""
    rows = selectors.work_counts(selectors.live_reviews(round__in=rounds), "round_id")
    return {row["round_id"]: row for row in rows}


# --- the contest's rounds -------------------------------------------------------------------


@allowed_if(policy.may_organise_rounds)
def round_list(request, slug: str):
    contest = _contest(request, slug)
    rounds = list(_rounds(request).filter(contest=contest))
    judges = dict(
        Seat.objects.filter(round__in=rounds, active=True)
        .order_by()
        .values("round_id")
        .annotate(n=Count("pk"))
        .values_list("round_id", "n")
    )
    work = _work_counts(rounds)
    rows = []
    for round_ in rounds:
        counts = work.get(round_.pk, {"assigned": 0, "done": 0})
        rows.append(
            {
                "round": round_,
                "entries": selectors.round_entries(round_).count(),
                "judges": judges.get(round_.pk, 0),
                "assigned": counts["assigned"],
                "done": counts["done"],
                "percent": _percent(counts["done"], counts["assigned"]),
            }
        )
    context = {"contest": contest, "rows": rows, "may_organise": True}
    return render(request, "judging/round_list.html", context)


@allowed_if(policy.may_organise_rounds)
def round_create(request, slug: str):
    contest = _contest(request, slug)
    form = RoundForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                acting_user=request.user,
                contest=contest,
                name=data["name"],
                mode=data["mode"],
                deadline=data["deadline"],
                per_entry=data["per_entry"],
                entrants=data["entrants"],
                top=data["top"],
                previous=data["previous"],
                method=data["method"],
                advance=data["advance"],
                criteria=data["criteria"],
                combine=data["combine"],
                places=data["places"],
                rounding=data["rounding"],
                tie_breaks=data["tie_breaks"],
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("The round was created. Now choose its panel."))
            return redirect("judging:round_detail", pk=round_.pk)
    context = {"contest": contest, "form": form, "may_organise": True}
    return render(request, "judging/round_form.html", context)


# --- one round ------------------------------------------------------------------------------


def _panel(round_: Round) -> list[dict]:
    """The round's seats, each with its judge's live and done reviews (three queries)."""
    seats = list(
        Seat.objects.filter(round=round_)
        .select_related("judge", "unit")
        .prefetch_related("categories", "conflict_units")
    )
    work = {
        row["judge_id"]: row
        for row in selectors.work_counts(selectors.live_reviews(round=round_), "judge_id")
    }
    return [
        {
            "seat": seat,
            "categories": [category.name for category in seat.categories.all()],
            "conflicts": [unit.name for unit in seat.conflict_units.all()],
            "assigned": work.get(seat.judge_id, {}).get("assigned", 0),
            "done": work.get(seat.judge_id, {}).get("done", 0),
        }
        for seat in seats
    ]


def _assignment_charts(round_: Round, panel: list[dict]) -> dict:
    """The assignment summary as the organiser checks it: each judge's load as a bar, each
    category's coverage (reviews made against reviews needed), and the entries left short."""
    summary = services.assignment_summary(round_)
    active = [row["seat"] for row in panel if row["seat"].active]
    largest = max(summary.loads.values(), default=0) or 1
    loads = [
        {
            "judge": seat.judge,
            "load": summary.loads.get(seat.judge.username, 0),
            "cap": seat.cap,
            "width": _percent(summary.loads.get(seat.judge.username, 0), largest),
        }
        for seat in active
    ]
    categories = [
        {
            "name": name,
            "entries": entries,
            "reviews": reviews,
            "needed": entries * round_.per_entry,
            "judges": judges,
            "width": _percent(min(reviews, entries * round_.per_entry), entries * round_.per_entry),
            "complete": reviews >= entries * round_.per_entry,
        }
        for name, entries, reviews, judges in summary.categories
    ]
    assigned = sum(summary.loads.values())
    return {
        "entries": summary.entries,
        "needed": summary.needed,
        "assigned": assigned,
        "even_load": f"{assigned / len(active):.1f}" if active else "0",
        "loads": loads,
        "categories": categories,
        "short": [entry.code for entry in summary.short[:SHORT_LISTED]],
        "short_count": len(summary.short),
        "short_more": max(len(summary.short) - SHORT_LISTED, 0),
    }


def _progress(round_: Round) -> dict:
    """Live progress as bars: per judge (the ones behind schedule marked), per category, the
    whole round against the share of its time gone, and the entries still short."""
    data = services.round_progress(round_)
    time_gone = _percent(data["time_gone"], 1)
    judges = sorted(
        (
            {
                "judge": item.judge,
                "done": item.done,
                "assigned": item.assigned,
                "behind": item.behind,
                "width": _percent(item.done, item.assigned),
            }
            for item in data["judges"]
            if item.judge is not None
        ),
        key=lambda row: (str(row["judge"]), row["judge"].pk),
    )
    categories = [
        {
            "name": row["entry__category__name"],
            "done": row["done"],
            "assigned": row["assigned"],
            "width": _percent(row["done"], row["assigned"]),
        }
        for row in data["categories"]
    ]
    numbers = dict(selectors.round_entries(round_).values_list("pk", "number"))
    short = sorted(numbers[pk] for pk in data["short"] if pk in numbers)
    return {
        "done": data["done"],
        "assigned": data["assigned"],
        "width": _percent(data["done"], data["assigned"]),
        "time_gone": time_gone,
        "judges": judges,
        "behind": sum(1 for row in judges if row["behind"]),
        "categories": categories,
        "short": [f"{number:04d}" for number in short[:SHORT_LISTED]],
        "short_count": len(short),
        "short_more": max(len(short) - SHORT_LISTED, 0),
    }


def _results(request, round_: Round):
    """The closed round's results as a listing (scores and intervals on one common axis), and
    how many were ranked, advanced, passed, failed."""
    results = (
        Result.objects.filter(round=round_)
        .select_related("entry__category", *entrant_related("entry__"))
        .annotate(entrant_name=entrant_name_expression("entry__"))
    )
    found = results.aggregate(
        score_low=Min("score"),
        score_high=Max("score"),
        interval_low=Min("low"),
        interval_high=Max("high"),
        ranked_count=Count("pk", filter=Q(rank__isnull=False)),
        advanced_count=Count("pk", filter=Q(advanced=True)),
        passed_count=Count("pk", filter=Q(passed=True)),
        failed_count=Count("pk", filter=Q(passed=False)),
    )
    axis = IntervalAxis(
        [found["score_low"], found["interval_low"], found["score_high"], found["interval_high"]]
    )
    summary = {
        "low": axis.low,
        "high": axis.high,
        **{name: found[f"{name}_count"] for name in ("ranked", "advanced", "passed", "failed")},
    }
    listing = listing_build(
        request,
        ResultTable,
        results,
        filters=ResultFilter.for_round(round_),
        table_kwargs={"round_": round_, "axis": axis},
    )
    return listing, summary


def _ties(round_: Round, bound: TieOrderForm | None = None) -> dict | None:
    """The ties a closed round's results keep, each with the organiser's form where the
    round's chain ends with their decision (else shown as ties the chain leaves), and the
    decisions recorded, newest first, the latest of each group with a form to decide it
    again. ``bound``: a form posted and refused, shown where its group is (else first)."""
    groups = services.tie_groups(round_)
    decisions = list(
        round_.tie_decisions.select_related("decided_by").order_by("-decided_at", "-pk")
    )
    if not groups and not decisions and bound is None:
        return None
    pks = {pk for group in groups for pk in group} | {pk for d in decisions for pk in d.entries}
    results = {
        result.entry_id: result
        for result in Result.objects.filter(round=round_, entry_id__in=pks).select_related("entry")
    }
    decides = services.tie_decides(round_)
    shown = set()

    def form_for(rows: list[Result]) -> TieOrderForm | None:
        key = tie_key(row.entry_id for row in rows)
        shown.add(key)
        if bound is not None and bound.key == key:
            return bound  # with its refusal
        if not decides:
            return None
        return TieOrderForm(entries=[row.entry for row in rows])

    tied = []
    for group in groups:
        rows = [results[pk] for pk in group]
        tied.append({"place": rows[0].rank, "results": rows, "form": form_for(rows)})
    decided, latest = [], set()
    for decision in decisions:
        rows = [results[pk] for pk in decision.entries if pk in results]
        again = frozenset(decision.entries) not in latest and len(rows) == len(decision.entries)
        latest.add(frozenset(decision.entries))
        if again and tie_key(decision.entries) in shown:
            again = False  # tied again (another method): decided in the list above
        decided.append(
            {"decision": decision, "results": rows, "form": form_for(rows) if again else None}
        )
    return {
        "decides": decides,
        "tied": tied,
        "decided": decided,
        "posted": bound if bound is not None and bound.key not in shown else None,
    }


def _candidates(request, round_: Round, seated: list[int]) -> dict:
    """The judges who may still join the panel, narrowed by the search (name, unit), each
    with their own units as the picker shows units (name · district)."""
    access = request.user.access
    search = JudgeSearchForm(request.GET or None, units=units_visible(access))
    judges = policy.judges_available(access).exclude(pk__in=seated)
    refused = ""
    if search.is_bound and search.is_valid():
        text, unit = search.cleaned_data["judge_q"], search.cleaned_data["judge_unit"]
        if unit is not None:
            judges = selectors.judges_within_unit(judges, unit)
        if text:
            try:
                judges = people_search(
                    judges, text, request=request, fields=USER_FIELDS, place="judging.panel"
                )
            except NumberSearchLimited as limited:
                refused, judges = str(limited.message), judges.none()
    shown = list(judges[: CANDIDATES_SHOWN + 1])
    own = selectors.judge_own_units(judge.pk for judge in shown)
    units = {unit for found in own.values() for unit in found}
    labels = {choice.pk: choice.label for choice in unit_choices(units)}
    rows = [
        {"judge": judge, "units": [labels[unit.pk] for unit in own.get(judge.pk, [])]}
        for judge in shown[:CANDIDATES_SHOWN]
    ]
    return {
        "search": search,
        "rows": rows,
        "more": len(shown) > CANDIDATES_SHOWN,
        "refused": refused,
        "searched": search.is_bound,
    }


def _copy_sources(request, round_: Round):
    """The other rounds whose panel may be copied here: this contest's and those of the
    contests the organiser sees, with someone on their panel, the latest first."""
    return (
        _rounds(request)
        .exclude(pk=round_.pk)
        .filter(pk__in=Seat.objects.filter(active=True).values("round_id"))
        .select_related("contest")
        .order_by("-contest__opens_at", "-position", "-pk")
    )


def _detail(
    request,
    round_: Round,
    *,
    seat_form: SeatForm | None = None,
    seats_form: SeatsAddForm | None = None,
    copy_form: PanelCopyForm | None = None,
    tie_form: TieOrderForm | None = None,
):
    access = request.user.access
    panel = _panel(round_)
    context = {
        "round": round_,
        "contest": round_.contest,
        "criteria": list(round_.criteria.all()),
        "deductions": round_.deductions.select_related("entry").order_by("entry__number", "pk")
        if getattr(round_, "has_deductions", True)
        else [],
        "method_label": METHOD_LABELS.get(round_.method, round_.method),
        "panel": panel,
        "may_organise": True,
    }
    if round_.state != Round.State.CLOSED:
        seated = [row["seat"].judge_id for row in panel]
        context["seat_form"] = seat_form or SeatForm(
            round=round_,
            judges=policy.judges_available(access).exclude(pk__in=seated),
            units=units_visible(access),
        )
        context["seats_form"] = seats_form or SeatsAddForm(
            round=round_, judges=policy.judges_available(access)
        )
        context["candidates"] = _candidates(request, round_, seated)
        ticked = seats_form.data if seats_form else None  # kept when the page comes back
        context["picked"] = set(ticked.getlist("judges")) if ticked else set()
        context["experts"] = set(ticked.getlist("outside_experts")) if ticked else set()
        context["copy_form"] = copy_form or PanelCopyForm(rounds=_copy_sources(request, round_))
        anchor = (
            Assignment.objects.filter(round=round_, state=Assignment.State.OPEN)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if anchor is not None:
            context["move_form"] = MoveForm(round=round_)
            context["move_url"] = reverse("judging:assignment_move", args=[anchor])
    if round_.state == Round.State.PLANNED:
        context["charts"] = _assignment_charts(round_, panel)
        context["design"] = selectors.round_design(round_)
    elif round_.state == Round.State.OPEN:
        context["progress"] = _progress(round_)
    else:
        context["design"] = selectors.round_design(round_, done_only=True)
        listing, context["results"] = _results(request, round_)
        context["ties"] = _ties(round_, tie_form)
        if listing.export_requested:
            return listing.export_response(f"{round_.contest.slug}-round-{round_.pk}")
        context["listing"] = listing
    return render(request, "judging/round_detail.html", context)


@allowed_if(policy.may_organise_rounds)
def round_detail(request, pk: int):
    return _detail(request, _round(request, pk))


@allowed_if(policy.may_organise_rounds)
@require_POST
def seat_add(request, pk: int):
    """One judge with every detail: a unit other than their own, or none (outside expert)."""
    round_ = _round(request, pk)
    access = request.user.access
    form = SeatForm(
        request.POST,
        round=round_,
        judges=policy.judges_available(access),
        units=units_visible(access),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            (seat,) = services.seats_add(
                acting_user=request.user,
                round=round_,
                judges=[
                    services.SeatChoice(
                        judge=data["judge"],
                        unit=data["unit"],
                        outside_expert=data["outside_expert"],
                        categories=tuple(data["categories"]),
                        cap=data["cap"],
                        conflict_units=tuple(data["conflict_units"]),
                    )
                ],
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("%(judge)s is on the panel.") % {"judge": seat.judge})
            return _to_round(request, round_, "panel")
    return _detail(request, round_, seat_form=form)


@allowed_if(policy.may_organise_rounds)
@require_POST
def seats_add(request, pk: int):
    """Several judges ticked at once, each with their own unit unless marked an outside
    expert; all seated, or none and the page says who could not be and why."""
    round_ = _round(request, pk)
    form = SeatsAddForm(
        request.POST, round=round_, judges=policy.judges_available(request.user.access)
    )
    if form.is_valid():
        data = form.cleaned_data
        experts = {judge.pk for judge in data["outside_experts"]}
        try:
            seats = services.seats_add(
                acting_user=request.user,
                round=round_,
                judges=[
                    services.SeatChoice(
                        judge=judge,
                        outside_expert=judge.pk in experts,
                        categories=tuple(data["categories"]),
                        cap=data["cap"],
                    )
                    for judge in data["judges"]
                ],
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d judge joined the panel.",
                    "%(count)d judges joined the panel.",
                    len(seats),
                )
                % {"count": len(seats)},
            )
            return _to_round(request, round_, "panel")
    return _detail(request, round_, seats_form=form)


@allowed_if(policy.may_organise_rounds)
@require_POST
def panel_copy(request, pk: int):
    round_ = _round(request, pk)
    form = PanelCopyForm(request.POST, rounds=_copy_sources(request, round_))
    if form.is_valid():
        try:
            copied = services.panel_copy(
                acting_user=request.user, round=round_, source=form.cleaned_data["source"]
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d judge was copied onto the panel.",
                    "%(count)d judges were copied onto the panel.",
                    len(copied.seats),
                )
                % {"count": len(copied.seats)},
            )
            if copied.skipped:
                messages.warning(request, " ".join(copied.skipped))
            return _to_round(request, round_, "panel")
    return _detail(request, round_, copy_form=form)


@allowed_if(policy.may_organise_rounds)
@require_POST
def judge_drop(request, pk: int):
    seat = get_object_or_404(
        Seat.objects.filter(round__in=_rounds(request)).select_related("round", "judge"), pk=pk
    )
    try:
        short = services.judge_drop(acting_user=request.user, seat=seat)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if short:
            messages.warning(
                request,
                _("%(judge)s left the panel, but not all of their work found a judge: %(short)s")
                % {"judge": seat.judge, "short": " ".join(short)},
            )
        else:
            messages.success(
                request,
                _("%(judge)s left the panel; their open reviews went to other judges.")
                % {"judge": seat.judge},
            )
    return _to_round(request, seat.round, "panel")


@allowed_if(policy.may_organise_rounds)
@require_POST
def assignment_solve(request, pk: int):
    """Assign the round's work; ``bridges`` (posted by the design's "add bridges" form) sets
    how many judges of each category panel also review another category."""
    round_ = _round(request, pk)
    bridges = request.POST.get("bridges", "").strip()
    try:
        made = services.assignment_solve(
            acting_user=request.user,
            round=round_,
            bridges=int(bridges) if bridges.isdigit() and len(bridges) <= 3 else None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d review was assigned. Check the loads below before opening the round.",
                "%(count)d reviews were assigned. Check the loads below before opening the round.",
                made,
            )
            % {"count": made},
        )
    return _to_round(request, round_, "assignment")


@allowed_if(policy.may_organise_rounds)
@require_POST
def assignment_move(request, pk: int):
    """Move one open review. The URL names a review of the round; the form may name another
    of the same round by its entry's number and its judge (what the organiser knows)."""
    assignment = get_object_or_404(
        Assignment.objects.filter(round__in=_rounds(request)).select_related("round"), pk=pk
    )
    round_ = assignment.round
    form = MoveForm(request.POST, round=round_, assignment=assignment)
    if form.is_valid():
        try:
            moved = services.assignment_move(
                acting_user=request.user,
                assignment=form.assignment,
                judge=form.cleaned_data["judge"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Entry %(code)s is now reviewed by %(judge)s.")
                % {"code": f"{form.assignment.entry.number:04d}", "judge": moved.judge},
            )
    else:
        messages.error(
            request, " ".join(str(error) for errors in form.errors.values() for error in errors)
        )
    return _to_round(request, round_, "move")


def _refused(request, round_: Round, error: ValidationError, anchor: str = ""):
    messages.error(request, " ".join(error.messages))
    return _to_round(request, round_, anchor)


@allowed_if(policy.may_organise_rounds)
@require_POST
def round_open(request, pk: int):
    round_ = _round(request, pk)
    if not confirmed(request):
        try:
            preview = services.round_open_preview(round_)
        except ValidationError as error:
            return _refused(request, round_, error, "assignment")
        return confirmation_render(
            request,
            Confirmation(
                title=_("Open “%(round)s”?") % {"round": round_.name},
                action=reverse("judging:round_open", args=[round_.pk]),
                button=_("Open the round and tell the judges"),
                back=reverse("judging:round_detail", args=[round_.pk]) + "#assignment",
                consequences=[
                    Consequence(
                        "judges",
                        preview.judges,
                        ngettext(
                            "%(count)d judge will be told what to review, in their inbox "
                            "and by SMS.",
                            "%(count)d judges will be told what to review, in their inbox "
                            "and by SMS.",
                            preview.judges,
                        )
                        % {"count": preview.judges},
                    ),
                    Consequence(
                        "reviews",
                        preview.reviews,
                        ngettext(
                            "%(count)d review of %(entries)d entries starts now.",
                            "%(count)d reviews of %(entries)d entries start now.",
                            preview.reviews,
                        )
                        % {"count": preview.reviews, "entries": preview.entries},
                    ),
                ],
                notes=[
                    _(
                        "Once open, the assignment no longer changes as a whole: work moves one "
                        "review at a time."
                    )
                ],
            ),
        )
    try:
        services.round_open(acting_user=request.user, round=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round is open: every judge was told what to review."))
    return _to_round(request, round_)


@allowed_if(policy.may_organise_rounds)
@require_GET
def round_progress(request, pk: int):
    round_ = _round(request, pk)
    if request.htmx and round_.state != Round.State.OPEN:
        return HttpResponseClientRefresh()  # closed meanwhile: the page shows the results
    context = {"round": round_, "progress": _progress(round_)}
    return render(request, "judging/_round_progress.html", context)


@allowed_if(policy.may_organise_rounds)
@require_POST
def reminders_send(request, pk: int):
    round_ = _round(request, pk)
    if not confirmed(request):
        behind = services.reminders_preview(round_)
        return confirmation_render(
            request,
            Confirmation(
                title=_("Remind the judges behind schedule?"),
                action=reverse("judging:reminders_send", args=[round_.pk]),
                button=_("Send the reminders"),
                back=reverse("judging:round_detail", args=[round_.pk]) + "#round-progress",
                consequences=[
                    Consequence(
                        "judges",
                        len(behind),
                        ngettext(
                            "%(count)d judge behind schedule will be reminded of what is "
                            "left, in their inbox and by SMS.",
                            "%(count)d judges behind schedule will be reminded of what is "
                            "left, in their inbox and by SMS.",
                            len(behind),
                        )
                        % {"count": len(behind)},
                    )
                ],
                notes=[", ".join(str(item.judge) for item in behind)] if behind else [],
            ),
        )
    try:
        count = services.reminders_send(acting_user=request.user, round=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)d judge behind schedule was reminded.",
                    "%(count)d judges behind schedule were reminded.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("No judge is behind schedule: nobody was reminded."))
    return _to_round(request, round_, "round-progress")


@allowed_if(policy.may_organise_rounds)
@require_POST
def round_close(request, pk: int):
    round_ = _round(request, pk)
    try:
        services.round_close(acting_user=request.user, round=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round is closed: scores are locked and ranked."))
    return _to_round(request, round_)


@allowed_if(policy.may_organise_rounds)
@require_POST
def deduction_add(request, pk: int):
    """Points taken off an entry, with the reason (the round page's deductions panel)."""
    round_ = _round(request, pk)
    form = DeductionForm(request.POST, round=round_)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _to_round(request, round_, "deductions")
    data = form.cleaned_data
    try:
        services.deduction_add(
            acting_user=request.user,
            round=round_,
            entry=data["entry"],
            points=data["points"],
            reason=data["reason"],
        )
    except ValidationError as error:
        return _refused(request, round_, error, "deductions")
    messages.success(
        request,
        _("No. %(number)d: %(points)s points taken off.")
        % {"number": data["entry"].number, "points": data["points"]},
    )
    return _to_round(request, round_, "deductions")


@allowed_if(policy.may_organise_rounds)
@require_POST
def deduction_remove(request, pk: int):
    deduction = get_object_or_404(
        Deduction.objects.filter(round__in=_rounds(request)).select_related("round"), pk=pk
    )
    try:
        services.deduction_remove(acting_user=request.user, deduction=deduction)
    except ValidationError as error:
        return _refused(request, deduction.round, error, "deductions")
    messages.success(request, _("The deduction was taken back."))
    return _to_round(request, deduction.round, "deductions")


@allowed_if(policy.may_organise_rounds)
@require_POST
def seat_role_set(request, pk: int):
    """A judge made the panel's head judge (the head judge before them an ordinary judge
    again), or an ordinary judge again."""
    seat = get_object_or_404(
        Seat.objects.filter(round__in=_rounds(request)).select_related("round", "judge"), pk=pk
    )
    form = SeatRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _to_round(request, seat.round, "panel")
    role = form.cleaned_data["role"]
    try:
        services.seat_role_set(acting_user=request.user, seat=seat, role=role)
    except ValidationError as error:
        return _refused(request, seat.round, error, "panel")
    if role == "head":
        message = _("%(judge)s is the panel's head judge.")
    else:
        message = _("%(judge)s is an ordinary judge of the panel.")
    messages.success(request, message % {"judge": seat.judge})
    return _to_round(request, seat.round, "panel")


@allowed_if(policy.may_organise_rounds)
@require_POST
def tie_decide(request, pk: int):
    """The organiser's order for a tie the round's chain leaves, with the reason; a closed
    round's results are written again at once. A refusal comes back on the form."""
    round_ = _round(request, pk)
    if round_.state != Round.State.CLOSED:
        messages.error(request, _("Ties are decided on a closed round's results."))
        return _to_round(request, round_)
    pks = [int(part) for part in request.POST.get("group", "").split("-") if is_id(part)]
    entries = list(selectors.round_entries(round_).filter(pk__in=pks).order_by("number"))
    if len(entries) < 2 or len(entries) != len(pks):
        messages.error(request, _("Those entries are not a tie of this round."))
        return _to_round(request, round_, "ties")
    form = TieOrderForm(request.POST, entries=entries)
    if form.is_valid():
        try:
            services.tie_decide(
                acting_user=request.user,
                round=round_,
                entries=form.cleaned_data["order"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("The tie is decided; the results show the order."))
            return _to_round(request, round_, "ties")
    return _detail(request, round_, tie_form=form)
