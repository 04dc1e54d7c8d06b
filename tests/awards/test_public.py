"""The public pages of a contest's outcome: the published results (the snapshot, never live
data), the exhibition by phase (cached, few queries), a work's page, the certificate check."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurel.awards import services
from laurel.awards.models import Award, Certificate, Publication
from laurel.contests.models import Contest, Entry, EntryFile, PrizeTier
from laurel.contests.services import contest_update
from tests.conftest import english_client

HEX64 = re.compile(r"[0-9a-f]{64}")


def element(html: str, element_id: str) -> str:
    """The text inside the element with this id (it holds no element of the same tag)."""
    found = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, f"#{element_id} is not on the page"
    return found.group(2)


def work_ids(html: str) -> set[str]:
    return set(re.findall(r'<a [^>]*\bid="work-(\d+)"', html))


def renditions_of(entry: Entry, name: str) -> list[str]:
    return [reverse("media:rendition", args=[p.asset_id, name]) for p in entry.files.all()]


def publish(contest: Contest, organiser, reason: str = "") -> Publication:
    return services.results_publish(acting_user=organiser, contest=contest, reason=reason)


def winners_of(contest: Contest) -> list[Entry]:
    return list(
        Entry.objects.filter(contest=contest, award__isnull=False)
        .select_related("author")
        .order_by("number")
    )


def others_of(contest: Contest) -> list[Entry]:
    return list(Entry.objects.filter(contest=contest, award__isnull=True).order_by("number"))


def urls(contest: Contest) -> dict[str, str]:
    return {
        "results": reverse("awards:public_results", args=[contest.slug]),
        "exhibition": reverse("awards:exhibition", args=[contest.slug]),
    }


# --- results -------------------------------------------------------------------------------


def test_nothing_is_public_before_publication(judged_contest, organiser, client):
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    winner = winners_of(judged_contest)[0]
    assert client.get(urls(judged_contest)["results"]).status_code == 404
    assert client.get(urls(judged_contest)["exhibition"]).status_code == 404
    work = reverse("awards:exhibition_work", args=[judged_contest.slug, winner.code])
    assert client.get(work).status_code == 404
    assert client.get(urls(judged_contest)["results"] + "?format=json").status_code == 404


def test_results_show_the_published_snapshot_with_its_digest(
    published, client, django_assert_max_num_queries
):
    publication = Publication.objects.get(contest=published)
    # the contest, its versions, the shown snapshot, the tiers' order, the winners' photos
    with django_assert_max_num_queries(5):
        response = client.get(urls(published)["results"])
    assert response.status_code == 200
    html = response.content.decode()
    digest = element(html, "results-digest")
    assert HEX64.fullmatch(digest)
    assert digest == publication.digest
    assert re.search(r'id="results-version" data-version="1"', html)
    history = element(html, "publication-history")
    assert publication.digest in history
    for row in publication.snapshot["rows"]:
        assert f'id="result-{row["entry"]}"' in html
        assert f'data-prize="{row["prize"]}"' in html
    first = Award.objects.get(contest=published, tier__name="一等奖").entry
    assert re.search(rf'id="result-{first.code}" data-rank="1" data-prize="一等奖"', html)
    assert reverse("awards:exhibition", args=[published.slug]) in html


def test_the_downloadable_snapshot_hashes_to_the_digest(published, client):
    publication = Publication.objects.get(contest=published)
    response = client.get(urls(published)["results"] + "?format=json")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == publication.digest


def test_results_read_the_snapshot_not_the_live_data(published, client):
    entry = winners_of(published)[0]
    old_title = entry.title
    Entry.objects.filter(pk=entry.pk).update(title="改过的标题")
    Award.objects.filter(entry=entry).delete()
    html = client.get(urls(published)["results"]).content.decode()
    assert old_title in html
    assert "改过的标题" not in html
    assert re.search(rf'id="result-{entry.code}" data-rank="\d+" data-prize="\S+"', html)


def test_results_filter_by_prize_and_category(published, client):
    rows = Publication.objects.get(contest=published).snapshot["rows"]
    html = client.get(urls(published)["results"], {"prize": "三等奖"}).content.decode()
    shown = set(re.findall(r'id="result-(\d+)"', html))
    assert shown == {row["entry"] for row in rows if row["prize"] == "三等奖"}
    assert len(shown) == 3
    category = rows[0]["category"]
    html = client.get(urls(published)["results"], {"prize": "*", "category": category})
    shown = set(re.findall(r'id="result-(\d+)"', html.content.decode()))
    assert shown == {row["entry"] for row in rows if row["prize"] and row["category"] == category}
    assert shown


def test_a_correction_is_a_new_version_and_the_history_shows_both(published, organiser, client):
    first = Publication.objects.get(contest=published)
    loser = others_of(published)[0]
    tier = PrizeTier.objects.get(contest=published, name="三等奖")
    dropped = Award.objects.filter(contest=published, tier=tier).first().entry
    services.award_set(acting_user=organiser, entry=dropped, tier=None, reason="复核")
    services.award_set(acting_user=organiser, entry=loser, tier=tier, reason="复核后补")
    second = publish(published, organiser, reason="更正三等奖")
    html = client.get(urls(published)["results"]).content.decode()
    assert element(html, "results-digest") == second.digest
    history = element(html, "publication-history")
    assert first.digest in history
    assert second.digest in history
    assert "更正三等奖" in history
    assert re.search(rf'id="result-{loser.code}" data-rank="\d+" data-prize="三等奖"', html)
    old = client.get(urls(published)["results"], {"version": "1"}).content.decode()
    assert element(old, "results-digest") == first.digest
    assert client.get(urls(published)["results"], {"version": "9"}).status_code == 404


# --- the exhibition ------------------------------------------------------------------------


def test_the_open_exhibition_shows_every_winner_with_public_renditions_only(published, client):
    response = client.get(urls(published)["exhibition"])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="exhibition-gallery"' in html
    assert 'id="exhibition-archive"' not in html
    assert 'id="exhibition-coming"' not in html
    winners = winners_of(published)
    assert work_ids(html) == {entry.code for entry in winners}
    for entry in winners:
        assert entry.title in html
        assert entry.author.name in html
        for url in renditions_of(entry, "thumbnail"):
            assert url in html
    first = Award.objects.get(contest=published, tier__name="一等奖").entry
    for url in renditions_of(first, "display"):
        assert url in html
    for entry in others_of(published):
        for name in ("thumbnail", "display"):
            for url in renditions_of(entry, name):
                assert url not in html
        assert f'id="work-{entry.code}"' not in html
    assert "/media/s/" not in html
    assert 'loading="lazy"' in html
    assert re.search(r'<img [^>]*width="\d+" height="\d+"', html)
    # tiers in the contest's order
    assert html.index("一等奖") < html.index("二等奖") < html.index("三等奖")


def test_the_exhibition_follows_its_dates(published, client):
    today = timezone.localdate()
    Contest.objects.filter(pk=published.pk).update(
        exhibition_opens_on=today + datetime.timedelta(days=5),
        exhibition_closes_on=today + datetime.timedelta(days=20),
    )
    winner = winners_of(published)[0]
    work = reverse("awards:exhibition_work", args=[published.slug, winner.code])

    coming = client.get(urls(published)["exhibition"]).content.decode()
    assert 'id="exhibition-coming"' in coming
    assert "市劳动人民文化宫" in coming
    assert work_ids(coming) == set()
    assert "/media/" not in coming
    assert client.get(work).status_code == 404

    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        opened = client.get(urls(published)["exhibition"]).content.decode()
        assert 'id="exhibition-gallery"' in opened
        assert 'id="exhibition-archive"' not in opened
        assert winner.code in work_ids(opened)
        assert client.get(work).status_code == 200

    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        archive = client.get(urls(published)["exhibition"]).content.decode()
        assert 'id="exhibition-archive"' in archive
        assert work_ids(archive) == {entry.code for entry in winners_of(published)}
        assert client.get(work).status_code == 200


def test_a_work_page_shows_its_display_renditions_and_neighbours(published, client):
    winners = winners_of(published)
    entry = winners[0]
    response = client.get(reverse("awards:exhibition_work", args=[published.slug, entry.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert element(html, "work-title") == entry.title
    assert element(html, "work-author") == entry.author.name
    for url in renditions_of(entry, "display"):
        assert url in html
    assert "/media/s/" not in html
    # the best work opens the gallery: no previous one, the next one another winner's page
    assert 'id="work-prev"' not in html
    following = re.search(r'id="work-next" rel="next" href="([^"]+)"', html).group(1)
    assert following in {
        reverse("awards:exhibition_work", args=[published.slug, other.code])
        for other in winners[1:]
    }


def test_a_work_page_is_404_for_anything_but_a_winner(published, client):
    for code in [others_of(published)[0].code, "9999", "abc", "1", "00 1", "9" * 300]:
        url = reverse("awards:exhibition_work", args=[published.slug, code])
        assert client.get(url).status_code == 404, code
    assert client.get(reverse("awards:exhibition", args=["x" * 300])).status_code == 404


def test_the_exhibition_is_cached_and_makes_no_query_when_cached(
    published, client, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(4):
        first = client.get(urls(published)["exhibition"])
    with django_assert_num_queries(0):
        again = client.get(urls(published)["exhibition"])
    assert work_ids(first.content.decode()) == work_ids(again.content.decode())
    assert again["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
    assert "sessionid" not in again.cookies


def test_a_signed_in_visitor_gets_their_own_header_around_the_cached_gallery(
    published, client_as, client
):
    anonymous = client.get(urls(published)["exhibition"]).content.decode()
    assert 'id="nav-my-entries"' not in anonymous
    response = client_as("member").get(urls(published)["exhibition"])
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    html = response.content.decode()
    assert 'id="nav-my-entries"' in html
    assert work_ids(html) == work_ids(anonymous)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_public_exhibition_sets_no_cookie_and_its_language_switch_works(published, language):
    """Shared caches keep the page: it may hand no visitor's cookie to the next one. Its
    language switch posts without a CSRF token (nothing in the page is the visitor's)."""
    for page in (urls(published)["exhibition"], work_url(published)):
        for _ in range(2):  # rendered, then from the cache
            visitor = Client(enforce_csrf_checks=True)
            visitor.cookies["django_language"] = language
            response = visitor.get(page)
            assert response.status_code == 200
            assert response["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
            assert not response.cookies, page
            assert "csrfmiddlewaretoken" not in response.content.decode()
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": page})
    assert (switched.status_code, switched["Location"]) == (302, page)
    assert visitor.cookies["django_language"].value == "en"


def work_url(contest: Contest) -> str:
    return reverse("awards:exhibition_work", args=[contest.slug, winners_of(contest)[0].code])


def test_a_correction_gives_the_new_gallery(
    published, organiser, client, django_capture_on_commit_callbacks
):
    before = work_ids(client.get(urls(published)["exhibition"]).content.decode())
    tier = PrizeTier.objects.get(contest=published, name="三等奖")
    dropped = Award.objects.filter(contest=published, tier=tier).first().entry
    loser = others_of(published)[0]
    services.award_set(acting_user=organiser, entry=dropped, tier=None, reason="复核")
    services.award_set(acting_user=organiser, entry=loser, tier=tier, reason="复核后补")
    with django_capture_on_commit_callbacks(execute=True):  # the cache is dropped on commit
        publish(published, organiser, reason="更正三等奖")
    after = work_ids(client.get(urls(published)["exhibition"]).content.decode())
    assert after == before - {dropped.code} | {loser.code}  # at once, whatever the cache
    page = reverse("awards:exhibition_work", args=[published.slug, dropped.code])
    assert client.get(page).status_code == 404


def test_the_cached_gallery_is_kept_per_language(published):
    """A Chinese visitor first, an English one next: each gets the gallery in their language."""
    chinese = Client().get(urls(published)["exhibition"]).content.decode()
    english = english_client().get(urls(published)["exhibition"]).content.decode()
    assert 'class="exhibition-index" aria-label="奖项"' in chinese
    assert 'class="exhibition-index" aria-label="Prizes"' in english


# --- certificates --------------------------------------------------------------------------


def personal_numbers(entry: Entry) -> list[str]:
    return [entry.author.id_card, entry.author.mobile]


def test_a_valid_certificate_is_confirmed_without_personal_numbers(published, client):
    certificate = Certificate.objects.filter(contest=published).first()
    entry = Entry.objects.select_related("author").get(pk=certificate.entry_id)
    response = client.get(reverse("awards:certificate_verify", args=[certificate.number]))
    assert response.status_code == 200
    html = response.content.decode()
    valid = element(html, "certificate-valid")
    assert entry.author.name in valid
    assert certificate.prize in valid
    assert entry.title in valid
    assert 'id="certificate-revoked"' not in html
    for number in personal_numbers(entry):
        assert number
        assert number not in html


def test_a_revoked_certificate_says_so_and_names_its_replacement(published, organiser, client):
    certificate = Certificate.objects.get(contest=published, prize="三等奖", entry__number=6)
    entry = certificate.entry
    second = PrizeTier.objects.get(contest=published, name="二等奖")
    demoted = Award.objects.filter(contest=published, tier=second).last().entry
    services.award_set(acting_user=organiser, entry=demoted, tier=None, reason="复核")
    services.award_set(acting_user=organiser, entry=entry, tier=second, reason="复核后升")
    publish(published, organiser, reason="更正")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    html = client.get(reverse("awards:certificate_verify", args=[certificate.number]))
    html = html.content.decode()
    assert 'id="certificate-revoked"' in html
    assert 'id="certificate-valid"' not in html
    replacement = Certificate.objects.get(entry=entry, revoked_at__isnull=True)
    assert element(html, "certificate-replacement") == replacement.number
    for number in personal_numbers(Entry.objects.select_related("author").get(pk=entry.pk)):
        assert number not in html


def test_an_unknown_certificate_is_404_with_the_form(published, client):
    response = client.get(reverse("awards:certificate_verify", args=["20990000"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert 'id="certificate-unknown"' in html
    assert 'id="certificate-check-form"' in html


def test_the_check_form_leads_to_the_verification_page(published, client):
    certificate = Certificate.objects.filter(contest=published).first()
    assert client.get(reverse("awards:certificate_check")).status_code == 200
    spaced = " ".join([certificate.number[:4], certificate.number[4:8], certificate.number[8:]])
    response = client.get(reverse("awards:certificate_check"), {"number": spaced})
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:certificate_verify", args=[certificate.number])
    bad = client.get(reverse("awards:certificate_check"), {"number": "<script>"})
    assert bad.status_code == 200
    assert 'id="certificate-number-error"' in bad.content.decode()


def test_certificate_checks_are_rate_limited_per_address(published, client):
    url = reverse("awards:certificate_verify", args=["20990000"])
    statuses = [client.get(url).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(url).status_code == 404


# --- never a private file ------------------------------------------------------------------


def test_public_pages_never_link_judge_renditions_or_originals(published, client):
    winners = winners_of(published)
    certificate = Certificate.objects.filter(contest=published).first()
    pages = [
        urls(published)["results"],
        urls(published)["exhibition"],
        reverse("awards:exhibition_work", args=[published.slug, winners[0].code]),
        reverse("awards:certificate_verify", args=[certificate.number]),
    ]
    private = []
    for entry in Entry.objects.filter(contest=published).prefetch_related("files__asset"):
        for photo in entry.files.all():
            private += [photo.asset.original_path, photo.asset.renditions["judge"]]
            private.append(reverse("media:rendition", args=[photo.asset_id, "judge"]))
    for url in pages:
        html = client.get(url).content.decode()
        assert "/media/s/" not in html, url
        for path in private:
            assert path not in html, (url, path)


def test_the_public_cannot_fetch_judge_renditions_or_originals(published, client):
    """Public renditions are thumbnails and display copies; the judge rendition and the
    original are reached only by a signed URL, which the public is never given."""
    asset = EntryFile.objects.filter(entry__contest=published).first().asset
    assert client.get(reverse("media:rendition", args=[asset.pk, "display"])).status_code == 200
    for name in ("judge", "original"):
        assert client.get(reverse("media:rendition", args=[asset.pk, name])).status_code == 404
        forged = reverse("media:signed", args=[f"{asset.pk}:{name}:forged"])
        assert client.get(forged).status_code == 403


def test_a_changed_venue_shows_at_once(
    published, organiser, client, django_capture_on_commit_callbacks
):
    assert "工人文化宫东厅" not in client.get(urls(published)["exhibition"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        contest_update(acting_user=organiser, contest=published, exhibition_venue="工人文化宫东厅")
    assert "工人文化宫东厅" in client.get(urls(published)["exhibition"]).content.decode()
