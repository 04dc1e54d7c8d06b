"""The judge's workspace: their rounds, one review at a time, saved as they go.

Blind by construction. The pages get plain values (a ``Sheet``), never the entry itself, so no
template can reach an author, a unit, a description, a place, a file's name or its metadata;
the photos are the judge renditions (metadata-free JPEGs) behind signed URLs issued for this
review's entry only; a file of another kind (a document, a video) is named by its kind and
place alone ("Document 1"); an entry that carries no files (judged on the day) says so. An
entry is called by the judge's own number ("No. 37"), never by the contest's entry number.
Reviews are fetched through ``policy.assignments_of``: another judge's review, an entry not
given to this judge, a withdrawn review or a planned round is 404.

A round's head judge also enters its deductions here (``policy.rounds_headed``; another
round, or a round they no longer head, is 404): the round's entries by their code and title
only, as plain values, never the entry itself.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.contests.models import EntryFile
from laurel.judging import policy, selectors, services
from laurel.judging.forms import DeductionForm
from laurel.judging.models import Assignment, Deduction, Round
from laurel.judging.modes import ReviewFieldsRefused, RoundMode
from laurel.judging.selectors import Progress
from laurel.media import services as media_services
from laurel.media.models import MediaAsset
from laurel.web.access import allowed_if
from laurel.web.forms import service_errors_onto


@dataclass
class Work:
    """One review in the judge's own list (what navigation and progress need)."""

    pk: int
    state: str
    number: int  # the judge's own number for it: position + 1


@dataclass
class Photo:
    url: str | None  # None: the judge rendition is not ready
    number: int


@dataclass
class OtherFile:
    """A file the workspace cannot show yet (a document, a video): its kind and place only."""

    kind: str
    number: int


@dataclass
class Sheet:
    """Everything the workspace shows of one review — and nothing else."""

    pk: int
    number: int
    title: str
    category: str
    state: str
    verdict: bool | None
    comment: str
    photos: list[Photo]
    review: dict  # what the round mode's review part shows (``RoundMode.review_context``)
    other_files: list[OtherFile] = field(default_factory=list)
    carries_files: bool = True  # False: the contest's entries carry none (judged on the day)


def work_of(access, round_id: int) -> list[Work]:
    """The judge's live reviews in a round, in their own order."""
    rows = (
        policy.assignments_of(access)
        .filter(round_id=round_id)
        .order_by("position", "pk")
        .values_list("pk", "state", "position")
    )
    return [Work(pk, state, position + 1) for pk, state, position in rows]


def progress_of(work: list[Work]) -> Progress:
    return Progress(sum(1 for w in work if w.state == Assignment.State.DONE), len(work))


def resume_target(work: list[Work], after: int | None = None) -> Work | None:
    """Where the judge picks up: the first open review (after ``after`` if there is one,
    else from the start); when all are done, the last."""
    open_work = [w for w in work if w.state == Assignment.State.OPEN]
    if after is not None:
        later = [w for w in open_work if w.number > after]
        if later:
            return later[0]
    if open_work:
        return open_work[0]
    return work[-1] if work else None


@allowed_if(policy.may_judge)
def home(request):
    rounds = [
        {"round": round_, "progress": progress}
        for round_, progress in selectors.judge_rounds_progress(request.user.access)
    ]
    headed = policy.rounds_headed(request.user.access).select_related("contest")
    context = {"rounds": rounds, "headed": list(headed.order_by("-opened_at", "pk"))}
    return render(request, "judging/judge_home.html", context)


@allowed_if(policy.may_judge)
def round_resume(request, pk: int):
    target = resume_target(work_of(request.user.access, pk))
    if target is None:
        raise Http404
    return redirect("judging:judge_review", pk=target.pk)


def _assignment_get(request, pk: int) -> Assignment:
    return get_object_or_404(
        policy.assignments_of(request.user.access).select_related(
            "round__contest", "entry__category"
        ),
        pk=pk,
    )


def _files(request, entry_id: int) -> tuple[list[Photo], list[OtherFile]]:
    """The entry's files in order: its photos, each as a signed URL of its judge rendition,
    and its other files (by kind and place; no URL: judges never get an original)."""
    photos, others = [], []
    rows = EntryFile.objects.filter(entry_id=entry_id).select_related("asset")
    for file in rows.order_by("position", "pk"):
        if file.kind != EntryFile.Kind.PHOTO:
            others.append(OtherFile(file.get_kind_display(), len(others) + 1))
            continue
        asset = file.asset
        url = None
        if asset.status == MediaAsset.Status.READY and "judge" in asset.renditions:
            url = media_services.signed_url(request.user, asset, "judge")
        photos.append(Photo(url, len(photos) + 1))
    return photos, others


def _sheet(request, assignment: Assignment, number: int) -> Sheet:
    entry = assignment.entry  # read here for its title and category only
    photos, other_files = _files(request, assignment.entry_id)
    return Sheet(
        pk=assignment.pk,
        number=number,
        title=entry.title,
        category=entry.category.name,
        state=assignment.state,
        verdict=assignment.verdict,
        comment=assignment.comment,
        photos=photos,
        review=assignment.round.round_mode.review_context(assignment),
        other_files=other_files,
        carries_files=assignment.round.contest.content_kind.takes_files,
    )


@allowed_if(policy.may_judge)
def review(request, pk: int):
    assignment = _assignment_get(request, pk)
    round_ = assignment.round
    work = work_of(request.user.access, round_.pk)
    index = next(i for i, w in enumerate(work) if w.pk == assignment.pk)
    current = work[index]
    next_open = resume_target([w for w in work if w.pk != assignment.pk], after=current.number)
    context = {
        "round": round_,
        "sheet": _sheet(request, assignment, current.number),
        "work": work,
        "progress": progress_of(work),
        "previous": work[index - 1] if index > 0 else None,
        "next": work[index + 1] if index + 1 < len(work) else None,
        "next_open": next_open if next_open and next_open.state == "open" else None,
        "editable": round_.state == Round.State.OPEN,
    }
    return render(request, "judging/judge_review.html", context)


def review_fields(post, round_mode: RoundMode) -> dict:
    """``review_save``'s keyword arguments from the POSTed fields: what the round's mode
    reads (``RoundMode.review_read``), and ``comment``."""
    fields = round_mode.review_read(post)
    if "comment" in post:
        fields["comment"] = post["comment"]
    if not fields:
        raise ReviewFieldsRefused(_("Nothing to save."))
    return fields


def _save_status(request, assignment: Assignment, *, error: str = "", status: int = 200):
    work = work_of(request.user.access, assignment.round_id)
    context = {
        "error": error,
        "saved_at": timezone.now(),
        "progress": progress_of(work),
        "assignment_state": next((w.state for w in work if w.pk == assignment.pk), ""),
        "oob": True,
    }
    return render(request, "judging/_judge_save_status.html", context, status=status)


@allowed_if(policy.may_judge)
@require_POST
def review_save(request, pk: int):
    assignment = _assignment_get(request, pk)
    try:
        fields = review_fields(request.POST, assignment.round.round_mode)
        services.review_save(acting_user=request.user, assignment=assignment, **fields)
    except ReviewFieldsRefused as error:
        return _save_status(request, assignment, error=str(error), status=400)
    except services.JudgingRefused as error:
        return _save_status(request, assignment, error=" ".join(error.messages), status=400)
    return _save_status(request, assignment)


@allowed_if(policy.may_judge)
@require_POST
def conflict(request, pk: int):
    assignment = _assignment_get(request, pk)
    number = assignment.position + 1
    try:
        services.conflict_declare(
            acting_user=request.user,
            assignment=assignment,
            reason=request.POST.get("reason", "").strip()[:200],
        )
    except services.JudgingRefused as error:
        messages.error(request, " ".join(error.messages))
        return redirect("judging:judge_review", pk=assignment.pk)
    messages.success(
        request,
        _("No. %(number)d: conflict declared. It goes to another judge.") % {"number": number},
    )
    target = resume_target(work_of(request.user.access, assignment.round_id), after=number)
    if target is None:
        return redirect("judging:judge_home")
    return redirect("judging:judge_review", pk=target.pk)


# --- the head judge: the round's deductions ------------------------------------------------


@dataclass
class EntryLabel:
    """An entry as the head judge names it: its code and title, nothing of its entrant."""

    number: int
    code: str
    title: str


@dataclass
class DeductionLine:
    """A deduction as the head judge's page lists it."""

    pk: int
    entry: EntryLabel
    points: Decimal
    reason: str


def _headed_round(request, pk: int) -> Round:
    rounds = policy.rounds_headed(request.user.access).select_related("contest")
    return get_object_or_404(rounds, pk=pk)


@allowed_if(policy.may_judge)
def deductions(request, pk: int):
    """The deductions of a round the judge heads, and (until it closes) one more: an entry
    chosen by its code and title, the points and the reason."""
    round_ = _headed_round(request, pk)
    form = DeductionForm(request.POST or None, round=round_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.deduction_add(
                acting_user=request.user,
                round=round_,
                entry=data["entry"],
                points=data["points"],
                reason=data["reason"],
            )
        except services.JudgingRefused as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request,
                _("No. %(number)d: %(points)s points taken off.")
                % {"number": data["entry"].number, "points": data["points"]},
            )
            return redirect("judging:judge_deductions", pk=round_.pk)
    rows = Deduction.objects.filter(round=round_).order_by("entry__number", "pk")
    lines = [
        DeductionLine(pk, EntryLabel(number, f"{number:04d}", title), points, reason)
        for pk, number, title, points, reason in rows.values_list(
            "pk", "entry__number", "entry__title", "points", "reason"
        )
    ]
    entries = [
        EntryLabel(number, f"{number:04d}", title)
        for number, title in selectors.round_entries(round_)
        .order_by("number")
        .values_list("number", "title")
    ]
    context = {"round": round_, "deductions": lines, "entries": entries, "form": form}
    return render(request, "judging/judge_deductions.html", context)


@allowed_if(policy.may_judge)
@require_POST
def deduction_remove(request, pk: int):
    deduction = get_object_or_404(
        Deduction.objects.filter(round__in=policy.rounds_headed(request.user.access)), pk=pk
    )
    try:
        services.deduction_remove(acting_user=request.user, deduction=deduction)
    except services.JudgingRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The deduction was taken back."))
    return redirect("judging:judge_deductions", pk=deduction.round_id)
