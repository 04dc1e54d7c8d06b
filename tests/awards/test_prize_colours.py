"""A prize is shown in its tier's colour (``tier-<place>``, by the tier's place among the
contest's tiers) wherever it is shown: the public results, the exhibition and a work's page,
the organiser's results and an entry's breakdown, the member's entry page."""

import re

from django.urls import reverse

from laurel.awards.models import Award
from laurel.contests.models import PrizeTier

# the fixture's tiers, in their order
PLACES = {"一等奖": "tier-1", "二等奖": "tier-2", "三等奖": "tier-3"}


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def winners(contest) -> list[Award]:
    return list(Award.objects.filter(contest=contest).select_related("entry", "tier"))


def test_the_public_results_colour_each_prize_by_its_tier(published, client):
    html = html_of(client, reverse("awards:public_results", args=[published.slug]))
    for award in winners(published):
        row = re.search(rf'<tr id="result-{award.entry.code}"[^>]*>.*?</tr>', html, re.S).group(0)
        colour = PLACES[award.tier.name]
        assert f'class="is-winner {colour}"' in row
        assert f'<span class="pill tier-pill {colour}">{award.tier.name}</span>' in row


def test_the_exhibition_colours_each_tier_and_a_works_prize(published, client):
    html = html_of(client, reverse("awards:exhibition", args=[published.slug]))
    sections = re.findall(
        r'<section class="exhibition-tier (tier-\d)[^"]*"[^>]*data-prize="([^"]*)"', html
    )
    assert sections == [(colour, name) for name, colour in PLACES.items()]
    award = next(a for a in winners(published) if a.tier.name == "二等奖")
    work = html_of(
        client, reverse("awards:exhibition_work", args=[published.slug, award.entry.code])
    )
    assert '<span class="exhibition-prize tier-2" id="work-prize">' in work


def test_the_colour_follows_the_tiers_order_not_their_names(published, client):
    PrizeTier.objects.filter(contest=published, name="三等奖").update(position=0)
    PrizeTier.objects.filter(contest=published, name="一等奖").update(position=9)
    html = html_of(client, reverse("awards:public_results", args=[published.slug]))
    third = next(a for a in winners(published) if a.tier.name == "三等奖")
    assert re.search(rf'<tr id="result-{third.entry.code}"[^>]*class="is-winner tier-1"', html)


def test_the_organisers_results_colour_each_prize(published, client_as):
    organiser = client_as("federation_admin")
    html = html_of(organiser, reverse("awards:console_results", args=[published.slug]))
    for award in winners(published):
        row = re.search(rf'<tr id="result-{award.entry.code}"[^>]*>.*?</tr>', html, re.S).group(0)
        colour = PLACES[award.tier.name]
        assert f'<span class="pill tier-pill {colour}">{award.tier.name}</span>' in row
    counts = re.findall(
        r'<tr data-tier="([^"]*)"[^>]*><td><span class="pill tier-pill (tier-\d)">', html
    )
    assert counts == list(PLACES.items())
    award = next(a for a in winners(published) if a.tier.name == "三等奖")
    entry_page = html_of(
        organiser,
        reverse("awards:console_result_entry", args=[published.slug, award.entry.number]),
    )
    assert re.search(
        r'<p id="entry-prize"><span class="pill tier-pill tier-3">三等奖</span>', entry_page
    )


def test_the_members_entry_page_shows_the_prize_in_its_colour(published, client_as):
    award = next(a for a in winners(published) if a.tier.name == "一等奖")
    html = html_of(
        client_as("federation_admin"), reverse("contests:my_entry", args=[award.entry.pk])
    )
    assert re.search(
        r'<span class="pill tier-pill tier-1" id="entry-prize" data-prize="一等奖">一等奖</span>',
        html,
    )
