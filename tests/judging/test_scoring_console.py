"""The organiser's side of decimal scores: a round set up through the form with a step per
criterion, a total, its rounding and its tie-break chain; the round page's deductions panel
(add and take back, with a reason; gone once the round closes); and a closed round's results
showing each entry's points and its ties as ties."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from laurel.judging import services
from laurel.judging.models import Assignment, Deduction, Round
from tests.conftest import english_client
from tests.helpers import rows_data

DRILL = [
    ("动作规范", "1", "0", "40", "0.5"),
    ("整齐划一", "1", "0", "30", "0.5"),
    ("精神风貌", "1", "0", "20", ""),  # empty step: whole points
    ("队形与服装", "1", "0", "10", "0.05"),
]


def form_data(deadline, **overrides) -> dict:
    fields = ("name", "weight", "low", "high", "step")
    return {
        "name": "决赛",
        "mode": "score",
        "per_entry": "3",
        "deadline": timezone.localtime(deadline).strftime("%Y-%m-%dT%H:%M"),
        "entrants": "accepted",
        "method": "mean",
        **rows_data("criteria", [dict(zip(fields, row, strict=True)) for row in DRILL]),
        "combine": "total",
        "places": "1",
        "rounding": "down",
        "tie_criterion": "动作规范",
        "tie_fewer_deductions": "on",
        "tie_decision": "on",
        **overrides,
    }


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def console(organiser):
    client = english_client()
    client.force_login(organiser)
    return client


def test_a_round_is_set_up_with_steps_a_total_rounding_and_a_tie_chain(
    console, closed_contest, deadline
):
    url = reverse("judging:round_create", args=[closed_contest.slug])
    response = console.post(url, form_data(deadline))
    assert response.status_code == 302
    round_ = Round.objects.get(contest=closed_contest)
    assert (round_.combine, round_.places, round_.rounding) == ("total", 1, "down")
    criteria = list(round_.criteria.all())
    assert [(c.name, c.low, c.high, c.step) for c in criteria] == [
        ("动作规范", 0, 40, D("0.5")),
        ("整齐划一", 0, 30, D("0.5")),
        ("精神风貌", 0, 20, 1),
        ("队形与服装", 0, 10, D("0.05")),
    ]
    assert round_.tie_breaks == [
        ["criterion", str(criteria[0].pk)],
        ["fewer_deductions"],
        ["decision"],
    ]
    page = console.get(response["Location"]).content.decode()
    assert "<td>0–10</td><td>0.05</td>" in page
    assert 'data-combine="total" data-rounding="down" data-places="1"' in page


def test_a_tie_rule_naming_no_criterion_of_the_round_is_refused_on_its_field(
    console, closed_contest, deadline
):
    url = reverse("judging:round_create", args=[closed_contest.slug])
    response = console.post(url, form_data(deadline, tie_criterion="创意"))
    assert response.status_code == 200
    assert response.context["form"].errors["tie_criterion"] == ["Name one of the round's criteria."]
    assert not Round.objects.exists()


def test_a_step_that_never_reaches_the_maximum_is_refused(console, closed_contest, deadline):
    url = reverse("judging:round_create", args=[closed_contest.slug])
    # 0 to 40 by 0.3: 39.9, then 40.2: 40 is never a score
    response = console.post(url, form_data(deadline, **{"criteria-0-step": "0.3"}))
    assert response.status_code == 200
    assert response.context["form"].errors["criteria"] == [
        "Row 1, “Step”: “动作规范” cannot go from 0 to 40 in steps of 0.3: "
        "the range must be a whole number of steps."
    ]
    assert not Round.objects.exists()


@pytest.fixture
def open_round(closed_contest, organiser, users, deadline):
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="决赛",
        mode="score",
        deadline=deadline,
        per_entry=1,
        criteria=[("动作规范", 1, 0, 10, D("0.05"))],
    )
    services.seat_add(acting_user=organiser, round=round_, judge=users["judge"])
    services.assignment_solve(acting_user=organiser, round=round_)
    return services.round_open(acting_user=organiser, round=round_)


def test_the_deductions_panel_adds_and_takes_back_with_a_reason(
    console, open_round, closed_contest
):
    entry = closed_contest.test_entries[2]
    add = reverse("judging:deduction_add", args=[open_round.pk])
    response = console.post(add, {"entry": entry.number, "points": "0.5", "reason": "超时10秒"})
    assert response.status_code == 302
    deduction = Deduction.objects.get()
    assert (deduction.entry_id, deduction.points, deduction.reason) == (
        entry.pk,
        D("0.5"),
        "超时10秒",
    )
    page = console.get(reverse("judging:round_detail", args=[open_round.pk])).content.decode()
    assert f'<tr data-deduction="{deduction.pk}"><td>{entry.code}</td><td>−0.5</td>' in page
    assert 'id="deduction-form"' in page

    console.post(add, {"entry": entry.number, "points": "0", "reason": "x"})
    console.post(add, {"entry": entry.number, "points": "1", "reason": ""})
    assert Deduction.objects.count() == 1  # no points, no reason: nothing

    console.post(reverse("judging:deduction_remove", args=[deduction.pk]))
    assert not Deduction.objects.exists()


def test_a_closed_rounds_results_show_points_and_ties(console, open_round, organiser, users):
    work = list(Assignment.objects.filter(round=open_round).order_by("position", "pk"))
    criterion = open_round.criteria.get()
    for assignment, value in zip(work[:3], ("9.35", "9.35", "8.5"), strict=True):
        services.review_save(
            acting_user=users["judge"], assignment=assignment, scores={criterion.pk: D(value)}
        )
    services.round_close(acting_user=organiser, round=open_round)
    page = console.get(reverse("judging:round_detail", args=[open_round.pk])).content.decode()
    assert page.count('data-points="9.35"') == 2
    assert page.count('data-tied="true"') == 2  # the two 9.35s, no chain: shown as a tie
    assert page.count('data-points="8.5"') == 1
    assert 'id="deduction-form"' not in page  # closed: deductions no longer change
