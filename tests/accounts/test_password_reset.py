"""Password reset by a one-time code sent through the message backend."""

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from laurel.accounts.keyed_hashes import code_digest, identity_hash
from laurel.accounts.models import OneTimeCode
from laurel.audit.models import LogEntry
from laurel.notifications.models import OutgoingMessage
from tests.conftest import PASSWORD
from tests.notifications.capture import log_text, stored_text

NEW = "Fresh-pass-2027"


def request_code(client, login):
    return client.post(reverse("accounts:password_reset"), {"login": login})


def confirm(client, login, code, password=NEW):
    return client.post(
        reverse("accounts:password_reset_confirm"),
        {"login": login, "code": code, "password1": password, "password2": password},
    )


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def test_reset_by_mobile_with_the_code_from_the_sms(
    make_user, delivered, django_capture_on_commit_callbacks
):
    user = make_user(None, username="wang", mobile="13812345678")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = request_code(client, "138 1234 5678")
    assert response["Location"] == "/accounts/password-reset/confirm/?login=138+1234+5678"
    message = OutgoingMessage.objects.get()
    assert (message.channel, message.to, message.status) == ("sms", "13812345678", "sent")
    code = code_in(delivered[-1].body)
    assert confirm(client, "wang", code).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    # the code is spent
    assert confirm(Client(), "wang", code, password="Other-pass-2028").status_code == 200


@pytest.mark.parametrize(
    ("address", "channel"),
    [({"mobile": "13812345678"}, "sms"), ({"email": "wang@example.org"}, "email")],
)
def test_the_reset_code_is_kept_and_shown_nowhere_but_still_works(
    address,
    channel,
    make_user,
    client_as,
    delivered,
    all_log_records,
    django_capture_on_commit_callbacks,
):
    user = make_user(None, username="wang", **address)
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        request_code(Client(), "wang")
    # queued, not yet delivered: a masked body and the sealed full text
    queued = OutgoingMessage.objects.get()
    assert (queued.channel, queued.status, delivered) == (channel, "queued", [])
    assert "••••••" in queued.body
    assert queued.body_sealed

    [deliver] = on_commit
    deliver()
    [sent] = delivered
    code = code_in(sent.body)
    assert code not in stored_text([queued])
    assert code not in queued.body_sealed
    message = OutgoingMessage.objects.get()
    assert (message.status, message.body_sealed) == ("sent", "")
    assert message.body == sent.body.replace(code, "••••••")
    assert code not in stored_text(OutgoingMessage.objects.all())

    outbox = client_as("federation_admin").get(reverse("notifications:outbox"))
    html = outbox.content.decode()
    assert message.body in html
    assert code not in html
    assert queued.body_sealed not in html

    assert LogEntry.objects.filter(action="accounts.password.reset_requested").exists()
    assert code not in stored_text(LogEntry.objects.all())

    assert confirm(Client(), "wang", code).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert all_log_records  # the capture works: the requests above logged something
    assert code not in log_text(all_log_records)


def test_unknown_accounts_get_the_same_answer_and_no_message(make_user):
    make_user(None, username="wang", mobile="13812345678")
    known = request_code(Client(), "wang")
    unknown = request_code(Client(), "nobody")
    assert known.status_code == unknown.status_code == 302
    assert OutgoingMessage.objects.count() == 1


def test_a_wrong_code_counts_and_too_many_retire_the_code(
    make_user, settings, delivered, django_capture_on_commit_callbacks
):
    user = make_user(None, username="wang", mobile="13812345678")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        request_code(client, "wang")
    code = code_in(delivered[-1].body)
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(settings.PASSWORD_RESET_MAX_TRIES):
        response = confirm(client, "wang", wrong)
        assert "code" in response.context["form"].errors
    assert OneTimeCode.objects.get().failed_tries == settings.PASSWORD_RESET_MAX_TRIES
    # now even the right code is refused
    assert confirm(client, "wang", code).status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_requests_are_rate_limited(make_user, settings):
    # no wait between codes (accounts.codes): the requests come at once, inside one window
    # of the rate limit, whose hourly windows start at a moment of their own for each key
    settings.ONE_TIME_CODE_RESEND_SECONDS = 0
    make_user(None, username="wang", mobile="13812345678")
    client = Client()
    statuses = [request_code(client, "wang").status_code for _ in range(7)]
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429, 429]
    assert OutgoingMessage.objects.count() == 5


def test_the_stored_digest_of_a_reset_code_cannot_be_reversed_by_trying_every_code(
    make_user, delivered, django_capture_on_commit_callbacks, settings
):
    """A six-digit code has a million values: a plain hash of it is reversed in a second by
    anyone who reads the table. The digest is keyed by the secret key instead."""
    make_user(None, username="wang", mobile="13812345678")
    with django_capture_on_commit_callbacks(execute=True):
        request_code(Client(), "wang")
    code = code_in(delivered[-1].body)
    stored = OneTimeCode.objects.get().digest
    assert stored == code_digest("password_reset", code)
    assert stored not in {
        hashlib.sha256(code.encode()).hexdigest(),
        hashlib.sha1(code.encode()).hexdigest(),  # noqa: S324 - what an attacker would try
        hashlib.md5(code.encode()).hexdigest(),  # noqa: S324 - what an attacker would try
    }
    settings.SECRET_KEY = "another-install-" + "k" * 40
    assert code_digest("password_reset", code) != stored  # keyed: no table of codes helps


def test_reset_codes_count_against_the_clients_address(make_user, settings):
    """Each reset code is a paid SMS: the codes one address asks for are capped per day, as
    the verification codes are; beyond the cap the answer is the same and nothing is sent."""
    settings.CODES_PER_ADDRESS_PER_DAY = 2
    for n in range(3):
        make_user(None, username=f"user{n}", mobile=f"1381234567{n}")
    client = Client(REMOTE_ADDR="203.0.113.40")
    for n in range(3):
        assert request_code(client, f"user{n}").status_code == 302
    rows = OneTimeCode.objects.all()
    assert rows.count() == 2  # the third was refused by the address's cap, silently
    assert {row.client_hash for row in rows} == {identity_hash("address", "203.0.113.40")}
