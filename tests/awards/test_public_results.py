"""The public results page as people read it: the winners first, tier by tier in the tiers'
order and colours, with their published thumbnails and names; then the full ranking,
searched and paged over the snapshot's rows; scores to two decimals rounded half up; the
digest, intervals and verification folded under "How the results were judged"."""

import re

import pytest
from django.urls import reverse

from laurel.awards import services
from laurel.awards.models import Award, Publication
from laurel.contests.models import Entry, EntryFile, PrizeTier
from laurel.judging.models import Result
from laurel.media.models import MediaAsset
from laurel.orgs.models import Unit
from tests.awards.ranked_contest import ranked_contest
from tests.awards.test_public import element, others_of, publish
from tests.conftest import english_client


def results_url(contest) -> str:
    return reverse("awards:public_results", args=[contest.slug])


def page(client, contest, **params) -> str:
    response = client.get(results_url(contest), params)
    assert response.status_code == 200
    return response.content.decode()


def winners_part(html: str) -> str:
    """The winners section: from its start to the full ranking's."""
    start, end = html.index('id="results-winners"'), html.index('id="results-ranking"')
    assert start < end  # the winners lead
    return html[start:end]


def tiers_shown(html: str) -> list[tuple[str, str, str]]:
    """(colour class, prize, place) of each tier heading of the winners, in page order."""
    return re.findall(
        r'<section class="winners-tier (tier-\d)" id="winners-tier-\d+" '
        r'data-prize="([^"]*)" data-place="(\d+)"',
        winners_part(html),
    )


def cards(html: str) -> dict[str, str]:
    """Entry code → the markup of its winner's card, in page order."""
    found = re.findall(
        r'<li class="winner-card[^"]*" id="winner-(\d+)"[^>]*>(.*?)</li>',
        winners_part(html),
        re.S,
    )
    return dict(found)


def tier_of_cards(html: str) -> dict[str, list[str]]:
    """Prize → the entry codes of its cards, in page order."""
    part = winners_part(html)
    shown: dict[str, list[str]] = {}
    for section in re.split(r'(?=<section class="winners-tier )', part)[1:]:
        prize = re.search(r'data-prize="([^"]*)"', section).group(1)
        shown[prize] = re.findall(r'id="winner-(\d+)"', section)
    return shown


def ranking_rows(html: str) -> list[str]:
    """The entry codes of the full ranking's table, in page order."""
    return re.findall(r'<tr id="result-(\d+)"', element(html, "results-listing"))


def matching(html: str) -> int:
    return int(re.search(r'id="results-count" data-matching="(\d+)"', html).group(1))


# --- the winners ---------------------------------------------------------------------------


def test_the_winners_lead_tier_by_tier_in_the_tiers_order(published, client):
    rows = Publication.objects.get(contest=published).snapshot["rows"]
    html = page(client, published)
    assert tiers_shown(html) == [
        ("tier-1", "一等奖", "1"),
        ("tier-2", "二等奖", "2"),
        ("tier-3", "三等奖", "3"),
    ]
    expected = {
        name: [row["entry"] for row in rows if row["prize"] == name]  # rank order
        for name in ("一等奖", "二等奖", "三等奖")
    }
    assert [len(codes) for codes in expected.values()] == [1, 2, 3]
    assert tier_of_cards(html) == expected


def test_the_winners_follow_the_order_of_the_tiers_not_of_the_ranks(published, client):
    PrizeTier.objects.filter(contest=published, name="三等奖").update(position=0)
    PrizeTier.objects.filter(contest=published, name="一等奖").update(position=5)
    html = page(client, published)
    assert [prize for _colour, prize, _place in tiers_shown(html)] == ["三等奖", "二等奖", "一等奖"]
    assert [colour for colour, _prize, _place in tiers_shown(html)] == [
        "tier-1",
        "tier-2",
        "tier-3",
    ]


def test_a_winners_card_names_the_work_author_and_unit_with_its_published_thumbnail(
    published, client
):
    html = page(client, published)
    winners = Entry.objects.filter(contest=published, award__isnull=False).select_related(
        "author", "unit"
    )
    for entry in winners:
        card = cards(html)[entry.code]
        assert entry.title in card
        assert entry.author.name in card
        assert entry.unit.name in card
        assert entry.unit.code not in card
        first = EntryFile.objects.filter(entry=entry).order_by("position", "pk").first()
        thumbnail = reverse("media:rendition", args=[first.asset_id, "thumbnail"])
        assert f'<img src="{thumbnail}"' in card


def test_an_unpublished_photo_is_never_shown_even_to_a_signed_in_visitor(
    published, client, client_as
):
    winner = Award.objects.get(contest=published, tier__name="一等奖").entry
    photos = EntryFile.objects.filter(entry=winner).values("asset_id")
    assert MediaAsset.objects.filter(pk__in=photos).update(published_at=None)
    for visitor in (client, client_as("federation_admin")):
        html = page(visitor, published)
        card = cards(html)[winner.code]
        assert "<img" not in card
        assert "thumb-placeholder" in card
        assert "/signed/" not in winners_part(html)
        others = [code for code in cards(html) if code != winner.code]
        assert all("<img" in cards(html)[code] for code in others)


def test_nothing_unpublished_is_shown_before_the_correction_is_published(
    published, organiser, client
):
    tier = PrizeTier.objects.get(contest=published, name="三等奖")
    dropped = Award.objects.filter(contest=published, tier=tier).first().entry
    loser = others_of(published)[0]
    services.award_set(acting_user=organiser, entry=dropped, tier=None, reason="复核")
    services.award_set(acting_user=organiser, entry=loser, tier=tier, reason="复核后补")
    Entry.objects.filter(pk=dropped.pk).update(title="改过的标题")
    html = page(client, published)
    assert dropped.code in tier_of_cards(html)["三等奖"]
    assert loser.code not in cards(html)
    assert "改过的标题" not in html
    assert re.search(rf'id="result-{loser.code}" data-rank="\d+" data-prize=""', html)

    publish(published, organiser, reason="更正三等奖")
    html = page(client, published)
    assert loser.code in tier_of_cards(html)["三等奖"]
    assert dropped.code not in cards(html)
    assert "改过的标题" in html  # published now: the snapshot holds the new title
    old = page(client, published, version="1")
    assert dropped.code in tier_of_cards(old)["三等奖"]


# --- the full ranking: search and pages ----------------------------------------------------


def test_the_search_finds_by_author(published, client):
    rows = Publication.objects.get(contest=published).snapshot["rows"]
    html = page(client, published, q="作者3")
    assert ranking_rows(html) == [row["entry"] for row in rows if row["author"] == "作者3"]
    assert matching(html) == 1
    # a part of a name finds every name holding it, in rank order
    html = page(client, published, q="作者1")
    expected = [row["entry"] for row in rows if row["author"] in ("作者1", "作者10", "作者11")]
    assert ranking_rows(html) == expected
    assert len(expected) == 3


def test_the_search_finds_by_unit(published, organiser, world, client):
    # the fixture's two grassroots unions share a name: tell one apart before a correction
    Unit.objects.filter(pk=world.other_grassroots.pk).update(name="奉节县电力公司工会")
    publish(published, organiser, reason="单位更名")
    rows = Publication.objects.get(contest=published, version=2).snapshot["rows"]
    expected = [row["entry"] for row in rows if row["unit"] == "奉节县电力公司工会"]
    assert 0 < len(expected) < len(rows)
    html = page(client, published, q="电力公司")
    assert ranking_rows(html) == expected
    assert matching(html) == len(expected)


def test_the_search_finds_by_title_and_every_word_must_match(published, client):
    rows = Publication.objects.get(contest=published).snapshot["rows"]
    by_title = next(row for row in rows if row["title"] == "作品7")
    assert ranking_rows(page(client, published, q="作品7")) == [by_title["entry"]]
    # full-width letters and case folded; two words: title and author of one entry
    assert ranking_rows(page(client, published, q=f"作品７ {by_title['author']}")) == [
        by_title["entry"]
    ]
    assert ranking_rows(page(client, published, q="作品7 作者3")) == []


def test_a_search_that_matches_nothing_shows_no_row(published, client):
    html = page(client, published, q="没有这样的作品")
    assert ranking_rows(html) == []
    assert matching(html) == 0
    # the winners stay: the search is of the ranking
    assert len(cards(html)) == 6


def test_the_search_form_works_without_script_and_reloads_only_the_ranking_with_htmx(
    published, client
):
    html = page(client, published, q="作者3")
    form = re.search(r'<form method="get"[^>]*id="results-filters"[^>]*>', html).group(0)
    assert 'hx-get="' + results_url(published) + '"' in form
    assert 'hx-select="#results-listing"' in form
    assert re.search(r'<input type="search" name="q" id="results-q" value="作者3"', html)
    partial = client.get(results_url(published), {"q": "作者3"}, headers={"HX-Request": "true"})
    assert ranking_rows(partial.content.decode()) == ranking_rows(html)


@pytest.fixture
def long_contest(world, organiser):
    """230 ranked entries, 200 prizes in four tiers (``ranked_contest``), published."""
    return ranked_contest(
        organiser=organiser, units=[world.grassroots, world.other_grassroots], size=230, slug="long"
    )


def test_the_ranking_is_paged_fifty_rows_a_page(long_contest, client):
    rows = Publication.objects.get(contest=long_contest).snapshot["rows"]
    first = page(client, long_contest)
    assert ranking_rows(first) == [row["entry"] for row in rows[:50]]
    assert matching(first) == 230
    last = page(client, long_contest, page="5")
    assert ranking_rows(last) == [row["entry"] for row in rows[200:]]
    # a search is paged too, and the pager keeps it
    searched = page(client, long_contest, q="作品1")
    expected = [row["entry"] for row in rows if "作品1" in row["title"]]
    assert len(expected) == 1 + 10 + 100  # 作品1, 作品10–19, 作品100–199
    assert matching(searched) == 111
    assert ranking_rows(searched) == expected[:50]
    assert "?q=%E4%BD%9C%E5%93%811&page=2" in searched
    assert ranking_rows(page(client, long_contest, q="作品1", page="3")) == expected[100:]


# --- scores and the fold -------------------------------------------------------------------


def test_scores_show_two_decimals_rounded_half_up(judged_contest, organiser, client):
    top = Result.objects.get(round=judged_contest.test_round, rank=1)
    Result.objects.filter(pk=top.pk).update(score=2.675, low=2.665, high=2.685)
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    publish(judged_contest, organiser)
    row = Publication.objects.get(contest=judged_contest).snapshot["rows"][0]
    assert (row["score"], row["low"], row["high"]) == ("2.6750", "2.6650", "2.6850")
    assert f"{2.675:.2f}" == "2.67"  # what float formatting would have shown
    html = page(client, judged_contest)
    table_row = re.search(rf'<tr id="result-{row["entry"]}".*?</tr>', html, re.S).group(0)
    assert '<td class="num" data-score="2.6750">2.68</td>' in table_row
    intervals = element(html, "results-intervals")
    assert re.search(
        rf'<td class="mono">{row["entry"]}</td>\s*<td class="num">2.68</td>', intervals
    )
    assert "2.67 – 2.69" in intervals  # 2.665 and 2.685 half up
    assert "2.6750" not in re.sub(r'data-score="[^"]*"', "", element(html, "results-listing"))


def test_the_digest_intervals_and_verification_are_folded_under_how_it_was_judged(
    published, client
):
    publication = Publication.objects.get(contest=published)
    html = page(english_client(), published)
    fold = re.search(
        r'<details class="card results-notes" id="results-notes">(.*?)</details>', html, re.S
    )
    assert fold
    notes = fold.group(1)
    assert re.search(r"<summary>\s*How the results were judged\s*</summary>", notes)
    assert f'id="results-digest">{publication.digest}</code>' in notes
    assert 'id="results-verify-help"' in notes
    assert 'id="results-intervals"' in notes
    assert 'id="results-snapshot-download"' in notes
    before = html[: html.index('id="results-notes"')]
    assert publication.digest not in before  # not leading: folded, for those who want it
    assert 'id="results-verify-help"' not in before


def test_the_results_page_sets_no_cookie(published, client):
    for params in ({}, {"q": "作者3"}, {"page": "1", "prize": "*"}):
        response = client.get(results_url(published), params)
        assert response.status_code == 200
        assert not response.cookies
        assert "sessionid" not in response.cookies
        assert "csrftoken" not in response.cookies
