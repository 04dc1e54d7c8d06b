"""A venue's members verify behind one address (1,500 behind one NAT): their codes and pages
are limited per person, not per address; an outsider's mobile, the asker's choice, stays
capped per address, and so do tries that match no one."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.codes import CodeSendRefused, SendRefusal
from laurel.accounts.models import OneTimeCode
from laurel.verification import services
from laurel.verification.views import public as verification_views
from tests.conftest import make_member, valid_id_card
from tests.verification.conftest import last_code

ADDRESS = "203.0.113.7"


@pytest.fixture
def clock():
    """Time stands still: every request falls in one window of the hourly limits."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


def roster(world, count: int, first: int = 200) -> list:
    return [
        make_member(world.grassroots, first + n, name=f"会员{n}", mobile=f"1380000{n:04d}")
        for n in range(count)
    ]


def test_roster_members_codes_are_not_capped_per_address(world, settings):
    settings.CODES_PER_ADDRESS_PER_DAY = 3
    for member in roster(world, 5):
        services.member_code_send(session={}, member=member, client_address=ADDRESS)
    assert OneTimeCode.objects.count() == 5
    # outsiders from the same address: their own cap, which the members' codes did not use
    for n in range(3):
        services.mobile_code_send(session={}, mobile=f"1391234000{n}", client_address=ADDRESS)
    with pytest.raises(CodeSendRefused) as refused:
        services.mobile_code_send(session={}, mobile="13912340009", client_address=ADDRESS)
    assert refused.value.reason == SendRefusal.ADDRESS_CAP


def test_a_roster_members_number_keeps_its_own_daily_cap(world, settings, clock):
    settings.CODES_PER_NUMBER_PER_DAY = 2
    [member] = roster(world, 1)
    for n in range(2):
        services.member_code_send(session={}, member=member, client_address=f"198.51.100.{n}")
        clock.shift(61)
    with pytest.raises(CodeSendRefused) as refused:
        services.member_code_send(session={}, member=member, client_address="198.51.100.9")
    assert refused.value.reason == SendRefusal.NUMBER_CAP


def test_many_members_behind_one_address_all_verify(world, delivered, commit, clock):
    """More people than the old per-address page limits (20 an hour on the member page, 30
    on the code page) and the per-address daily cap of codes (30)."""
    people = roster(world, 35)
    for n, member in enumerate(people):
        client = Client(REMOTE_ADDR=ADDRESS)
        data = {"name": member.name, "number": valid_id_card(200 + n)}
        response = commit(client, reverse("verification:member"), data)
        assert response.status_code == 302, (n, response.status_code)
        response = commit(client, reverse("verification:code"), {"code": last_code(delivered)})
        assert response["Location"] == reverse("verification:done"), n
    assert len(delivered) == 35


def test_the_member_page_is_limited_per_number_typed(world, delivered, commit, clock):
    first, second = roster(world, 2)
    url = reverse("verification:member")
    same = {"name": first.name, "number": valid_id_card(200)}
    statuses = [commit(Client(REMOTE_ADDR=ADDRESS), url, same).status_code for _ in range(11)]
    assert statuses[0] == 302  # the code sent; the next ones within its minute are refused
    assert set(statuses[1:10]) == {200}
    assert statuses[10] == 429
    # the next person behind the same address is not held back
    other = {"name": second.name, "number": valid_id_card(201)}
    assert commit(Client(REMOTE_ADDR=ADDRESS), url, other).status_code == 302


def test_tries_matching_no_one_are_limited_per_address(
    world, delivered, commit, clock, monkeypatch
):
    monkeypatch.setattr(verification_views, "UNMATCHED_PER_ADDRESS", "3/h")
    [member] = roster(world, 1)
    url = reverse("verification:member")
    for n in range(3):
        guess = {"name": "张三", "number": valid_id_card(300 + n)}
        assert commit(Client(REMOTE_ADDR=ADDRESS), url, guess).status_code == 200
    guess = {"name": "张三", "number": valid_id_card(310)}
    assert commit(Client(REMOTE_ADDR=ADDRESS), url, guess).status_code == 429
    right = {"name": member.name, "number": valid_id_card(200)}
    assert commit(Client(REMOTE_ADDR=ADDRESS), url, right).status_code == 429
    assert commit(Client(REMOTE_ADDR="198.51.100.4"), url, right).status_code == 302
    assert len(delivered) == 1
