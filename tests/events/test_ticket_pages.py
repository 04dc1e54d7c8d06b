"""The holder's ticket page and PDF, and a team's badges: the QR code drawn from the signed
payload, the typed code, the holder's name and never their numbers; someone else's ticket not
found; a ticket gone with its registration, saying why."""

import re

import pypdfium2
import pytest
import segno
from django.conf import settings
from django.urls import reverse

from laurel.events import services
from tests.conftest import make_member
from tests.events.conftest import slot_of
from tests.events.test_member import verified_client


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text."""
    return [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf)]


def numbers_of(member) -> list[str]:
    """What must never be printed: the ID-card number, the mobile, and its last four digits."""
    return [member.id_card, member.mobile, member.mobile[-4:]]


@pytest.fixture
def held(event_factory, member_self):
    """The ``member`` user's registration at 花艺馆 09:00, with its ticket."""
    event = event_factory()
    return services.registration_create(
        acting_user=None, event=event, slot=slot_of(event, "花艺馆", 9), member=member_self
    ).registration


@pytest.fixture
def team_held(event_factory, district_team, users):
    """The district's team of three, registered by its unit admin at 剪纸馆 09:00."""
    event = event_factory()
    return services.registration_create(
        acting_user=users["unit_admin"],
        event=event,
        slot=slot_of(event, "剪纸馆", 9),
        team=district_team,
    ).registration


# --- the ticket page ------------------------------------------------------------------------


def test_the_ticket_page_draws_the_qr_code_of_the_signed_payload(held, client_as):
    text = services.ticket_of(held)
    page = client_as("member").get(reverse("events:ticket", args=[held.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-payload="{text.payload}"' in html
    drawn = re.search(r'<svg[^>]*class="ticket-qr-code".*?</svg>', html, re.DOTALL).group(0)
    expected = segno.make_qr(text.payload, error="m").svg_inline(scale=1)
    path = re.search(r' d="([^"]+)"', expected).group(1)
    assert f' d="{path}"' in drawn  # the very modules of the payload's QR code
    assert f'id="ticket-code">{text.code}<' in html
    assert "李明" in html
    assert "花艺馆" in html
    for number in numbers_of(held.member):
        assert number not in html


def test_a_verified_person_sees_their_ticket_and_nobody_else_does(held, world, client_as):
    url = reverse("events:ticket", args=[held.pk])
    assert verified_client(held.member).get(url).status_code == 200
    stranger = verified_client(make_member(world.grassroots, 77))
    assert stranger.get(url).status_code == 404
    assert stranger.get(reverse("events:ticket_pdf", args=[held.pk])).status_code == 404
    assert client_as("judge").get(url).status_code == 404  # signed in, not theirs


def test_a_cancelled_registration_shows_no_ticket_and_says_why(held, client_as):
    payload = services.ticket_of(held).payload
    services.registration_cancel(acting_user=None, registration=held)
    client = client_as("member")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("events:ticket", args=[held.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert payload not in html
    assert re.search(r'id="no-ticket">This registration was cancelled', html)
    assert 'class="ticket-qr' not in html
    assert client.get(reverse("events:ticket_pdf", args=[held.pk])).status_code == 404


def test_the_registration_links_its_ticket_while_it_holds_one(held, client_as):
    client = client_as("member")
    url = reverse("events:ticket", args=[held.pk])
    assert url in client.get(reverse("events:registration", args=[held.pk])).content.decode()
    services.registration_cancel(acting_user=None, registration=held)
    assert url not in client.get(reverse("events:registration", args=[held.pk])).content.decode()


def test_a_teams_ticket_names_the_team_and_its_members(team_held, district_team, world):
    leader = verified_client(district_team.leader)
    html = leader.get(reverse("events:ticket", args=[team_held.pk])).content.decode()
    assert "永川区代表队" in html
    for member in district_team.members.all():
        assert member.name in html
        for number in numbers_of(member):
            assert number not in html


# --- the ticket as PDF ------------------------------------------------------------------------


def test_the_ticket_pdf_is_one_a6_page_with_the_name_and_code_and_no_numbers(held, client_as):
    text = services.ticket_of(held)
    response = client_as("member").get(reverse("events:ticket_pdf", args=[held.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    document = pypdfium2.PdfDocument(response.content)
    assert len(document) == 1
    width, height = document[0].get_size()  # points: A6 is 105 × 148 mm
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (105, 148)
    [page] = pdf_pages(response.content)
    assert "李明" in page
    assert text.code in page
    assert "花艺馆" in page
    for number in numbers_of(held.member):
        assert number not in page


# --- a team's badges --------------------------------------------------------------------------


def test_a_teams_badges_are_one_page_a_member_each_with_the_teams_code(
    team_held, district_team, client_as
):
    code = services.ticket_of(team_held).code
    url = reverse("events:console_team_badges", args=[team_held.event.slug, team_held.pk])
    response = client_as("unit_admin").get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    pages = pdf_pages(response.content)
    members = list(district_team.members.all())
    assert len(pages) == len(members) == 3
    text = "\n".join(pages)
    for member in members:
        assert text.count(member.name) == 1
        assert sum(member.name in page for page in pages) == 1
        for number in numbers_of(member):
            assert number not in text
    assert all(code in page and "永川区代表队" in page for page in pages)


def test_badges_are_for_team_registrations_only(held, client_as):
    url = reverse("events:console_team_badges", args=[held.event.slug, held.pk])
    assert client_as("federation_admin").get(url).status_code == 404


def test_the_registrations_list_links_a_registered_teams_badges(team_held, client_as):
    event = team_held.event
    url = reverse("events:console_team_badges", args=[event.slug, team_held.pk])
    listing = reverse("events:console_registrations", args=[event.slug])
    client = client_as("federation_admin")
    assert url in client.get(listing).content.decode()
    services.registration_cancel(acting_user=None, registration=team_held)
    assert url not in client.get(listing).content.decode()
    assert client.get(url).status_code == 404
