"""A mode added as a module alone (``tests/judging/toy_mode.py``, one 1–5 rating per review,
ranked by the mean): registered, it is a round's mode through the console form, its review
part is the judge's workspace, its ratings are checked and saved over HTTP, the round
closes into its results, which the round page shows, and the contest's final round is
its round — with nothing outside the module changed."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from laurel.awards import selectors as award_selectors
from laurel.judging import modes, services
from laurel.judging.models import Assignment, Result, Round, mode_choices
from tests.conftest import english_client
from tests.helpers import rows_data
from tests.judging.test_console_rounds import local_minute
from tests.judging.toy_mode import RATING

# judge → entry index (the contest's order) → rating; the other entries get 2 and 1
RATINGS = {"first": {0: 5, 1: 4, 2: 5}, "second": {0: 5, 1: 5, 2: 5}}
LOW_RATINGS = {"first": 2, "second": 1}


@pytest.fixture
def rating_mode():
    modes.register(RATING)
    yield RATING
    modes.unregister(RATING)


def client_of(user) -> Client:
    client = english_client()
    client.force_login(user)
    return client


@pytest.fixture
def rating_round(rating_mode, closed_contest, users, make_user, deadline):
    """A round of the toy mode created through the console form (best 3 advance), both
    judges seated on every entry, opened."""
    organiser = users["federation_admin"]
    form = {
        "name": "打分",
        "mode": "rating",
        "per_entry": "2",
        "deadline": local_minute(deadline),
        "entrants": "accepted",
        "method": "mean",
        "advance": "3",
        **rows_data("criteria", []),
    }
    url = reverse("judging:round_create", args=[closed_contest.slug])
    response = client_of(organiser).post(url, form)
    assert response.status_code == 302
    round_ = Round.objects.get(contest=closed_contest)
    judges = {"first": users["judge"], "second": make_user("judge")}
    for judge in judges.values():
        services.seat_add(acting_user=organiser, round=round_, judge=judge)
    services.assignment_solve(acting_user=organiser, round=round_)
    services.round_open(acting_user=organiser, round=round_)
    return SimpleNamespace(
        round=Round.objects.get(pk=round_.pk),
        organiser=organiser,
        judges=judges,
        entries=closed_contest.test_entries,
    )


def test_a_registered_mode_is_one_of_the_rounds_choices_and_unregistered_is_gone():
    assert ("rating", RATING.label) not in mode_choices()
    modes.register(RATING)
    try:
        assert ("rating", RATING.label) in mode_choices()
        assert modes.mode_of("rating") is RATING
        with pytest.raises(ValueError, match="rating"):
            modes.register(RATING)  # a code is registered once
    finally:
        modes.unregister(RATING)
    assert [code for code, _label in mode_choices()] == ["qualify", "score"]


def test_a_round_of_the_toy_mode_is_judged_closed_and_shown(rating_round):
    round_ = rating_round.round
    assert (round_.mode, round_.advance, round_.criteria.count()) == ("rating", 3, 0)
    index = {entry.pk: n for n, entry in enumerate(rating_round.entries)}
    for name, judge in rating_round.judges.items():
        client = client_of(judge)
        work = Assignment.objects.filter(round=round_, judge=judge).order_by("position")
        assert work.count() == 12
        page = client.get(reverse("judging:judge_review", args=[work[0].pk])).content.decode()
        assert 'id="rating"' in page  # the toy's review part, in the workspace
        assert page.count('name="rating"') == 5
        given = {}
        for assignment in work:
            given[assignment.pk] = RATINGS[name].get(index[assignment.entry_id], LOW_RATINGS[name])
            save = reverse("judging:judge_review_save", args=[assignment.pk])
            assert client.post(save, {"rating": str(given[assignment.pk])}).status_code == 200
        shown = client.get(reverse("judging:judge_review", args=[work[0].pk])).content.decode()
        assert f'id="rating-{given[work[0].pk]}" checked>' in shown  # the part shows it back
        assert shown.count(" checked>") == 1
        assert set(work.values_list("state", flat=True)) == {Assignment.State.DONE}

    organiser = client_of(rating_round.organiser)
    closed = organiser.post(reverse("judging:round_close", args=[round_.pk]))
    assert closed.status_code == 302
    results = Result.objects.filter(round=round_).select_related("entry").order_by("rank")
    codes = [entry.code for entry in rating_round.entries]
    assert [(r.entry.code, r.rank, r.score, r.advanced) for r in results[:4]] == [
        (codes[0], 1, 5.0, True),  # 5 and 5
        (codes[2], 2, 5.0, True),  # 5 and 5: the later entry of the tie
        (codes[1], 3, 4.5, True),  # 4 and 5
        (codes[3], 4, 1.5, False),  # 2 and 1
    ]
    assert {r.score for r in results[3:]} == {1.5}
    assert award_selectors.final_round(round_.contest) == round_  # it ranks

    page = organiser.get(reverse("judging:round_detail", args=[round_.pk])).content.decode()
    assert '<p id="results-counts" data-rated="12">12 rated, 3 go on</p>' in page
    assert f'<tr id="result-{codes[1]}"' in page
    assert ">4.50<" in page  # the score column, as the base mode writes it
    awards = organiser.get(reverse("awards:console_results", args=[round_.contest.slug]))
    assert awards.status_code == 200  # the contest's results, from its final round
    assert codes[1] in awards.content.decode()


def test_the_toy_mode_refuses_a_rating_off_its_scale_over_http(rating_round):
    judge = rating_round.judges["first"]
    assignment = Assignment.objects.filter(round=rating_round.round, judge=judge).first()
    save = reverse("judging:judge_review_save", args=[assignment.pk])
    client = client_of(judge)
    refused = client.post(save, {"rating": "6"})
    assert refused.status_code == 400
    assert "An entry is rated from 1 to 5." in refused.content.decode()
    assert client.post(save, {"rating": "four"}).status_code == 400
    assignment.refresh_from_db()
    assert (assignment.scores, assignment.state) == ({}, Assignment.State.OPEN)
