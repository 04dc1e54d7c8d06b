"""A NUL character in a parameter is a 400 everywhere: PostgreSQL stores none, so a search or
a saved text holding one was a 500 there (SQLite took it, so only that run showed it)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

FORM = "application/x-www-form-urlencoded"  # as browsers post a form without files


@pytest.mark.parametrize(
    "query",
    [{"q": "张\x00三"}, {"q\x00": "x"}, {"unit": "\x00"}],
)
def test_a_nul_in_the_query_string_is_a_bad_request(query, client_as):
    response = client_as("federation_admin").get(reverse("members:member_list"), query)
    assert response.status_code == 400


def test_a_nul_in_a_posted_form_is_a_bad_request(client_as):
    client = client_as("anonymous")
    body = urlencode({"username": "admin\x00", "password": "x"})
    response = client.post(reverse("accounts:login"), body, content_type=FORM)
    assert response.status_code == 400


def test_the_same_requests_without_nul_are_answered(client_as):
    assert (
        client_as("federation_admin").get(reverse("members:member_list"), {"q": "张三"}).status_code
        == 200
    )
    body = urlencode({"username": "admin", "password": "x"})
    response = client_as("anonymous").post(reverse("accounts:login"), body, content_type=FORM)
    assert response.status_code == 200  # the form again, with its error


@pytest.mark.postgres
def test_on_postgresql_a_nul_search_would_fail_without_the_refusal(client_as, settings):
    """The fault the refusal prevents, shown on PostgreSQL: without the middleware the unit
    picker's search holding a NUL is a 500 (psycopg refuses the string). (A list's search is a
    form field, which refuses NUL itself.)"""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.endswith("NulCharacterRefusalMiddleware")
    ]
    client = client_as("federation_admin")
    client.raise_request_exception = False
    response = client.get(reverse("orgs:unit_pick"), {"q": "张\x00三"})
    assert response.status_code == 500
