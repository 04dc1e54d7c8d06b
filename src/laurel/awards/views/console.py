"""The organiser's results pages: the final ranking as one table (3,000 rows render in well
under a second: a constant number of queries, every row precomputed here, no per-row
includes or lookups in the template), the ranking method and why, the judges' severity, the
near ties across prize boundaries, the prizes proposed and changed by hand, the units' own
prizes (优秀组织奖: proposed by a stated rule, set by hand), and publishing; one entry's
breakdown with its prize set by hand. Thin: forms in, services write, the awards
policy decides (organisers only; an entry of another contest is 404).
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from laurel.awards import policy, selectors, services
from laurel.awards.forms import AwardForm, MethodForm, PublishForm, UnitAwardForm
from laurel.awards.models import Award, AwardChange, Publication
from laurel.contests import prize_tiers
from laurel.contests.models import Contest, Entry, EntryFile
from laurel.contests.policy import contests_visible, entries_visible
from laurel.core import prizes as core_prizes
from laurel.core import ranking as core_ranking
from laurel.judging import services as judging_services
from laurel.judging.forms import METHOD_LABELS
from laurel.judging.models import Assignment, JudgeCalibration, Result, Round
from laurel.media import services as media_services
from laurel.orgs.policy import units_visible
from laurel.web.access import allowed_if
from laurel.web.charts import IntervalAxis, interval_html, left_class, width_class
from laurel.web.confirm import Confirmation, Consequence, confirmation_render, confirmed

CLOSEST = 5  # entry codes listed per side of a near-tie boundary
# what core.ranking notes about a judge, in the reader's language
JUDGE_NOTES = {
    "same score for everything": gettext_lazy("same score for everything"),
    "scores unrelated to the others'": gettext_lazy("scores unrelated to the others'"),
}


def _contest(request, slug: str) -> Contest:
    return get_object_or_404(contests_visible(request.user.access), slug=slug)


def _entry(request, contest: Contest, number: int) -> Entry:
    return get_object_or_404(
        entries_visible(request.user.access)
        .filter(contest=contest)
        .select_related("author", "team", "unit", "category"),
        number=number,
    )


def _back(request, url: str):
    if request.htmx:  # no fragment: a change of fragment alone would not reload the page
        return HttpResponseClientRedirect(url.split("#")[0])
    return redirect(url)


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _percent(part: float, whole: float) -> float:
    return 100 * part / whole if whole else 0.0


def _number(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _signed(value: float) -> str:
    return f"{value:+.2f}"


# --- the results page --------------------------------------------------------------------


# One row of the ranking table. 3,000 rows through the template engine cost half a second
# (a dozen variables each, localised and escaped one by one), so rows are written here, every
# value from the data escaped, and the template writes them as one block.
ROW = (
    '<tr id="result-{code}" data-rank="{rank}" data-prize="{prize}"{near}>'
    "<td>{rank}</td>"
    '<td class="mono"><a href="{link}">{code}</a></td>'
    "<td>{title}</td><td>{author}</td><td>{unit}</td><td>{category}</td>"
    '<td class="nowrap">{score}{interval}</td>'
    '<td class="interval-cell">{bar}</td>'
    "<td>{reviews}</td><td>{prize_cell}</td></tr>\n"
)


def _rows(
    base: str, results: list, awards: dict[int, Award], near: set[int], places: dict[str, int]
):
    """The table's rows as one block of markup, and the axis its bars are drawn on (a prize
    in its tier's colour: ``places``, tier name → place)."""
    axis = IntervalAxis(value for r in results for value in (r.score, r.low, r.high))
    states = {value: escape(str(label)) for value, label in Entry.State.choices}
    by_hand = f' <span class="pill results-by-hand">{escape(_("by hand"))}</span>'
    prizes = {
        entry_id: (
            escape(award.tier.name),
            prize_tiers.tier_class(places.get(award.tier.name)),
            by_hand if award.by_hand else "",
        )
        for entry_id, award in awards.items()
    }
    parts = []
    for r in results:
        prize, colour, hand = prizes.get(r.entry_id, ("", "", ""))
        prize_cell = f'<span class="pill tier-pill {colour}">{prize}</span>{hand}' if prize else ""
        if r.entry__state not in selectors.PRIZE_STATES:
            prize_cell += f' <span class="pill pill-withdrawn">{states[r.entry__state]}</span>'
        interval = (
            f'<br><span class="muted">{r.low:.2f} – {r.high:.2f}</span>'
            if r.low is not None and r.high is not None
            else ""
        )
        parts.append(
            ROW.format(
                code=f"{r.entry__number:04d}",
                rank=r.rank,
                prize=prize,
                near=' class="near-tie-row"' if r.entry_id in near else "",
                link=f"{base}{r.entry__number}/",
                title=escape(r.entry__title),
                author=escape(r.entrant_name),
                unit=escape(r.entry__unit__name),
                category=escape(r.entry__category__name),
                score=_number(r.score),
                interval=interval,
                bar=interval_html(axis.bar(r.score, r.low, r.high)),
                reviews=r.reviews,
                prize_cell=prize_cell,
            )
        )
    return mark_safe("".join(parts)), axis  # noqa: S308 - every value from the data escaped


def _severity(round_: Round) -> dict:
    """The judges' calibration as a chart: each offset a bar left (severe) or right
    (lenient) of zero, as long as its share of the largest offset; scale, noise, notes."""
    calibrations = list(
        JudgeCalibration.objects.filter(round=round_).select_related("judge").order_by("offset")
    )
    largest = max((abs(c.offset) for c in calibrations), default=0.0) or 1.0
    judges = []
    for calibration in calibrations:
        half = _percent(abs(calibration.offset), largest) / 2
        left = 50 - half if calibration.offset < 0 else 50
        judges.append(
            {
                "pk": calibration.judge_id,
                "name": str(calibration.judge),
                "reviews": calibration.reviews,
                "offset": _signed(calibration.offset),
                "offset_value": f"{calibration.offset:.4f}",
                "scale": f"{calibration.scale:.2f}",
                "noise": f"{calibration.noise:.2f}",
                "note": JUDGE_NOTES.get(calibration.note, calibration.note),
                "bar_place": f"{left_class(left)} {width_class(half)}",
                "severe": calibration.offset < 0,
            }
        )
    return {"judges": judges, "largest": f"{largest:.2f}"}


def _near_ties(
    base: str, results: list, prizes: dict[str, str], tier_names: list[str]
) -> tuple[list[dict], set[int]]:
    """Where 90% intervals reach across a prize boundary: the tiers, the boundary's score,
    how many cross on each side, and the closest few of each side (``base``: the results
    page's address, an entry's breakdown is below it)."""
    by_pk = {r.entry_id: r for r in results}
    warnings = core_prizes.boundary_warnings(selectors.core_ranked(results), prizes, tier_names)
    boundaries, near = [], set()

    def closest(entries: list[str], cut: float) -> list[dict]:
        found = sorted((by_pk[int(pk)] for pk in entries), key=lambda r: abs(r.score - cut))
        return [
            {
                "code": f"{r.entry__number:04d}",
                "link": f"{base}{r.entry__number}/",
                "title": r.entry__title,
                "score": _number(r.score),
            }
            for r in found[:CLOSEST]
        ]

    for warning in warnings:
        near.update(int(pk) for pk in warning.entries_above + warning.entries_below)
        boundaries.append(
            {
                "above": warning.above,
                "below": warning.below,
                "score": f"{warning.score:.2f}",
                "above_count": len(warning.entries_above),
                "below_count": len(warning.entries_below),
                "above_closest": closest(warning.entries_above, warning.score),
                "below_closest": closest(warning.entries_below, warning.score),
            }
        )
    return boundaries, near


def _tier_counts(tiers, awards: dict[int, Award]) -> list[dict]:
    given = Counter(award.tier_id for award in awards.values())
    places = prize_tiers.places_of(tier.name for tier in tiers)
    return [
        {
            "name": tier.name,
            "tier_class": prize_tiers.tier_class(places[tier.name]),
            "given": given[tier.pk],
            "places": tier.count,
            "over": given[tier.pk] > tier.count,
        }
        for tier in tiers
    ]


def _unit_prizes_context(request, contest: Contest, tiers: list) -> dict:
    """The units' own prizes (优秀组织奖) as the results page shows and edits them: only for
    a contest that has a units' tier (else nothing: the page is as it was; a unit prize left
    from a tier no longer for units is named among the problems before publishing)."""
    if not tiers:
        return {}
    given = selectors.unit_awards(contest)
    places = prize_tiers.places_of(tier.name for tier in tiers)
    counts = Counter(award.tier_id for award in given)
    return {
        "unit_prizes": {
            "tiers": [
                {
                    "name": tier.name,
                    "tier_class": prize_tiers.tier_class(places[tier.name]),
                    "given": counts[tier.pk],
                    "places": tier.count,
                    "over": counts[tier.pk] > tier.count,
                }
                for tier in tiers
            ],
            "awards": [
                {
                    "award": award,
                    "tier_class": prize_tiers.tier_class(places.get(award.tier.name)),
                }
                for award in given
            ],
            "form": UnitAwardForm(contest=contest, units=units_visible(request.user.access)),
        }
    }


def _results_context(request, contest: Contest) -> dict:
    context = {"contest": contest, "may_organise": True}
    round_ = selectors.final_round(contest)
    context["round"] = round_
    if round_ is None:
        return context
    results = selectors.ranked_rows(round_)
    all_tiers = list(contest.prize_tiers.order_by("position", "pk"))
    tiers = [tier for tier in all_tiers if not tier.for_units]  # entries' tiers
    context.update(
        _unit_prizes_context(request, contest, [tier for tier in all_tiers if tier.for_units])
    )
    awards = {
        award.entry_id: award
        for award in Award.objects.filter(contest=contest).select_related("tier")
    }
    prizes = {str(entry_id): award.tier.name for entry_id, award in awards.items()}
    base = reverse("awards:console_results", args=[contest.slug])
    near_ties, near = _near_ties(base, results, prizes, [tier.name for tier in tiers])
    places = prize_tiers.places_of(tier.name for tier in tiers)
    table, axis = _rows(base, results, awards, near, places)
    publications = list(
        Publication.objects.filter(contest=contest)
        .defer("snapshot")
        .select_related("published_by")
        .order_by("-version")
    )
    changes = list(
        AwardChange.objects.filter(contest=contest)
        .select_related("entry", "changed_by")
        .order_by("-changed_at", "-pk")
    )
    context.update(
        {
            "method_label": METHOD_LABELS.get(round_.method, round_.method),
            "method_form": MethodForm(initial={"method": round_.method}),
            "table": table,
            "ranked": len(results),
            "axis_low": f"{axis.low:.2f}",
            "axis_high": f"{axis.high:.2f}",
            "severity": _severity(round_),
            "near_ties": near_ties,
            "tier_counts": _tier_counts(tiers, awards),
            "awarded": len(awards),
            "problems": services.publish_problems(contest),
            "flags_undecided": selectors.flags_undecided(contest),
            "publications": publications,
            "latest": publications[0] if publications else None,
            "publish_form": PublishForm(correction=bool(publications)),
            "changes": changes,
            "may_propose": contest.state in services.OUTCOME_STATES,
        }
    )
    return context


@allowed_if(policy.may_decide_awards)
@require_GET
def results(request, slug: str):
    contest = _contest(request, slug)
    return render(request, "awards/console_results.html", _results_context(request, contest))


@allowed_if(policy.may_decide_awards)
@require_POST
def results_method(request, slug: str):
    contest = _contest(request, slug)
    round_ = selectors.final_round(contest)
    form = MethodForm(request.POST)
    if round_ is None:
        messages.error(request, _("No scoring round of this contest has closed yet."))
    elif not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        method = form.cleaned_data["method"]
        try:
            judging_services.round_rerank(
                acting_user=request.user,
                round=round_,
                method=method,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("The final round is ranked again: %(method)s.")
                % {"method": METHOD_LABELS.get(method, method)},
            )
    return _back(request, reverse("awards:console_results", args=[contest.slug]) + "#method")


def _proposal_made(request, slug: str, propose, said, anchor: str):
    """Run a proposal service (``propose(acting_user=, contest=)``) for the contest and say
    how many it proposed (``said(count)``), or why it was refused; back to ``anchor``."""
    contest = _contest(request, slug)
    try:
        count = propose(acting_user=request.user, contest=contest)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, said(count) % {"count": count})
    return _back(request, reverse("awards:console_results", args=[contest.slug]) + anchor)


@allowed_if(policy.may_decide_awards)
@require_POST
def awards_propose(request, slug: str):
    def said(count: int) -> str:
        return ngettext(
            "%(count)d prize was proposed from the ranking.",
            "%(count)d prizes were proposed from the ranking.",
            count,
        )

    return _proposal_made(request, slug, services.awards_propose, said, "#prizes")


@allowed_if(policy.may_decide_awards)
@require_POST
def unit_awards_propose(request, slug: str):
    def said(count: int) -> str:
        return ngettext(
            "%(count)d unit prize was proposed from the results.",
            "%(count)d unit prizes were proposed from the results.",
            count,
        )

    return _proposal_made(request, slug, services.unit_awards_propose, said, "#unit-prizes")


@allowed_if(policy.may_decide_awards)
@require_POST
def unit_award_set(request, slug: str):
    contest = _contest(request, slug)
    form = UnitAwardForm(request.POST, contest=contest, units=units_visible(request.user.access))
    back = reverse("awards:console_results", args=[contest.slug]) + "#unit-prizes"
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, back)
    unit, tier = form.cleaned_data["unit"], form.cleaned_data["tier"]
    try:
        services.unit_award_set(
            acting_user=request.user,
            contest=contest,
            unit=unit,
            tier=tier,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _refused(request, error)
        return _back(request, back)
    if tier is None:
        messages.success(
            request,
            _("%(unit)s now has no unit prize; the reason is recorded.") % {"unit": unit.name},
        )
    else:
        messages.success(
            request,
            _("%(unit)s now has %(prize)s; the reason is recorded.")
            % {"unit": unit.name, "prize": tier.name},
        )
    return _back(request, back)


def _publish_confirmation(request, contest: Contest, reason: str):
    """Publishing, asked first: the version, and how many entrants and units are told."""
    preview = services.results_publish_preview(contest, reason)
    told = [
        Consequence(
            "entrants",
            preview.entrants_told,
            ngettext(
                "%(count)d entrant is told of their prize, with their certificate.",
                "%(count)d entrants are told of their prizes, with their certificates.",
                preview.entrants_told,
            )
            % {"count": preview.entrants_told},
        ),
        Consequence(
            "units",
            preview.units_told,
            ngettext(
                "%(count)d unit is told how many of its works won (%(admins)d unit admins).",
                "%(count)d units are told how many of their works won (%(admins)d unit admins).",
                preview.units_told,
            )
            % {"count": preview.units_told, "admins": preview.admins_told},
        ),
        Consequence(
            "prizes",
            preview.prizes,
            (
                ngettext(
                    "%(count)d prize becomes public, with the winners' photos.",
                    "%(count)d prizes become public, with the winners' photos.",
                    preview.prizes,
                )
                if contest.content_kind.pictured
                else ngettext(
                    "%(count)d prize becomes public.",
                    "%(count)d prizes become public.",
                    preview.prizes,
                )
            )
            % {"count": preview.prizes},
        ),
    ]
    if preview.unit_prizes:  # units given a prize of their own (优秀组织奖)
        told.insert(
            2,
            Consequence(
                "unit-prizes",
                len(preview.unit_prizes),
                ngettext(
                    "%(count)d unit is told of the prize it won itself, with its certificate.",
                    "%(count)d units are told of the prizes they won themselves, with their "
                    "certificates.",
                    len(preview.unit_prizes),
                )
                % {"count": len(preview.unit_prizes)},
            ),
        )
    notes = [_("What is published stays: a change is a new version, shown beside it.")]
    if preview.version > 1:
        notes.append(_("The correction says: %(reason)s") % {"reason": reason})
    return confirmation_render(
        request,
        Confirmation(
            title=_("Publish version %(version)d of the results of “%(title)s”?")
            % {"version": preview.version, "title": contest.title},
            action=reverse("awards:console_results_publish", args=[contest.slug]),
            button=_("Publish and tell them"),
            back=reverse("awards:console_results", args=[contest.slug]) + "#publications",
            consequences=told,
            notes=notes,
        ),
    )


@allowed_if(policy.may_decide_awards)
@require_POST
def results_publish(request, slug: str):
    contest = _contest(request, slug)
    correction = Publication.objects.filter(contest=contest).exists()
    form = PublishForm(request.POST, correction=correction)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    elif not confirmed(request):
        try:
            return _publish_confirmation(request, contest, form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            _refused(request, error)
    else:
        try:
            publication = services.results_publish(
                acting_user=request.user,
                contest=contest,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("Version %(version)d of the results is published; its digest is %(digest)s.")
                % {"version": publication.version, "digest": publication.digest},
            )
    return _back(request, reverse("awards:console_results", args=[contest.slug]) + "#publications")


# --- one entry's breakdown ---------------------------------------------------------------


def _judges_scores(round_: Round, entry: Entry) -> dict:
    """Every judge's raw scores per criterion in the final round, their weighted score, and
    their calibration (offset, scale) as the ranking fitted it."""
    criteria = list(round_.criteria.all())
    weights = {str(c.pk): float(c.weight) for c in criteria}
    reviews = list(
        Assignment.objects.filter(round=round_, entry=entry, state=Assignment.State.DONE)
        .select_related("judge")
        .order_by("reviewed_at", "pk")
    )
    calibrations = {
        c.judge_id: c
        for c in JudgeCalibration.objects.filter(
            round=round_, judge_id__in=[review.judge_id for review in reviews]
        )
    }
    scale_low = min((c.low for c in criteria), default=0)
    scale_high = max((c.high for c in criteria), default=1)
    axis = IntervalAxis((scale_low, scale_high))  # the criteria's scale
    rows = []
    for review in reviews:
        try:
            weighted = core_ranking.weighted_score(
                {key: float(value) for key, value in review.scores.items()}, weights
            )
        except ValueError:
            weighted = None
        calibration = calibrations.get(review.judge_id)
        rows.append(
            {
                "judge": str(review.judge),
                "judge_pk": review.judge_id,
                "scores": [review.scores.get(str(c.pk), "—") for c in criteria],
                "weighted": _number(weighted),
                "dot_class": left_class(axis.at(weighted)) if weighted is not None else "",
                "offset": _signed(calibration.offset) if calibration else "—",
                "scale": f"{calibration.scale:.2f}" if calibration else "—",
                "comment": review.comment,
            }
        )
    return {
        "criteria": criteria,
        "reviews": rows,
        "scale_low": scale_low,
        "scale_high": scale_high,
        "axis": axis,
    }


def _earlier_rounds(contest: Contest, round_: Round | None, entry: Entry) -> list[dict]:
    """The entry's outcome in every other closed round, with each judge's verdict where
    the round's reviews are verdicts."""
    rounds = list(
        Round.objects.filter(contest=contest, state=Round.State.CLOSED)
        .exclude(pk=round_.pk if round_ else None)
        .order_by("position", "pk")
    )
    outcomes = {r.round_id: r for r in Result.objects.filter(round__in=rounds, entry=entry)}
    verdicts: dict[int, list] = {}
    for review in (
        Assignment.objects.filter(
            round__in=rounds, entry=entry, state=Assignment.State.DONE, verdict__isnull=False
        )
        .select_related("judge")
        .order_by("pk")
    ):
        verdicts.setdefault(review.round_id, []).append(review)
    return [
        {
            "round": earlier,
            "result": outcomes.get(earlier.pk),
            "score": _number(outcomes[earlier.pk].score) if earlier.pk in outcomes else "—",
            "verdicts": [
                {"judge": str(review.judge), "verdict": review.verdict, "comment": review.comment}
                for review in verdicts.get(earlier.pk, [])
            ],
        }
        for earlier in rounds
    ]


def _entry_files(request, entry: Entry) -> tuple[list[EntryFile], list[dict]]:
    """The entry's photos (shown by their renditions) and its other files (a document, a
    video: by name, with a link to the original for this organiser)."""
    photos, others = [], []
    for file in entry.files.select_related("asset"):
        if file.kind == EntryFile.Kind.PHOTO:
            photos.append(file)
        else:
            others.append(
                {
                    "name": file.asset.original_name,
                    "kind": file.get_kind_display(),
                    "url": media_services.signed_url(request.user, file.asset, "original"),
                }
            )
    return photos, others


def _entry_context(request, contest: Contest, entry: Entry) -> dict:
    round_ = selectors.final_round(contest)
    award = Award.objects.filter(entry=entry).select_related("tier", "set_by").first()
    photos, other_files = _entry_files(request, entry)
    context = {
        "contest": contest,
        "entry": entry,
        "may_organise": True,
        "round": round_,
        "photos": photos,
        "other_files": other_files,
        "carries_files": contest.content_kind.takes_files,
        "award": award,
        "tier_places": prize_tiers.tier_places(contest.pk) if award else {},
        "changes": list(
            AwardChange.objects.filter(entry=entry)
            .select_related("changed_by")
            .order_by("-changed_at", "-pk")
        ),
        "earlier": _earlier_rounds(contest, round_, entry),
        "form": AwardForm(contest=contest, initial={"tier": award.tier if award else None}),
        "eligible": entry.state in selectors.PRIZE_STATES,
    }
    if round_ is not None:
        result = Result.objects.filter(round=round_, entry=entry).first()
        context.update(
            {
                "result": result,
                "ranked_count": Result.objects.filter(round=round_, rank__isnull=False).count(),
                "method_label": METHOD_LABELS.get(round_.method, round_.method),
                "score": _number(result.score if result else None),
                "low": _number(result.low if result else None),
                "high": _number(result.high if result else None),
                **_judges_scores(round_, entry),
            }
        )
        if result is not None:
            context["estimate_bar"] = context["axis"].bar(result.score, result.low, result.high)
            context["estimate_title"] = f"{context['low']} – {context['high']}"
    return context


@allowed_if(policy.may_decide_awards)
@require_GET
def result_entry(request, slug: str, number: int):
    contest = _contest(request, slug)
    entry = _entry(request, contest, number)
    return render(
        request, "awards/console_result_entry.html", _entry_context(request, contest, entry)
    )


@allowed_if(policy.may_decide_awards)
@require_POST
def award_set(request, slug: str, number: int):
    contest = _contest(request, slug)
    entry = _entry(request, contest, number)
    form = AwardForm(request.POST, contest=contest)
    back = reverse("awards:console_result_entry", args=[contest.slug, entry.number])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, back + "#award-form")
    tier = form.cleaned_data["tier"]
    try:
        services.award_set(
            acting_user=request.user, entry=entry, tier=tier, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _refused(request, error)
        return _back(request, back + "#award-form")
    if tier is None:
        messages.success(
            request,
            _("Entry %(code)s now has no prize; the reason is recorded.") % {"code": entry.code},
        )
    else:
        messages.success(
            request,
            _("Entry %(code)s now has %(prize)s; the reason is recorded.")
            % {"code": entry.code, "prize": tier.name},
        )
    return _back(request, back)
