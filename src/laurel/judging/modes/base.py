"""What every round mode says, in one place (``RoundMode``); its defaults are those of a mode
that neither ranks nor takes criteria."""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.template import Template
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from decimal import Decimal

    from laurel.core import scores as core_scores
    from laurel.judging.models import Assignment, JudgeCalibration, Result, Round
    from laurel.web.charts import IntervalAxis

# A page part: a template's name, or a compiled ``django.template.Template`` (a mode whose
# module brings its own markup); ``None``: the mode has no such part.
Part = str | Template | None

NO_OUTCOME = mark_safe('<span class="muted">—</span>')  # noqa: S308 (a constant)


class ReviewFieldsRefused(Exception):
    """The POSTed fields are not a review of this mode (not whole numbers, an unknown
    verdict); the message says why, to the judge."""


class RoundMode:
    """One value of ``Round.mode``: how its reviews are read, checked and saved, what follows
    them, how a closed round's results are computed, and what its pages show.

    ``ranks``: a closed round is ranked (rank, score, interval); the contest's final round is
    its last closed round of a ranking mode, and only such a round is ranked again.
    ``needs_criteria``: a round is set up with criteria (``criteria_missing`` says so when
    none are given); a mode without them drops any a form sends. The outcomes of its results
    (``outcomes``: the results filter's choices, codes of ``judging.tables.OUTCOME_FILTERS``)
    are read from ``outcome_field`` (``Result.advanced`` or ``Result.passed``).

    Page parts, included where the mode differs: ``review_template`` (the judge's review
    form: its fields post what ``review_read`` reads), ``keys_template`` (its keyboard
    shortcuts, from "previous entry" on), ``settings_template`` (facts of the round page's
    settings), ``round_template`` (a card of the round page, e.g. the criteria),
    ``results_template`` (the closed round's counts above its table) and
    ``earlier_template`` (an entry's outcome in this round on the awards entry page).
    """

    code: str = ""
    label: str | Promise = ""
    ranks: bool = False
    needs_criteria: bool = False
    criteria_missing: str | Promise = ""
    outcomes: tuple[tuple[str, str | Promise], ...] = ()
    outcome_field: str = "advanced"
    review_template: Part = None
    keys_template: Part = None
    settings_template: Part = None
    round_template: Part = None
    results_template: Part = None
    earlier_template: Part = None

    # --- reviews ---------------------------------------------------------------------------

    def review_read(self, post: Mapping[str, str]) -> dict:
        """``review_save``'s keyword arguments of this mode from the POSTed fields (the
        comment is read by the caller); ``ReviewFieldsRefused`` when they are not a review."""
        return {}

    def review_context(self, assignment: "Assignment") -> dict:
        """The plain values the judge's review part shows (``sheet.review``)."""
        return {}

    def review_apply(self, assignment: "Assignment", *, scores, verdict) -> bool:
        """Check and merge what the judge gave into ``assignment`` (not saved yet); refuses
        with ``JudgingRefused``. Returns whether the review is now complete."""
        raise NotImplementedError

    def review_done(self, assignment: "Assignment") -> None:
        """After a review is saved complete (in the same transaction, the round locked)."""

    def reviews_withdrawn(self, round: "Round", entry_ids: list[int]) -> list["Assignment"]:
        """After a judge withdrew from these entries (a conflict) or was dropped: the reviews
        this mode adds (the round locked)."""
        return []

    # --- closing ---------------------------------------------------------------------------

    def results(
        self, round: "Round", entry_ids: list[int], done
    ) -> tuple[list["Result"], list["JudgeCalibration"]]:
        """The closed round's results, one per entry of ``entry_ids``, from its finished
        reviews ``done`` (a queryset), and its judges' calibration (unsaved rows)."""
        raise NotImplementedError

    def round_closed(self, round: "Round", results: list["Result"]) -> None:
        """After the round closed into ``results`` (same transaction)."""

    # --- score sheets ----------------------------------------------------------------------

    def review_sheet(
        self, round: "Round", criteria: list["core_scores.Criterion"], scores: Mapping
    ) -> tuple[dict[str, "Decimal"], "Decimal | None"]:
        """One finished review's stored ``scores`` as the scores workbook lists them: each
        criterion's score by its key, and the review's own score (``None``: the mode has
        none)."""
        return {}, None

    # --- results as read --------------------------------------------------------------------

    def results_axis(self, axis: "IntervalAxis") -> "IntervalAxis":
        """The axis the results' bars are drawn on (given: the round's scores and intervals)."""
        return axis

    def score_text(self, result: "Result") -> str:
        return "" if result.score is None else f"{result.score:.2f}"

    def outcome_text(self, result: "Result") -> str:
        return _("advances") if result.advanced else ""

    def outcome_html(self, result: "Result") -> str:
        text = self.outcome_text(result)
        if not text:
            return NO_OUTCOME
        return format_html('<span class="pill pill-accepted">{}</span>', text)
