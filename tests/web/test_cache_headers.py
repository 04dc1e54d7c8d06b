"""What browsers and proxies may keep: nothing shown to a signed-in user (no-store), and a page
shared caches keep (public) sets no cookie. The language switch needs no CSRF token."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils.cache import patch_cache_control

from laurel.accounts.models import Role
from laurel.accounts.services import role_grant
from laurel.members.services import member_user_link
from laurel.members.views import console as members_console
from tests.conftest import make_member


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


# --- no-store where personal numbers show -----------------------------------------------------


def test_a_members_page_for_a_personal_data_holder_is_not_stored(world, users, client_as):
    member = make_member(world.grassroots, 1)
    role_grant(acting_user=None, user=users["federation_admin"], role=Role.PERSONAL_DATA)
    response = client_as("federation_admin").get(reverse("members:member_detail", args=[member.pk]))
    assert response.status_code == 200
    assert 'id="member-id-card"' in response.content.decode()
    assert {"private", "no-store"} <= directives(response)


def test_a_members_own_record_is_not_stored(world, users, client_as):
    member = make_member(world.grassroots, 1)
    member_user_link(acting_user=None, member=member, user=users["member"])
    response = client_as("member").get(reverse("members:my_record"))
    assert member.id_card in response.content.decode()
    assert "no-store" in directives(response)


def test_an_export_of_personal_numbers_is_not_stored(world, users, client_as):
    make_member(world.grassroots, 1)
    response = client_as("unit_admin").get(reverse("members:member_export"))
    assert response.status_code == 200
    assert "no-store" in directives(response)


def test_an_export_says_no_store_itself_without_the_middleware(world, users):
    """Downloads mark themselves (never_cache): the guarantee holds even if the middleware
    list changes."""
    make_member(world.grassroots, 1)
    request = RequestFactory().get(reverse("members:member_export"))
    request.user = users["unit_admin"]
    response = members_console.member_export(request)
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_anonymous_pages_keep_their_own_caching(db):
    response = Client().get(reverse("web:home"))
    assert "no-store" not in directives(response)


# --- public responses set no cookie -------------------------------------------------------------


def public_page_setting_a_cookie(request):
    response = HttpResponse(f"<p>{get_token(request)}</p>")  # as a CSRF token in a form does
    patch_cache_control(response, public=True, max_age=300)
    return response


def public_page(request):
    response = HttpResponse("<p>the same for everyone</p>")
    patch_cache_control(response, public=True, max_age=300)
    return response


urlpatterns = [
    path("public-with-cookie/", public_page_setting_a_cookie),
    path("public/", public_page),
]


@pytest.fixture
def these_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_a_public_response_that_sets_a_cookie_is_made_private(these_urls, db):
    response = Client().get("/public-with-cookie/")
    assert settings.CSRF_COOKIE_NAME in response.cookies  # the cookie still works...
    assert "public" not in directives(response)  # ...but no shared cache may keep it
    assert "private" in directives(response)
    assert "max-age=300" in directives(response)  # the browser may, as the view said


def test_a_public_response_without_cookies_stays_public(these_urls, db):
    response = Client().get("/public/")
    assert not response.cookies
    assert directives(response) == {"public", "max-age=300"}


def test_the_guard_sees_every_cookie_the_middleware_sets():
    """Outermost of the middleware that set cookies: session, CSRF, messages, language."""
    order = settings.MIDDLEWARE
    guard = order.index("laurel.web.middleware.PublicResponseCookieGuardMiddleware")
    for setter in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "laurel.web.middleware.ChosenLanguageMiddleware",
    ):
        assert guard < order.index(setter), setter


# --- the language switch ----------------------------------------------------------------------


def test_the_language_switch_needs_no_csrf_token(db):
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(reverse("web:home"))
    assert not page.cookies  # the header's switch made no CSRF cookie
    assert "csrfmiddlewaretoken" not in page.content.decode()
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": "/console/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/console/"
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in visitor.get(reverse("web:home")).content.decode()


def test_the_language_switch_goes_back_only_to_this_site(db):
    switched = Client().post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert switched.status_code == 302
    assert "evil.example" not in switched["Location"]


def test_the_language_switch_takes_only_a_post(db):
    assert Client().get(reverse("set_language"), {"language": "en"}).status_code == 405
