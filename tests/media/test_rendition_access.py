"""Nothing of an unpublished entry is public: its photo's thumbnail and display copy are not
found by their public URL; the entrant and the organisers see them on their pages by URLs
bound to them, which nobody else can use. A loose upload is public to nobody."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from laurel.media import services
from laurel.media.models import MediaAsset
from tests.contests.conftest import (  # noqa: F401 - fixtures used here
    ALL_DECLARATIONS,
    contest,
    contest_factory,
    member_entry_submit,
    member_self,
    photo_upload,
)
from tests.helpers import jpeg, photo, response_body


def body(response) -> bytes:
    return response_body(response)


def status(client, url: str) -> int:
    response = client.get(url)
    response_body(response)  # read, so that a file response is closed
    return response.status_code


def public_urls(asset: MediaAsset) -> list[str]:
    return [reverse("media:rendition", args=[asset.pk, name]) for name in ("thumbnail", "display")]


def image_sources(html: str, section_id: str | None = None) -> list[str]:
    if section_id is not None:
        html = html[html.index(f'id="{section_id}"') :]
    return re.findall(r'<img [^>]*src="([^"]+)"', html)


@pytest.fixture
def open_entry(contest, member_self, users, django_capture_on_commit_callbacks):  # noqa: F811
    """The member's entry in an open contest, processed and accepted."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = member_entry_submit(contest, member_self, users, title="工地的早晨", seed=7)
    entry.refresh_from_db()
    assert entry.state == "accepted"
    return entry


@pytest.fixture
def stranger(world, make_user):
    """Another member of the same grassroots union: signed in, but not the entrant."""
    user = make_user("member", world.grassroots)
    client = Client()
    client.force_login(user)
    return client


def test_an_open_contests_entry_is_not_found_by_its_public_url(open_entry, client_as, stranger):
    asset = open_entry.files.get().asset
    assert asset.status == MediaAsset.Status.READY
    for url in public_urls(asset):
        for client in (Client(), stranger, client_as("member"), client_as("federation_admin")):
            assert status(client, url) == 404, url


@pytest.mark.parametrize(
    ("page", "section"),
    [("contests:my_entry", "entry-photos"), ("contests:my_entries", None)],
)
def test_the_entrant_sees_their_photo_by_a_url_only_they_can_use(
    open_entry, client_as, stranger, page, section
):
    entrant = client_as("member")
    html = entrant.get(reverse(page, args=[open_entry.pk] if section else [])).content.decode()

    sources = image_sources(html, section)
    assert sources
    for src in sources:
        assert src.startswith("/media/s/")
        response = entrant.get(src)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "public" not in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
        assert body(response)[:2] == b"\xff\xd8"
        # the same URL in anyone else's hands is nothing
        for other in (stranger, Client(), client_as("federation_admin")):
            assert status(other, src) == 404


@pytest.mark.parametrize("role", ["federation_admin", "unit_admin"])
def test_the_organisers_see_the_photo_on_the_console_by_their_own_url(
    open_entry, client_as, stranger, role
):
    organiser = client_as(role)
    url = reverse("contests:console_entry", args=[open_entry.contest.slug, open_entry.number])
    html = organiser.get(url).content.decode()

    sources = image_sources(html, "entry-photos")
    assert sources
    for src in set(sources):
        assert src.startswith("/media/s/")
        response = organiser.get(src)
        assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
        body(response)
        others = {"federation_admin", "unit_admin"} - {role}
        for other in (stranger, Client(), client_as("member"), *map(client_as, others)):
            assert status(other, src) == 404


def test_a_signed_rendition_url_is_bound_to_its_user(open_entry, users):
    asset = open_entry.files.get().asset
    url = services.rendition_url(users["member"], asset, "display")
    assert services.signed_read(url.rstrip("/").rsplit("/", 1)[1]).user_id == users["member"].pk
    assert services.rendition_url(None, asset, "display") is None  # no viewer, no URL


def test_a_loose_upload_is_public_to_nobody(
    users, client_as, stranger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asset = services.asset_upload(
            acting_user=users["member"], chunks=[jpeg(photo(3, (800, 600)))], original_name="a.jpg"
        )
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY
    for url in public_urls(asset):
        for client in (Client(), stranger, client_as("member")):
            assert status(client, url) == 404, url
