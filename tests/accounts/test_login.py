"""Log-in by username or mobile; lockout after repeated failures, saying for how long."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.forms import LoginForm
from tests.conftest import PASSWORD, english_client

LOGIN = reverse("accounts:login")


def login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_log_in_by_username(make_user):
    user = make_user(None, username="wang")
    client = Client()
    response = login(client, "wang", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_log_in_by_mobile_in_any_common_spelling(make_user):
    user = make_user(None, mobile="13812345678")
    for spelling in ("13812345678", "+86 138 1234 5678", "138-1234-5678"):
        client = Client()
        login(client, spelling, PASSWORD)
        assert client.session.get("_auth_user_id") == str(user.pk), spelling


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(make_user):
    make_user(None, username="wang")
    client = Client()
    for username in ("wang", "nobody"):
        response = login(client, username, "wrong-password")
        assert response.status_code == 200
        assert not is_logged_in(client)
        assert response.context["form"].non_field_errors() == [
            str(LoginForm.error_messages["invalid_login"])
        ]


def test_account_locks_after_repeated_failures_and_says_for_how_long(make_user):
    make_user(None, username="wang", mobile="13812345678")
    client = english_client()
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        assert login(client, "wang", "wrong").status_code == 200
    # The last failure locks the account; failures by mobile count against the same lock.
    response = login(client, "13812345678", "wrong")
    assert response.status_code == 429
    minutes = int(settings.LOGIN_LOCKOUT_FIRST.total_seconds() // 60)
    assert f"Try again in {minutes} minutes" in response.content.decode()

    # Locked means locked: even the right password is refused, by username and by mobile.
    for name in ("wang", "13812345678"):
        response = login(client, name, PASSWORD)
        assert response.status_code == 429
        assert not is_logged_in(client)


def test_trying_while_locked_renews_the_lock_which_then_lifts(make_user):
    make_user(None, username="wang")
    client = english_client()
    minutes = int(settings.LOGIN_LOCKOUT_FIRST.total_seconds() // 60)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            login(client, "wang", "wrong")
        traveller.shift(timedelta(minutes=minutes - 1))
        response = login(client, "wang", PASSWORD)
        assert response.status_code == 429
        # the attempt counted: the full lock time starts again, and the page says so
        assert f"Try again in {minutes} minutes" in response.content.decode()

        traveller.shift(settings.LOGIN_LOCKOUT_FIRST + timedelta(seconds=1))
        response = login(client, "wang", PASSWORD)
        assert response.status_code == 302
        assert is_logged_in(client)


def test_another_account_is_not_locked_by_someone_elses_failures(make_user):
    make_user(None, username="wang")
    make_user(None, username="li")
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wang", "wrong")
    login(client, "li", PASSWORD)
    assert is_logged_in(client)


def test_session_expires_when_idle(make_user, settings):
    make_user(None, username="wang")
    client = Client()
    login(client, "wang", PASSWORD)
    assert client.get(reverse("accounts:account")).status_code == 200
    assert settings.SESSION_SAVE_EVERY_REQUEST
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)):
        response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_disabled_account_cannot_log_in(make_user):
    user = make_user(None, username="wang")
    user.is_active = False
    user.save()
    client = Client()
    login(client, "wang", PASSWORD)
    assert not is_logged_in(client)


def test_a_member_with_a_one_off_password_must_change_it_first(make_user):
    make_user(None, username="wang", must_change_password=True)
    client = Client()
    login(client, "wang", PASSWORD)
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "password1": "New-pass-2027", "password2": "New-pass-2027"},
    )
    assert response.status_code == 302
    assert client.get(reverse("notifications:inbox")).status_code == 200


def test_logging_out_ends_the_session_and_clears_what_the_site_kept_on_the_device(make_user):
    make_user("checkin_staff", username="gate01")
    client = Client()
    login(client, "gate01", PASSWORD)
    assert is_logged_in(client)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    # a gate's offline ticket list (local storage), its service worker, cached pages
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert not is_logged_in(client)
