"""Password reset by a one-time code sent through the message backend."""

import re

from django.test import Client
from django.urls import reverse

from laurel.accounts.models import PasswordResetCode
from laurel.notifications.models import OutgoingMessage
from tests.conftest import PASSWORD

NEW = "Fresh-pass-2027"


def request_code(client, login):
    return client.post(reverse("accounts:password_reset"), {"login": login})


def confirm(client, login, code, password=NEW):
    return client.post(
        reverse("accounts:password_reset_confirm"),
        {"login": login, "code": code, "password1": password, "password2": password},
    )


def sent_code() -> str:
    body = OutgoingMessage.objects.latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_reset_by_mobile_with_the_code_from_the_sms(make_user, django_capture_on_commit_callbacks):
    user = make_user(None, username="wang", mobile="13812345678")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = request_code(client, "138 1234 5678")
    assert response["Location"] == "/accounts/password-reset/confirm/?login=138+1234+5678"
    message = OutgoingMessage.objects.get()
    assert (message.channel, message.to, message.status) == ("sms", "13812345678", "sent")
    assert confirm(client, "wang", sent_code()).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    # the code is spent
    assert confirm(Client(), "wang", sent_code(), password="Other-pass-2028").status_code == 200


def test_unknown_accounts_get_the_same_answer_and_no_message(make_user):
    make_user(None, username="wang", mobile="13812345678")
    known = request_code(Client(), "wang")
    unknown = request_code(Client(), "nobody")
    assert known.status_code == unknown.status_code == 302
    assert OutgoingMessage.objects.count() == 1


def test_a_wrong_code_counts_and_too_many_retire_the_code(make_user, settings):
    user = make_user(None, username="wang", mobile="13812345678")
    client = Client()
    request_code(client, "wang")
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(settings.PASSWORD_RESET_MAX_TRIES):
        response = confirm(client, "wang", wrong)
        assert "code" in response.context["form"].errors
    assert PasswordResetCode.objects.get().failed_tries == settings.PASSWORD_RESET_MAX_TRIES
    # now even the right code is refused
    assert confirm(client, "wang", code).status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_requests_are_rate_limited(make_user):
    make_user(None, username="wang", mobile="13812345678")
    client = Client()
    statuses = [request_code(client, "wang").status_code for _ in range(7)]
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429, 429]
    assert OutgoingMessage.objects.count() == 5
