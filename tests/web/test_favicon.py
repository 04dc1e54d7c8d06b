"""Every page links Laurel's own icon, and /favicon.ico (which browsers ask for anyway)
leads to it instead of a 404."""

import re

from django.test import Client
from django.urls import reverse


def icon_href(page: str) -> str:
    [href] = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    return href


def test_every_page_links_the_laurel_icon_and_it_is_served(db):
    client = Client()
    href = icon_href(client.get(reverse("accounts:login")).content.decode())
    assert href.startswith("/static/laurel/favicon")
    icon = client.get(href)
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    svg = b"".join(icon.streaming_content)
    icon.close()
    assert svg.startswith(b"<svg")
    assert b"<path" in svg


def test_favicon_ico_leads_to_the_linked_icon(db):
    client = Client()
    href = icon_href(client.get(reverse("accounts:login")).content.decode())
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == href
    followed = client.get("/favicon.ico", follow=True)
    followed.close()
    assert followed.status_code == 200
