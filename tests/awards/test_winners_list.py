"""获奖名单 (``awards.winners_list``): a published version's winners, tier by tier in the
tiers' order, each winner in rank order with title, author and unit; page numbers; drawn
from the snapshot only (a prize changed and not yet published is not on it); public once
published, 404 before.

``published`` (tests/awards/conftest.py) gives 一等奖 × 1, 二等奖 × 2, 三等奖 × 3 down the
ranking of 12 entries (entry n's quality falls with n, so 作品0 is first).
"""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from laurel.awards import services
from laurel.awards.models import Publication
from laurel.awards.winners_list import winners_by_tier
from laurel.contests.models import PrizeTier


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def winners_list(client, contest, **query) -> bytes:
    cache.clear()  # each request draws the list afresh (it is cached per version)
    response = client.get(reverse("awards:winners_list", args=[contest.slug]), query)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_winners_list_shows_each_tier_in_order_with_its_winners_in_rank_order(
    published, client
):
    snapshot = Publication.objects.get(contest=published).snapshot
    text = "\n".join(pdf_pages(winners_list(client, published)))
    assert "获奖名单" in text
    assert published.title in text
    assert "第 1 版" in text
    # the tiers in order, each winner on its line (code, title, author, unit) in the
    # snapshot's rank order under its tier
    expected = []
    for tier in ("一等奖", "二等奖", "三等奖"):
        winners = [row for row in snapshot["rows"] if row["prize"] == tier]
        assert winners
        expected.append(f"{tier} （{len(winners)} 件）")
        expected += [
            f"{n} {row['entry']} 《{row['title']}》 {row['author']} {row['unit']}"
            for n, row in enumerate(winners, start=1)
        ]
    lines = [line for line in text.splitlines() if "《" in line or "件）" in line]
    assert lines == expected
    # an entry with no prize is not listed
    loser = next(row for row in snapshot["rows"] if not row["prize"])
    assert f"《{loser['title']}》" not in text


def test_every_page_is_numbered(published, client):
    pages = pdf_pages(winners_list(client, published))
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page


def test_a_prize_changed_since_publication_is_not_on_the_list_until_published(
    published, client, organiser
):
    snapshot = Publication.objects.get(contest=published).snapshot
    first = next(row for row in snapshot["rows"] if row["prize"] == "一等奖")
    loser = next(row for row in snapshot["rows"] if not row["prize"])
    entries = {entry.code: entry for entry in published.test_entries}
    services.award_set(
        acting_user=organiser, entry=entries[first["entry"]], tier=None, reason="复核"
    )
    services.award_set(
        acting_user=organiser,
        entry=entries[loser["entry"]],
        tier=PrizeTier.objects.get(contest=published, name="一等奖"),
        reason="复核",
    )
    text = "\n".join(pdf_pages(winners_list(client, published)))
    assert f"《{first['title']}》" in text  # still as published
    assert f"《{loser['title']}》" not in text
    # published as a correction, the list is the new version's
    services.results_publish(acting_user=organiser, contest=published, reason="复核更正")
    text = "\n".join(pdf_pages(winners_list(client, published)))
    assert f"《{loser['title']}》" in text
    assert f"《{first['title']}》" not in text
    assert "第 2 版" in text
    assert "复核更正" in text
    # the first version stays available as it was
    text = "\n".join(pdf_pages(winners_list(client, published, version=1)))
    assert f"《{first['title']}》" in text


def test_there_is_no_winners_list_before_publication(judged_contest, organiser, client):
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    response = client.get(reverse("awards:winners_list", args=[judged_contest.slug]))
    assert response.status_code == 404


def test_both_results_pages_link_to_the_list(published, client, client_as):
    url = reverse("awards:winners_list", args=[published.slug])
    public = client.get(reverse("awards:public_results", args=[published.slug]))
    assert url.encode() in public.content
    console = client_as("federation_admin").get(
        reverse("awards:console_results", args=[published.slug])
    )
    assert url.encode() in console.content


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (["一等奖", "二等奖"], ["一等奖", "二等奖", "纪念奖"]),
        (["二等奖", "一等奖"], ["二等奖", "一等奖", "纪念奖"]),
    ],
)
def test_tiers_follow_the_contests_order_and_a_tier_it_no_longer_has_comes_last(order, expected):
    rows = [
        {"entry": "0003", "prize": "纪念奖"},
        {"entry": "0001", "prize": "一等奖"},
        {"entry": "0002", "prize": "二等奖"},
        {"entry": "0004", "prize": ""},
        {"entry": "0005", "prize": "一等奖"},
    ]
    tiers = winners_by_tier(rows, order)
    assert [tier.name for tier in tiers] == expected
    assert [row["entry"] for row in tiers[expected.index("一等奖")].winners] == ["0001", "0005"]
