"""A closed round's results on the round page as the one table of every list (web.tables):
search, filters, sorting and the export of what is shown (the page is the organisers' alone:
tests/test_access.py)."""

import re

import pytest
from django.urls import reverse

from laurel.judging import services
from laurel.judging.models import Assignment, Result
from tests.conftest import english_client
from tests.helpers import exported, response_body

ADVANCE = 5


@pytest.fixture
def closed_round(closed_contest, users, make_user, deadline):
    """A scoring round over the 12 entries, three judges scoring entry n as 9 - n/2; the best
    five advance."""
    organiser = users["federation_admin"]
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="复评",
        mode="score",
        deadline=deadline,
        per_entry=3,
        advance=ADVANCE,
        method="mean",
        criteria=[("总分", 1, 1, 10)],
    )
    for judge in [make_user("judge") for _ in range(3)]:
        services.seat_add(acting_user=organiser, round=round_, judge=judge)
    services.assignment_solve(acting_user=organiser, round=round_)
    services.round_open(acting_user=organiser, round=round_)
    criterion = str(round_.criteria.get().pk)
    index = {entry.pk: n for n, entry in enumerate(closed_contest.test_entries)}
    for assignment in Assignment.objects.filter(round=round_).select_related("judge"):
        services.review_save(
            acting_user=assignment.judge,
            assignment=assignment,
            scores={criterion: max(1, round(9 - index[assignment.entry_id] / 2))},
        )
    return services.round_close(acting_user=organiser, round=round_)


def detail_url(round_) -> str:
    return reverse("judging:round_detail", args=[round_.pk])


def shown_codes(response) -> list[str]:
    return re.findall(r'<tr id="result-(\d+)"', response_body(response).decode())


def ranked_codes(round_, **where) -> list[str]:
    results = Result.objects.filter(round=round_, **where).select_related("entry")
    return [result.entry.code for result in results.order_by("rank", "entry__number")]


def test_the_results_search_finds_an_entry_by_author_title_or_number(
    client_as, closed_contest, closed_round
):
    client = client_as("federation_admin")
    third = closed_contest.test_entries[3]
    assert shown_codes(client.get(detail_url(closed_round), {"q": "作者3"})) == [third.code]
    assert shown_codes(client.get(detail_url(closed_round), {"q": "作品3"})) == [third.code]
    assert shown_codes(client.get(detail_url(closed_round), {"q": third.code})) == [third.code]
    assert shown_codes(client.get(detail_url(closed_round), {"q": "无此作品"})) == []


def test_the_results_filter_by_category_and_outcome(client_as, closed_contest, closed_round):
    client = client_as("federation_admin")
    second = closed_contest.categories.all()[1]
    by_category = shown_codes(client.get(detail_url(closed_round), {"category": second.pk}))
    assert by_category == ranked_codes(closed_round, entry__category=second)
    assert len(by_category) == 6
    advancing = shown_codes(client.get(detail_url(closed_round), {"outcome": "advanced"}))
    assert advancing == ranked_codes(closed_round, advanced=True)
    assert len(advancing) == ADVANCE
    stopped = shown_codes(client.get(detail_url(closed_round), {"outcome": "stopped"}))
    assert len(stopped) == 12 - ADVANCE
    assert not set(stopped) & set(advancing)


def test_the_results_sort_by_rank_either_way_and_by_title(client_as, closed_round):
    client = client_as("federation_admin")
    by_rank = ranked_codes(closed_round)
    assert shown_codes(client.get(detail_url(closed_round))) == by_rank
    # entries sharing a place stay in number order either way
    by_rank_down = Result.objects.filter(round=closed_round).order_by("-rank", "entry__number")
    assert shown_codes(client.get(detail_url(closed_round), {"sort": "-rank"})) == [
        result.entry.code for result in by_rank_down.select_related("entry")
    ]
    by_title = Result.objects.filter(round=closed_round).order_by("entry__title")
    assert shown_codes(client.get(detail_url(closed_round), {"sort": "title"})) == [
        result.entry.code for result in by_title.select_related("entry")
    ]


def test_the_results_export_holds_the_filtered_rows_as_shown(users, closed_round):
    client = english_client()
    client.force_login(users["federation_admin"])
    rows = exported(client.get(detail_url(closed_round), {"outcome": "advanced", "export": "xlsx"}))

    assert rows[0] == [
        *["Rank", "Entry", "Title", "Category", "Author", "Unit", "Score", "90% interval"],
        *["Reviews", "Outcome"],
    ]
    assert [row[1] for row in rows[1:]] == ranked_codes(closed_round, advanced=True)
    best = Result.objects.select_related("entry__author").get(round=closed_round, rank=1)
    assert rows[1][0] == 1
    assert rows[1][4] == best.entry.author.name
    assert rows[1][6] == f"{best.score:.2f}"
    assert rows[1][8:] == [3, "advances"]
