"""Scoring by criteria: each judge scores every criterion of the round on its range and step
(decimals such as 9.35 on a 0.05 step, read, checked and kept by ``judging.scoring``); a
closed round is ranked by the judging core's method (calibrated by default: the judges'
offsets fitted and recorded), and its best ``advance`` go on. Each result also keeps its
points as people read them — the reviews combined as the round says (a weighted average or a
total), less the entry's deductions, rounded by the round's rule — and whether the round's
tie-break chain left it tied. A scoring round ranks: the contest's last closed one is its
final round, and it may be ranked again."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.core import ranking as core_ranking
from laurel.core import scores as core_scores
from laurel.judging import scoring
from laurel.judging.models import JudgeCalibration, Result, Round, score_trimmed
from laurel.judging.modes.base import RoundMode
from laurel.judging.services._common import _refuse

KEYPAD_MOST = 21  # criteria with more values than this get the slider and a number field


@dataclass
class CriterionRow:
    """A criterion as the judge's review part shows it, with the judge's score."""

    pk: int
    name: str
    weight: int
    low: Decimal
    high: Decimal
    step: Decimal
    value: Decimal | None
    keypad: list[Decimal] = field(default_factory=list)

    @property
    def start(self) -> Decimal:
        """Where the slider sits: the score, or the middle of the scale (on the step) before
        one is given."""
        if self.value is not None:
            return self.value
        return score_trimmed(self.low + ((self.high - self.low) / self.step // 2) * self.step)


class ScoreMode(RoundMode):
    code = Round.Mode.SCORE.value
    label = Round.Mode.SCORE.label
    ranks = True
    needs_criteria = True
    criteria_missing = gettext_lazy("A scoring round needs at least one criterion.")
    outcomes = (
        ("advanced", gettext_lazy("advances")),
        ("stopped", gettext_lazy("does not advance")),
    )
    outcome_field = "advanced"
    review_template = "judging/modes/score_review.html"
    keys_template = "judging/modes/score_keys.html"
    settings_template = "judging/modes/score_settings.html"
    round_template = "judging/modes/score_criteria.html"
    results_template = "judging/modes/score_results.html"
    earlier_template = "judging/modes/score_earlier.html"

    def review_read(self, post) -> dict:
        """``criterion_<pk>``: the score as typed (read against its criterion when saved), or
        empty to clear it."""
        scores = {}
        for key, value in post.items():
            if not key.startswith("criterion_"):
                continue
            value = value.strip()
            scores[key.removeprefix("criterion_")] = scoring.TypedScore(value) if value else None
        return {"scores": scores} if scores else {}

    def review_context(self, assignment) -> dict:
        rows = []
        for model in assignment.round.criteria.all():
            criterion = scoring.criterion_of(model)
            values = int((criterion.high - criterion.low) / criterion.step) + 1
            stored = assignment.scores.get(criterion.key)
            rows.append(
                CriterionRow(
                    pk=model.pk,
                    name=criterion.name,
                    weight=model.weight,
                    low=score_trimmed(criterion.low),
                    high=score_trimmed(criterion.high),
                    step=score_trimmed(criterion.step),
                    value=None if stored is None else score_trimmed(scoring.score_read(stored)),
                    keypad=[
                        score_trimmed(criterion.low + k * criterion.step) for k in range(values)
                    ]
                    if values <= KEYPAD_MOST
                    else [],
                )
            )
        return {"criteria": rows}

    def review_apply(self, assignment, *, scores, verdict) -> bool:
        """Merge the scores given (``None`` clears one); complete once every criterion has
        its score. A verdict means nothing here."""
        criteria = {c.key: c for c in scoring.round_criteria(assignment.round)}
        if scores is not None:
            merged = dict(assignment.scores)
            given = {}
            for key, value in scores.items():
                if str(key) not in criteria:
                    _refuse(_("Unknown criterion."))
                if value is None:
                    merged.pop(str(key), None)
                else:
                    given[str(key)] = value
            # each value on its criterion's range and step, or the whole change is refused
            checked = scoring.review_scores_check(
                assignment.round, given, criteria=list(criteria.values())
            )
            for key, value in checked.items():
                merged[key] = scoring.score_stored(criteria[key], value)
            assignment.scores = merged
        return set(assignment.scores) == set(criteria)

    def review_sheet(self, round, criteria, scores):
        """Each criterion's score as a decimal, and the review's score — its criteria
        combined as the round says (weighted or total), rounded by the round's rule."""
        values = {c.key: scoring.score_read(scores[c.key]) for c in criteria if c.key in scores}
        if len(values) < len(criteria):
            return values, None
        combined = core_scores.review_combine(values, criteria, round.combine)
        return values, core_scores.rounded(combined, round.places, round.rounding)

    def results(self, round, entry_ids, done):
        """Each judge's score (the criteria combined as the round says) ranked by the round's
        method; the judges' calibration as the ranking fitted it; each result's points as
        shown and whether the tie-break chain left it tied (``scoring.round_standings``)."""
        criteria = list(round.criteria.all())
        weights = {str(c.pk): float(c.weight) for c in criteria}
        finished = list(done.values_list("entry_id", "judge_id", "scores"))
        reviews = [
            core_ranking.Review(
                str(entry_id),
                str(judge_id),
                _review_score(
                    round, {k: float(scoring.score_read(v)) for k, v in scores.items()}, weights
                ),
            )
            for entry_id, judge_id, scores in finished
        ]
        results = {pk: Result(round=round, entry_id=pk) for pk in entry_ids}
        judges: list[core_ranking.JudgeReport] = []
        standings = scoring.round_standings(
            round, [(entry_id, scores) for entry_id, _judge, scores in finished]
        )
        for standing in standings:
            if standing.entry_id in results:
                results[standing.entry_id].points = standing.shown
        if reviews:
            if round.combine == "total":
                scale = (float(sum(c.low for c in criteria)), float(sum(c.high for c in criteria)))
            else:
                scale = (float(min(c.low for c in criteria)), float(max(c.high for c in criteria)))
            ranking = core_ranking.rank_scores(reviews, round.method, scale=scale)
            judges = ranking.judges
            reviewed = {int(ranked.entry): ranked.reviews for ranked in ranking.entries}
            for placed in scoring.method_places(round, ranking.entries, standings):
                result = results[placed.entry_id]
                result.rank, result.tied = placed.place, bool(placed.tied_with)
                result.score, result.low, result.high = placed.score, placed.low, placed.high
                result.reviews = reviewed[placed.entry_id]
                result.advanced = round.advance is None or placed.place <= round.advance
        calibrations = [
            JudgeCalibration(
                round=round,
                judge_id=int(report.judge),
                reviews=report.reviews,
                offset=report.offset,
                scale=report.scale,
                noise=report.noise,
                note=report.note,
            )
            for report in judges
        ]
        return list(results.values()), calibrations

    def outcome_html(self, result) -> str:
        """The outcome, then the points as shown and, when the round's tie-break chain left
        the entry tied with another, a "tied" mark: a tie is shown, never broken silently."""
        outcome = super().outcome_html(result)
        if result.points is None:
            return outcome
        tied = (
            format_html(
                ' <span class="pill pill-waiting" data-tied="true" title="{}">{}</span>',
                _("Tied with another entry after the round's tie-break chain"),
                _("tied"),
            )
            if result.tied
            else ""
        )
        return format_html(
            '{} <span class="muted" data-points="{}">{}</span>{}',
            outcome,
            result.points,
            _("%(points)s points") % {"points": result.points},
            tied,
        )


def _review_score(round: Round, scores: dict[str, float], weights: dict[str, float]) -> float:
    """One review's score as the ranking core takes it: the weighted mean of its criteria,
    or their total."""
    if round.combine == "total":
        return sum(scores.values())
    return core_ranking.weighted_score(scores, weights)


SCORE = ScoreMode()
