"""The migrations that bring decimal scores keep what a round had: a criterion's whole-number
bounds stay the same numbers, its step is 1 (whole points, as before), and a round keeps
today's way of scoring (weighted, two places, half up, no tie-break chain)."""

import pytest
from django.db import connection

from laurel.contests.services import contest_transition
from laurel.judging import services
from laurel.judging.models import Criterion, Round, Seat
from tests.helpers import migrate_to, migrate_to_latest

BEFORE_DECIMALS = ("judging", "0003_round_mode_from_the_registry")


@pytest.mark.django_db(transaction=True)
def test_existing_criteria_keep_their_whole_number_bounds(contest, users):
    organiser = users["federation_admin"]
    contest = contest_transition(acting_user=organiser, contest=contest, to="closed")
    round_ = services.round_create(
        acting_user=organiser,
        contest=contest,
        name="复评",
        mode="score",
        deadline=None,
        criteria=[("主题", 60, 1, 10), ("技术", 40, 0, 5)],
    )
    Round.objects.filter(pk=round_.pk).update(deadline="2026-12-01T10:00:00Z")
    services.seat_add(acting_user=organiser, round=round_, judge=users["judge"])
    migrate_to(BEFORE_DECIMALS)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE judging_criterion SET low = 2 WHERE round_id = %s AND name = %s",
                [round_.pk, "主题"],
            )
    finally:
        migrate_to_latest()

    bounds = list(
        Criterion.objects.filter(round=round_).values_list("name", "low", "high", "step", "weight")
    )
    assert bounds == [("主题", 2, 10, 1, 60), ("技术", 0, 5, 1, 40)]
    # read as people write them: 2 and 10, never 2.00
    assert [str(v) for v in bounds[0][1:4]] == ["2", "10", "1"]
    row = Round.objects.get(pk=round_.pk)
    assert (row.combine, row.places, row.rounding, row.tie_breaks) == (
        "weighted",
        2,
        "half_up",
        [],
    )
    assert Seat.objects.get(round=round_).role == "judge"
