"""Honest state: results are not published while a screening flag waits for a decision —
one might yet disqualify a winner. ``results_publish`` refuses with a sentence naming how
many; the results page says so and links to screening."""

import pytest
from django.urls import reverse
from django.utils import translation

from laurel.awards import services
from laurel.awards.models import Publication
from laurel.contests.models import Contest, Flag


@pytest.fixture
def proposed(judged_contest, organiser):
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    return judged_contest


@pytest.mark.parametrize("state", [Flag.State.OPEN, Flag.State.ASKED])
def test_publishing_is_refused_while_flags_wait(proposed, organiser, state):
    Flag.objects.filter(pk__in=Flag.objects.filter(entry__contest=proposed)[:2]).update(state=state)
    with translation.override("en"), pytest.raises(services.AwardsRefused) as refused:
        services.results_publish(acting_user=organiser, contest=proposed)
    assert "2 screening flags are still undecided" in " ".join(refused.value.messages)
    assert not Publication.objects.filter(contest=proposed).exists()
    proposed.refresh_from_db()
    assert proposed.state != Contest.State.PUBLISHED


def test_once_decided_the_results_publish(proposed, organiser):
    assert not Flag.objects.filter(
        entry__contest=proposed, state__in=(Flag.State.OPEN, Flag.State.ASKED)
    ).exists()
    services.results_publish(acting_user=organiser, contest=proposed)
    assert Publication.objects.filter(contest=proposed).exists()


def test_the_results_page_names_the_count_and_links_to_screening(proposed, client_as):
    Flag.objects.filter(pk__in=Flag.objects.filter(entry__contest=proposed)[:3]).update(
        state=Flag.State.OPEN
    )
    page = client_as("federation_admin").get(
        reverse("awards:console_results", args=[proposed.slug])
    )
    assert b'data-undecided="3"' in page.content
    assert reverse("contests:console_screening", args=[proposed.slug]).encode() in page.content
