"""A round mode that exists for the tests alone: each judge gives an entry one rating from 1
to 5, no criteria; a closed round ranks the entries by their mean rating (ties: the earlier
entry first) and its best ``advance`` go on. Registered by a fixture, it shows that a new mode
is this module and a ``register`` call — nothing else changes."""

from django.template import Template

from laurel.judging.models import Result
from laurel.judging.modes import ReviewFieldsRefused, RoundMode
from laurel.judging.services import JudgingRefused

LOWEST, HIGHEST = 1, 5


def _rating(value) -> int | None:
    return value if type(value) is int and LOWEST <= value <= HIGHEST else None


class RatingMode(RoundMode):
    code = "rating"
    label = "One rating (1–5)"
    ranks = True
    outcomes = (("advanced", "advances"), ("stopped", "does not advance"))
    review_template = Template(
        '<fieldset class="rating" id="rating">{% for value in sheet.review.choices %}'
        '<label><input type="radio" name="rating" value="{{ value }}" id="rating-{{ value }}"'
        "{% if value == sheet.review.rating %} checked{% endif %}> {{ value }}</label>"
        "{% endfor %}</fieldset>"
    )
    results_template = Template(
        '<p id="results-counts" data-rated="{{ results.ranked }}">'
        "{{ results.ranked }} rated, {{ results.advanced }} go on</p>"
    )

    def review_read(self, post) -> dict:
        if "rating" not in post:
            return {}
        try:
            return {"scores": {"rating": int(post["rating"])}}
        except ValueError:
            raise ReviewFieldsRefused("A rating is a whole number.") from None

    def review_context(self, assignment) -> dict:
        return {
            "rating": assignment.scores.get("rating"),
            "choices": list(range(LOWEST, HIGHEST + 1)),
        }

    def review_apply(self, assignment, *, scores, verdict) -> bool:
        if scores is not None:
            rating = _rating(scores.get("rating"))
            if rating is None:
                raise JudgingRefused(f"An entry is rated from {LOWEST} to {HIGHEST}.")
            assignment.scores = {"rating": rating}
        return "rating" in assignment.scores

    def results(self, round, entry_ids, done):
        ratings: dict[int, list[int]] = {}
        for entry_id, scores in done.values_list("entry_id", "scores"):
            ratings.setdefault(entry_id, []).append(scores["rating"])
        means = sorted((-sum(given) / len(given), entry_id) for entry_id, given in ratings.items())
        results = {pk: Result(round=round, entry_id=pk) for pk in entry_ids}
        for rank, (negative_mean, entry_id) in enumerate(means, start=1):
            result = results[entry_id]
            result.rank, result.score = rank, -negative_mean
            result.reviews = len(ratings[entry_id])
            result.advanced = round.advance is None or rank <= round.advance
        return list(results.values()), []


RATING = RatingMode()
