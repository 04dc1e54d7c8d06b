"""One-time codes (accounts.codes): each refusal with its own reason, one live code per
number, a minute between sends, daily caps per number and per address, keyed hashes only."""

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.codes import (
    CodeSendRefused,
    RefusalReason,
    SendRefusal,
    code_redeem,
    code_send,
)
from laurel.accounts.keyed_hashes import code_digest, identity_hash
from laurel.accounts.models import OneTimeCode
from laurel.accounts.services import (
    ResetCodeInvalid,
    password_reset_confirm,
    password_reset_request,
)
from laurel.notifications.models import OutgoingMessage
from tests.notifications.capture import stored_text
from tests.verification.conftest import MOBILE, OTHER_MOBILE, last_code, other_than

ADDRESS = "203.0.113.7"
THIRD_MOBILE = "15011112222"


@pytest.fixture
def send(db, delivered, django_capture_on_commit_callbacks):
    """Send a verification code to ``to`` and return it as the recipient read it."""

    def send_code(to=MOBILE, *, client_address=ADDRESS, purpose="verification") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            code_send(
                purpose=purpose,
                channel="sms",
                to=to,
                body="Your code is %(code)s, for %(minutes)d minutes.",
                client_address=client_address,
            )
        return last_code(delivered)

    return send_code


def redeem(code, to=MOBILE, purpose="verification"):
    with transaction.atomic():
        return code_redeem(purpose=purpose, channel="sms", to=to, code=code)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_the_right_code_works_once_and_a_replay_is_refused_as_used(send):
    code = send()
    assert redeem(code) is None
    replay = redeem(code)
    assert replay.reason == RefusalReason.USED
    assert "already been used" in replay.message


def test_a_wrong_code_says_the_tries_left_and_a_sixth_try_is_refused_though_right(send):
    code = send()
    refusals = [redeem(other_than(code)) for _ in range(5)]
    assert [(r.reason, r.tries_left) for r in refusals] == [
        (RefusalReason.WRONG, 4),
        (RefusalReason.WRONG, 3),
        (RefusalReason.WRONG, 2),
        (RefusalReason.WRONG, 1),
        (RefusalReason.WRONG, 0),
    ]
    assert "4 more tries" in refusals[0].message
    assert "last try" in refusals[-1].message
    sixth = redeem(code)  # the right code, too late: the code is spent
    assert sixth.reason == RefusalReason.SPENT
    assert "Too many wrong tries" in sixth.message


def test_a_code_lasts_ten_minutes_then_is_refused_as_expired(send, clock):
    first, second = send(MOBILE), send(OTHER_MOBILE)
    clock.shift(10 * 60 - 1)
    assert redeem(first, MOBILE) is None
    clock.shift(2)
    expired = redeem(second, OTHER_MOBILE)
    assert expired.reason == RefusalReason.EXPIRED
    assert "expired" in expired.message


def test_a_code_for_another_number_is_refused_as_such_and_counts_a_try(send):
    for_mine, for_other = send(MOBILE), send(OTHER_MOBILE)
    refusal = redeem(for_mine, OTHER_MOBILE)
    assert (refusal.reason, refusal.tries_left) == (RefusalReason.ANOTHER_NUMBER, 4)
    assert "another number" in refusal.message
    # a number with no code of its own hears the same
    assert redeem(for_mine, THIRD_MOBILE).reason == RefusalReason.ANOTHER_NUMBER
    assert redeem(for_other, OTHER_MOBILE) is None
    assert redeem(for_mine, MOBILE) is None


def test_one_live_code_per_number_a_new_one_replaces_the_old(send, clock):
    old = send()
    clock.shift(61)
    new = send()
    assert OneTimeCode.objects.filter(used_at=None, replaced_at=None).count() == 1
    replaced = redeem(old)
    assert (replaced.reason, replaced.tries_left) == (RefusalReason.REPLACED, 4)
    assert "newer code" in replaced.message
    assert redeem(new) is None


def test_a_number_never_sent_a_code_is_told_so(db):
    assert redeem("123456").reason == RefusalReason.NONE_SENT


def test_every_refusal_says_its_own_reason(send, clock):
    """The sentences differ: a person learns what to do next from each."""
    messages = {reason: None for reason in RefusalReason}
    code = send(MOBILE)
    messages[RefusalReason.WRONG] = redeem(other_than(code)).message
    messages[RefusalReason.ANOTHER_NUMBER] = redeem(send(OTHER_MOBILE), MOBILE).message
    assert redeem(code) is None
    messages[RefusalReason.USED] = redeem(code).message
    messages[RefusalReason.NONE_SENT] = redeem("123456", THIRD_MOBILE).message
    clock.shift(61)
    old = send(MOBILE)
    clock.shift(61)
    send(MOBILE)
    messages[RefusalReason.REPLACED] = redeem(old).message
    for _ in range(5):
        redeem("000000" if old != "000000" else "111111", OTHER_MOBILE)
    messages[RefusalReason.SPENT] = redeem("999999", OTHER_MOBILE).message
    clock.shift(11 * 60)
    messages[RefusalReason.EXPIRED] = redeem("999999", MOBILE).message
    assert None not in messages.values()
    assert len(set(messages.values())) == len(RefusalReason)


def test_a_new_code_within_the_minute_is_refused_with_the_seconds_left(send, delivered, clock):
    send()
    clock.shift(45)
    with pytest.raises(CodeSendRefused) as refused:
        send()
    assert (refused.value.reason, refused.value.wait_seconds) == (SendRefusal.TOO_SOON, 15)
    assert "15 seconds" in refused.value.messages[0]
    assert len(delivered) == OutgoingMessage.objects.count() == 1
    clock.shift(15)
    send()
    assert len(delivered) == 2


def test_codes_to_one_number_are_capped_per_day(send, settings, clock):
    settings.CODES_PER_NUMBER_PER_DAY = 3
    for n in range(3):
        send(client_address=f"203.0.113.{n + 1}")
        clock.shift(61)
    with pytest.raises(CodeSendRefused) as refused:
        send(client_address="198.51.100.9")
    assert refused.value.reason == SendRefusal.NUMBER_CAP
    assert "as many codes as allowed" in refused.value.messages[0]
    send(OTHER_MOBILE)  # another number is not held back
    clock.shift(24 * 60 * 60)
    send()


def test_codes_asked_for_from_one_address_are_capped_per_day(send, settings, clock):
    settings.CODES_PER_ADDRESS_PER_DAY = 3
    for n in range(3):
        send(f"1391234000{n}")
    with pytest.raises(CodeSendRefused) as refused:
        send(THIRD_MOBILE)
    assert refused.value.reason == SendRefusal.ADDRESS_CAP
    assert "from your network" in refused.value.messages[0]
    send(THIRD_MOBILE, client_address="198.51.100.9")
    clock.shift(24 * 60 * 60)
    send(OTHER_MOBILE)


def test_codes_numbers_and_addresses_are_stored_as_keyed_hashes_only(send, settings):
    code = send()
    row = OneTimeCode.objects.get()
    kept = stored_text([row])
    assert code not in kept
    assert MOBILE not in kept
    assert ADDRESS not in kept
    assert row.digest == code_digest("verification", code)
    assert row.recipient_hash == identity_hash("mobile", "+86 178-1234-6889")
    assert row.client_hash == identity_hash("address", ADDRESS)
    settings.IDENTITY_KEY = "an-identity-key-of-its-own-0123456789"
    assert code_digest("verification", code) != row.digest
    assert identity_hash("mobile", MOBILE) != row.recipient_hash


def test_a_code_is_good_for_its_own_purpose_only(send):
    code = send(purpose="verification")
    assert redeem(code, purpose="password_reset").reason == RefusalReason.NONE_SENT
    assert redeem(code, purpose="verification") is None


def test_password_reset_sends_and_checks_through_the_same_codes(
    make_user, delivered, send, clock, django_capture_on_commit_callbacks
):
    user = make_user(None, username="wang", mobile=MOBILE)
    verification_code = send()  # the same mobile, verifying: its own code
    clock.shift(61)
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(login="wang", client_address=ADDRESS)
    reset_code = last_code(delivered)
    assert OneTimeCode.objects.filter(purpose="password_reset").count() == 1
    # within the minute: nothing sent, and nothing said (the same answer for any login)
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(login="wang")
    assert len(delivered) == 2
    with pytest.raises(ResetCodeInvalid):
        password_reset_confirm(login="wang", code=verification_code, new_password="Fresh-pass-2027")
    password_reset_confirm(login="wang", code=reset_code, new_password="Fresh-pass-2027")
    user.refresh_from_db()
    assert user.check_password("Fresh-pass-2027")


def test_the_reset_page_gives_one_answer_whatever_the_code_s_fault(
    make_user, delivered, clock, django_capture_on_commit_callbacks
):
    """A reset names an account by what anyone types: its refusals stay one sentence."""
    make_user(None, username="wang", mobile=MOBILE)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"login": "wang"})
    code = last_code(delivered)
    answers = set()
    for typed in (other_than(code), code):
        clock.shift(16 * 60 if typed == code else 0)  # wrong, then expired
        response = client.post(
            reverse("accounts:password_reset_confirm"),
            {
                "login": "wang",
                "code": typed,
                "password1": "Fresh-pass-2027",
                "password2": "Fresh-pass-2027",
            },
        )
        answers.add(tuple(response.context["form"].errors["code"]))
    assert len(answers) == 1
