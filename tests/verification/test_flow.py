"""The verification pages: a roster member by name and ID-card number or mobile, an outsider
by a mobile alone; the code page; the verified session later features read."""

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.keyed_hashes import identity_hash
from laurel.accounts.models import OneTimeCode
from laurel.audit.models import LogEntry
from laurel.notifications.models import OutgoingMessage
from laurel.verification.selectors import verified_member, verified_mobile_hash
from tests.conftest import english_client, make_member, valid_id_card
from tests.notifications.capture import log_text, stored_text
from tests.verification.conftest import MOBILE, NAME, OTHER_MOBILE, last_code, other_than

NO_MATCH = "No member on the roster matches these details"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run each request's after-commit work (the message's delivery) as it would run."""

    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def session_request(client):
    """A request carrying ``client``'s session, as a later feature's view gets it."""
    request = RequestFactory().get("/")
    request.session = client.session
    return request


def start(commit, client, name=NAME, number=MOBILE, next_url=""):
    url = reverse("verification:member") + (f"?next={next_url}" if next_url else "")
    return commit(client, url, {"name": name, "number": number})


def type_code(commit, client, code):
    return commit(client, reverse("verification:code"), {"code": code})


@pytest.mark.parametrize("number", [valid_id_card(7), MOBILE, "178 1234 6889"])
def test_a_member_verifies_by_name_and_id_card_or_mobile_and_goes_back(
    number, member, delivered, commit
):
    client = english_client()
    response = start(commit, client, number=number, next_url="/contests/")
    assert response["Location"] == reverse("verification:code")
    [sent] = delivered
    assert sent.to == MOBILE  # the roster's mobile
    page = client.get(reverse("verification:code")).content.decode()
    assert "178****6889" in page
    assert MOBILE not in page
    assert verified_member(session_request(client)) is None
    response = type_code(commit, client, last_code(delivered))
    assert response["Location"] == "/contests/"
    request = session_request(client)
    assert verified_member(request) == member
    assert verified_mobile_hash(request) == identity_hash("mobile", MOBILE)
    assert LogEntry.objects.filter(action="verification.member.verified").count() == 1


@pytest.mark.parametrize(
    ("name", "number"),
    [
        (NAME, valid_id_card(8)),  # another person's valid ID-card number
        ("王芬", valid_id_card(7)),  # the wrong name with the right ID-card number
        ("王芬", MOBILE),
        (NAME, OTHER_MOBILE),
        ("李四", valid_id_card(9)),  # a member without a mobile on the roster
    ],
)
def test_no_match_gives_one_answer_whichever_detail_is_wrong(
    name, number, member, world, delivered, commit
):
    make_member(world.grassroots, 9, name="李四", mobile="")
    client = english_client()
    response = start(commit, client, name=name, number=number)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "No member on the roster matches these details with a mobile to send a code to. "
        "Check them, or ask your union to put your mobile on the roster."
    ]
    assert response.context["form"].errors.keys() == {"__all__"}  # no field singled out
    assert delivered == []
    assert not OneTimeCode.objects.exists()
    assert client.get(reverse("verification:code"))["Location"] == reverse("verification:member")


def test_two_members_of_one_name_and_mobile_match_neither_and_say_no_count(
    member, world, delivered, commit
):
    make_member(world.other_grassroots, 11, name=NAME, mobile=MOBILE)
    response = start(commit, english_client())
    assert NO_MATCH in response.content.decode()
    assert delivered == []
    # the ID-card number still tells them apart
    response = start(commit, english_client(), number=valid_id_card(7))
    assert response["Location"] == reverse("verification:code")


def test_an_outsider_verifies_a_mobile_alone_and_the_session_keeps_only_its_hash(
    db, delivered, commit
):
    client = english_client()
    response = commit(client, reverse("verification:mobile"), {"mobile": "+86 139-1234-0000"})
    assert response["Location"] == reverse("verification:code")
    assert "139****0000" in client.get(reverse("verification:code")).content.decode()
    response = type_code(commit, client, last_code(delivered))
    assert response["Location"] == reverse("verification:done")
    request = session_request(client)
    assert verified_member(request) is None
    assert verified_mobile_hash(request) == identity_hash("mobile", OTHER_MOBILE)
    assert OTHER_MOBILE not in str(dict(client.session))
    assert (
        "Your mobile number is verified"
        in client.get(reverse("verification:done")).content.decode()
    )


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_a_next_url_off_this_site_is_not_followed(elsewhere, member, delivered, commit):
    client = english_client()
    start(commit, client, next_url=elsewhere)
    response = type_code(commit, client, last_code(delivered))
    assert response["Location"] == reverse("verification:done")


def test_a_verification_lasts_its_minutes(member, delivered, commit, clock, settings):
    settings.VERIFIED_MINUTES = 5  # shorter than the session's own idle time: its own end
    client = english_client()
    start(commit, client)
    type_code(commit, client, last_code(delivered))
    clock.shift(settings.VERIFIED_MINUTES * 60 - 1)
    assert verified_member(session_request(client)) == member
    clock.shift(2)
    assert verified_member(session_request(client)) is None
    assert verified_mobile_hash(session_request(client)) is None
    assert client.get(reverse("verification:done"))["Location"] == reverse("verification:member")


def test_the_session_key_changes_when_verified(member, delivered, commit):
    client = english_client()
    start(commit, client)
    before = client.session.session_key
    type_code(commit, client, last_code(delivered))
    assert client.session.session_key != before


def test_the_code_page_says_each_refusal_and_the_tries_left(member, delivered, commit):
    client = english_client()
    start(commit, client)
    code = last_code(delivered)
    response = type_code(commit, client, other_than(code))
    assert response.context["form"].errors["code"] == ["The code is wrong. 4 more tries."]
    assert type_code(commit, client, code)["Location"] == reverse("verification:done")
    assert LogEntry.objects.filter(
        action="verification.code.refused", data__reason="wrong"
    ).exists()


def test_a_new_code_waits_a_minute_and_the_page_shows_when(member, delivered, commit, clock):
    client = english_client()
    start(commit, client)
    old = last_code(delivered)
    page = client.get(reverse("verification:code")).content.decode()
    assert 'data-resend-seconds="60"' in page
    assert "disabled>" in page  # without JS: the button waits, the time is said
    assert "You can ask for a new code in" in page
    clock.shift(20)
    response = commit(client, reverse("verification:code_resend"))
    assert response["Location"] == reverse("verification:code")
    page = client.get(reverse("verification:code")).content.decode()
    assert "You can ask for another in 40 seconds." in page
    assert len(delivered) == 1
    clock.shift(40)
    page = client.get(reverse("verification:code")).content.decode()
    assert 'data-resend-seconds="0"' in page
    assert "disabled>" not in page
    commit(client, reverse("verification:code_resend"))
    assert len(delivered) == 2
    response = type_code(commit, client, old)
    assert response.context["form"].errors["code"] == [
        "A newer code has been sent since this one. Type the newest code."
    ]
    assert type_code(commit, client, last_code(delivered)).status_code == 302


def test_a_cap_reached_gets_a_clear_message(member, delivered, commit, clock, settings):
    settings.CODES_PER_NUMBER_PER_DAY = 1
    start(commit, english_client())
    clock.shift(61)
    response = start(commit, english_client())
    assert response.context["form"].non_field_errors() == [
        "This number has been sent as many codes as allowed in 24 hours. Try again tomorrow."
    ]
    assert len(delivered) == 1


def test_the_code_page_is_limited_per_number_the_code_went_to(member, delivered, commit, clock):
    # time stands still: the 31 requests fall in one window of the limit
    # (tests/verification/test_one_address.py: other people behind the address are not held)
    client = english_client()
    start(commit, client)
    statuses = {type_code(commit, client, "000000").status_code for _ in range(30)}
    assert statuses == {200}
    assert type_code(commit, client, "000000").status_code == 429


def test_no_code_in_any_log_line_audit_entry_or_stored_row(
    member, delivered, commit, clock, caplog, all_log_records
):
    """The whole flow — sends, a resend, wrong tries, the right code, a replay, an
    outsider's — with every logger at DEBUG: no code anywhere but in the message sent."""
    client = english_client()
    start(commit, client)
    type_code(commit, client, other_than(last_code(delivered)))
    clock.shift(61)
    commit(client, reverse("verification:code_resend"))
    code = last_code(delivered)
    type_code(commit, client, code)
    start(commit, english_client(), number=valid_id_card(7))  # within the minute: refused
    outsider = english_client()
    commit(outsider, reverse("verification:mobile"), {"mobile": OTHER_MOBILE})
    type_code(commit, outsider, last_code(delivered))
    type_code(commit, outsider, last_code(delivered))  # nothing pending any more

    codes = [last_code([message]) for message in delivered]
    assert len(codes) == 3
    assert all_log_records  # the captures work: the flow logged
    assert caplog.records
    logged = log_text(all_log_records) + caplog.text
    kept = "\n".join(
        stored_text(model.objects.all()) for model in (LogEntry, OutgoingMessage, OneTimeCode)
    )
    assert LogEntry.objects.filter(action__startswith="verification.").count() >= 6
    for sent in codes:
        assert sent not in logged
        assert sent not in kept
    assert MOBILE not in logged
    assert MOBILE not in stored_text(LogEntry.objects.all())


def test_a_verification_can_be_ended_at_once(member, delivered, commit):
    client = english_client()
    start(commit, client)
    type_code(commit, client, last_code(delivered))
    assert verified_member(session_request(client)) == member
    assert commit(client, reverse("verification:end"))["Location"] == reverse("verification:member")
    assert verified_member(session_request(client)) is None
