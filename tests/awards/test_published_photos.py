"""Publishing results makes the winners' photos public, and only theirs; a correction that
takes a prize away makes that entry's photos private again."""

import re

from django.test import Client
from django.urls import reverse

from laurel.awards import services
from laurel.awards.models import Award
from laurel.contests.models import Entry, EntryFile
from laurel.media.models import MediaAsset
from tests.helpers import response_body


def public_urls(entry: Entry) -> list[str]:
    return [
        reverse("media:rendition", args=[photo.asset_id, name])
        for photo in EntryFile.objects.filter(entry=entry)
        for name in ("thumbnail", "display")
    ]


def status_of(url: str) -> int:
    response = Client().get(url)
    response_body(response)  # read, so that a file response is closed
    return response.status_code


def test_publishing_makes_the_winners_photos_public_and_only_theirs(judged_contest, users):
    organiser = users["federation_admin"]
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    winners = list(Entry.objects.filter(contest=judged_contest, award__isnull=False))
    others = list(Entry.objects.filter(contest=judged_contest, award__isnull=True))
    assert winners
    assert others
    for entry in winners + others:  # judged, prizes proposed: nothing public yet
        for url in public_urls(entry):
            assert status_of(url) == 404, url

    services.results_publish(acting_user=organiser, contest=judged_contest)

    for entry in winners:
        for url in public_urls(entry):
            response = Client().get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"] == "image/jpeg"
            assert response["Cache-Control"].startswith("public")
    for entry in others:
        for url in public_urls(entry):
            assert status_of(url) == 404, url
    # every photo the exhibition shows can be fetched by anyone
    html = Client().get(reverse("awards:exhibition", args=[judged_contest.slug])).content.decode()
    sources = re.findall(r'<img [^>]*src="([^"]+)"', html)
    assert sources
    for src in sources:
        assert status_of(src) == 200, src


def test_a_correction_that_takes_a_prize_away_makes_the_photos_private_again(judged_contest, users):
    organiser = users["federation_admin"]
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    services.results_publish(acting_user=organiser, contest=judged_contest)
    loser = Award.objects.filter(contest=judged_contest, tier__name="三等奖").first().entry
    assert all(status_of(url) == 200 for url in public_urls(loser))

    services.award_set(acting_user=organiser, entry=loser, tier=None, reason="署名有误")
    services.results_publish(acting_user=organiser, contest=judged_contest, reason="更正")

    for url in public_urls(loser):
        assert status_of(url) == 404, url
    photos = EntryFile.objects.filter(entry=loser).values("asset")
    assets = MediaAsset.objects.filter(pk__in=photos)
    assert not assets.filter(published_at__isnull=False).exists()
    still = Award.objects.filter(contest=judged_contest).first().entry
    assert all(status_of(url) == 200 for url in public_urls(still))
