"""Lockout per account AND address: a stranger's failures lock the stranger's address out of
the account, not its owner; each further lockout of the same pair lasts twice as long."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.models import LoginLockout
from laurel.audit.models import LogEntry
from tests.conftest import PASSWORD

LOGIN = reverse("accounts:login")
STRANGER = "203.0.113.66"  # address A: someone guessing the admin's password
OWNER = "198.51.100.7"  # address B: the admin's own office
SECOND = timedelta(seconds=1)


def client_at(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["django_language"] = "en"  # the page's text is asserted in English
    return client


def login(client: Client, password: str, username: str = "admin"):
    return client.post(LOGIN, {"username": username, "password": password})


def logs_in(client: Client) -> bool:
    response = login(client, PASSWORD)
    return response.status_code == 302 and "_auth_user_id" in client.session


def lock(client: Client):
    """Fail as often as it takes to lock; the last answer is the lockout page."""
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200
    response = login(client, "wrong")
    assert response.status_code == 429
    return response


@pytest.fixture
def admin(make_user):
    return make_user("federation_admin", username="admin")


@pytest.fixture
def traveller():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_a_strangers_failures_lock_only_the_strangers_address(admin, traveller):
    lock(client_at(STRANGER))

    assert logs_in(client_at(OWNER)), "the owner, from their own address, is not locked out"
    assert not logs_in(client_at(STRANGER)), "from the stranger's address even the password fails"

    first = settings.LOGIN_LOCKOUT_FIRST
    traveller.shift(first - SECOND)
    assert not logs_in(client_at(STRANGER))  # the try renewed the lock: a full lock from now
    traveller.shift(first + SECOND)
    assert logs_in(client_at(STRANGER))


def test_each_further_lockout_of_the_same_pair_lasts_twice_as_long(admin, traveller):
    first = settings.LOGIN_LOCKOUT_FIRST
    response = lock(client_at(STRANGER))
    minutes = int(first.total_seconds() // 60)
    assert f"Try again in {minutes} minutes" in response.content.decode()

    traveller.shift(first + SECOND)  # the first lockout is over: locked again at once
    response = lock(client_at(STRANGER))
    assert f"Try again in {2 * minutes} minutes" in response.content.decode()

    traveller.shift(first + SECOND)  # the first lockout's length is not enough now
    assert login(client_at(STRANGER), "wrong").status_code == 429
    traveller.shift(2 * first + SECOND)  # (that try renewed it)
    assert logs_in(client_at(STRANGER))

    # The owner's address never had a lockout: its first one is the shortest.
    response = lock(client_at(OWNER))
    assert f"Try again in {minutes} minutes" in response.content.decode()


def test_a_shorter_lockout_elsewhere_does_not_end_a_longer_one(admin, traveller):
    """Axes' own clean-up deletes every pair's failures older than the requester's lockout."""
    first = settings.LOGIN_LOCKOUT_FIRST
    lock(client_at(STRANGER))
    traveller.shift(first + SECOND)
    lock(client_at(STRANGER))  # the second: twice as long
    traveller.shift(first + SECOND)
    # someone at a third address mistypes the admin's password (their lockout would be short)
    assert login(client_at("192.0.2.10"), "wrong").status_code == 200
    assert login(client_at(STRANGER), PASSWORD).status_code == 429


def test_one_lockout_is_recorded_and_audited_however_long_the_stranger_goes_on(admin):
    client = client_at(STRANGER)
    lock(client)
    for _attempt in range(3):
        assert login(client, "wrong").status_code == 429
    lockout = LoginLockout.objects.get()
    assert (lockout.username, lockout.ip_address) == ("admin", STRANGER)
    entry = LogEntry.objects.get(action="accounts.login.locked_out")
    assert entry.ip_address == STRANGER


def test_failures_by_unknown_names_lock_that_name_from_that_address_only(db):
    lock_client = client_at(STRANGER)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(lock_client, "wrong", username="nobody")
    assert login(lock_client, "wrong", username="nobody").status_code == 429
    assert login(client_at(OWNER), "wrong", username="nobody").status_code == 200
