"""The organiser's round form over HTTP (issue 23): a round without a deadline, and criteria
whose scales are decimals fitting their step (``core.scores.criterion_problems``), refused
naming the criterion when they do not."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from laurel.judging.models import Criterion, Round
from tests.conftest import english_client
from tests.helpers import rows_data


def round_data(criteria, *, deadline: str = "", **overrides) -> dict:
    """The round form as sent: a scoring round, ``criteria`` as (name, weight, low, high,
    step) rows of text."""
    fields = ("name", "weight", "low", "high", "step")
    return {
        "name": "现场决赛",
        "mode": "score",
        "per_entry": "3",
        "deadline": deadline,
        "entrants": "accepted",
        "method": "mean",
        **rows_data("criteria", [dict(zip(fields, row, strict=True)) for row in criteria]),
        **overrides,
    }


def in_a_week() -> str:
    return timezone.localtime(timezone.now() + datetime.timedelta(days=7)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def input_tag(page: str, name: str) -> str:
    (tag,) = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return tag


@pytest.fixture
def console(users):
    client = english_client()
    client.force_login(users["federation_admin"])
    return client


@pytest.fixture
def url(closed_contest):
    return reverse("judging:round_create", args=[closed_contest.slug])


def test_the_form_offers_an_empty_deadline_and_decimal_scales(console, url):
    page = console.get(url).content.decode()
    assert "required" not in input_tag(page, "deadline")
    assert "Empty: no deadline — the round ends when you close it" in page
    for bound in ("low", "high", "step"):
        assert 'inputmode="decimal"' in input_tag(page, f"criteria-0-{bound}"), bound


def test_a_round_without_a_deadline_is_created_and_says_it_has_none(console, url):
    response = console.post(url, round_data([("动作规范", "1", "0", "10", "0.5")]))
    assert response.status_code == 302
    round_ = Round.objects.get()
    assert round_.deadline is None
    page = console.get(response["Location"]).content.decode()
    assert "none: ends when the last entry is confirmed" in page


@pytest.mark.parametrize("high", ["9.5", "９．５", "9。5"])
def test_a_decimal_scale_on_its_step_is_stored_as_decimals(console, url, high):
    data = round_data([("难度", "1", "0", high, "0.5")], deadline=in_a_week())
    response = console.post(url, data)
    assert response.status_code == 302
    criterion = Criterion.objects.get()
    assert (criterion.low, criterion.high, criterion.step) == (0, Decimal("9.5"), Decimal("0.5"))
    assert isinstance(criterion.high, Decimal)
    assert Round.objects.get().deadline is not None


def refusal(response) -> str:
    """The one error of the criteria rows, and that it was shown and nothing was made."""
    assert response.status_code == 200
    (error,) = response.context["form"].errors["criteria"]
    assert error in response.content.decode().replace("&quot;", '"')
    assert not Round.objects.exists()
    assert not Criterion.objects.exists()
    return error


def test_a_range_that_is_not_a_whole_number_of_steps_is_refused_naming_it(console, url):
    rows = [("动作规范", "1", "0", "10", "0.5"), ("难度", "1", "0", "10", "0.3")]
    error = refusal(console.post(url, round_data(rows)))
    assert error == (
        "Row 2, “Step”: “难度” cannot go from 0 to 10 in steps of 0.3: "
        "the range must be a whole number of steps."
    )


@pytest.mark.parametrize(("low", "high"), [("9.5", "9.5"), ("9.5", "2")])
def test_a_highest_score_not_above_the_lowest_is_refused_naming_it(console, url, low, high):
    error = refusal(console.post(url, round_data([("难度", "1", low, high, "0.5")])))
    assert error == f"Row 1, “Highest score”: “难度” needs a highest score above its lowest, {low}."


def test_more_than_two_decimal_places_are_refused(console, url):
    error = refusal(console.post(url, round_data([("难度", "1", "0", "9.555", "0.5")])))
    assert error.startswith("Row 1, “Highest score”: at most 2 decimal places")


def test_a_deadline_in_the_past_is_still_refused(console, url):
    data = round_data([("难度", "1", "0", "10", "0.5")], deadline="2001-01-01T10:00")
    response = console.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"] == ["The deadline must be in the future."]
    assert not Round.objects.exists()
