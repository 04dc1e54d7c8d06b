"""The console's entry page names the entry's prize in its tier's colour and, for the
organisers, shows every judge's scores per criterion, the rank and the final score. A unit
admin sees neither scores nor judges, and the prize only as published."""

import re

import pytest
from django.urls import reverse

from laurel.awards import services
from laurel.judging.models import Assignment, Result
from tests.awards.conftest import judged_contest, organiser  # noqa: F401 - fixtures
from tests.judging.conftest import closed_contest, deadline  # noqa: F401 - fixtures


@pytest.fixture
def proposed(judged_contest, organiser):  # noqa: F811
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    return judged_contest


def page(client, contest, entry) -> str:
    response = client.get(reverse("contests:console_entry", args=[contest.slug, entry.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_organiser_sees_the_prize_in_its_colour_and_every_judges_scores(proposed, client_as):
    entry = proposed.test_entries[0]  # the best: 一等奖
    html = page(client_as("federation_admin"), proposed, entry)
    prize = re.search(
        r'<span class="pill tier-pill ([\w-]+)" id="entry-prize" data-prize="([^"]+)"', html
    )
    assert prize.groups() == ("tier-1", "一等奖")
    assert 'id="entry-prize-unpublished"' in html  # decided, not yet published
    reviews = Assignment.objects.filter(round=proposed.test_round, entry=entry)
    criterion = str(proposed.test_round.criteria.get().pk)
    for review in reviews:
        row = re.search(
            rf'<tr class="entry-review" data-judge="{review.judge}">.*?</tr>', html, re.S
        )
        assert row, review.judge
        assert f'data-score="{review.scores[criterion]}"' in row.group(0)
    result = Result.objects.get(round=proposed.test_round, entry=entry)
    assert f'data-rank="{result.rank}"' in html
    assert f"{result.score:.2f}" in html


def test_a_unit_admin_sees_no_scores_and_the_prize_only_once_published(
    proposed,
    client_as,
    organiser,  # noqa: F811
):
    entry = proposed.test_entries[0]  # of 永川区, the unit admin's
    client = client_as("unit_admin")
    html = page(client, proposed, entry)
    assert 'id="entry-judging"' not in html
    assert "评委" not in html  # no judge named
    assert 'id="entry-prize"' not in html
    services.results_publish(acting_user=organiser, contest=proposed)
    html = page(client, proposed, entry)
    assert 'data-prize="一等奖"' in html
    assert 'id="entry-prize-unpublished"' not in html
    assert 'id="entry-judging"' not in html


def test_a_prize_changed_after_publication_says_it_is_not_published(
    proposed,
    client_as,
    organiser,  # noqa: F811
):
    services.results_publish(acting_user=organiser, contest=proposed)
    entry = proposed.test_entries[0]
    services.award_set(acting_user=organiser, entry=entry, tier=None, reason="复核")
    html = page(client_as("federation_admin"), proposed, entry)
    assert 'id="entry-prize"' not in html  # no prize now, for the organiser
    second = proposed.test_entries[6]  # ranked 7th: no prize
    services.award_set(
        acting_user=organiser,
        entry=second,
        tier=proposed.prize_tiers.get(name="一等奖"),
        reason="复核",
    )
    html = page(client_as("federation_admin"), proposed, second)
    assert 'data-prize="一等奖"' in html
    assert 'id="entry-prize-unpublished"' in html
    # the unit admin still sees the published prize of the first entry
    assert 'data-prize="一等奖"' in page(client_as("unit_admin"), proposed, entry)
