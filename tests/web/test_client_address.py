"""The client's address: X-Forwarded-For is believed only from the proxies the install trusts.

A spoofed X-Forwarded-For from an untrusted address changes neither the rate-limit key, the
lockout's pair nor the audit address; through a trusted proxy, each client behind it is
counted, locked out and audited as itself.
"""

import ipaddress

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.models import LoginLockout
from laurel.audit.models import LogEntry
from laurel.web.client_address import (
    client_address,
    client_address_required,
    client_address_resolve,
)
from tests.conftest import PASSWORD
from tests.web.test_settings import run_laurel

LIMITED = reverse("accounts:invitation_code")  # 20 requests a minute per address
LIMIT = 20
LOGIN = reverse("accounts:login")
PROXY = "10.0.0.2"  # the reverse proxy, in the trusted network below
TRUSTED = (ipaddress.ip_network("10.0.0.0/24"),)
VISITOR = "203.0.113.66"
OTHER_VISITOR = "198.51.100.7"


def networks(*items: str) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in items)


def resolve(remote_addr: str, forwarded_for: str = "", *trusted: str) -> str:
    return client_address_resolve(
        remote_addr=remote_addr, forwarded_for=forwarded_for, trusted_proxies=networks(*trusted)
    )


# --- the rule -------------------------------------------------------------------------------


def test_with_no_proxy_trusted_the_header_is_ignored():
    assert resolve(VISITOR, "1.2.3.4") == VISITOR
    assert resolve(VISITOR, "1.2.3.4, 5.6.7.8") == VISITOR


def test_from_an_untrusted_peer_the_header_is_ignored_even_when_some_proxy_is_trusted():
    assert resolve(VISITOR, "10.0.0.9, 1.2.3.4", "10.0.0.0/24") == VISITOR


def test_a_trusted_proxy_gives_the_right_most_address_it_did_not_write_itself():
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert resolve(PROXY, f"1.2.3.4, {VISITOR}", PROXY) == VISITOR


def test_a_chain_of_two_trusted_proxies_is_walked_past():
    chain = f"6.6.6.6, {VISITOR}, 10.0.0.7"  # spoofed, the client, the outer proxy
    assert resolve(PROXY, chain, "10.0.0.2", "10.0.0.7") == VISITOR
    # the outer proxy not trusted: it is the client as far as Laurel knows
    assert resolve(PROXY, chain, "10.0.0.2") == "10.0.0.7"


def test_trusted_proxies_may_be_cidr_networks():
    assert resolve("10.1.2.3", f"{VISITOR}, 10.9.8.7", "10.0.0.0/8") == VISITOR
    assert resolve("10.1.2.3", VISITOR, "10.1.2.0/25") == VISITOR
    assert resolve("10.1.2.200", VISITOR, "10.1.2.0/25") == "10.1.2.200"


def test_only_trusted_addresses_give_the_left_most_one():
    assert resolve(PROXY, "10.0.0.5, 10.0.0.9", "10.0.0.0/24") == "10.0.0.5"


def test_a_trusted_proxy_without_the_header_is_the_client():
    assert resolve(PROXY, "", PROXY) == PROXY
    assert resolve(PROXY, " ", PROXY) == PROXY


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("unknown", PROXY),
        ("<script>", PROXY),
        ("1.2.3.4, garbage", PROXY),  # the entry left of the bad one is never reached
        (f"{VISITOR}, , 10.0.0.9", "10.0.0.9"),  # an empty entry ends the walk too
        ("example.org", PROXY),
        ("1.2.3.4:http", PROXY),
        ("1.2.3.256", PROXY),
        ("01.2.3.4", PROXY),
        ("[2001:db8::7", PROXY),
        ("[2001:db8::7]x", PROXY),
        ("1.2.3.4:٨٠", PROXY),  # digits, not ASCII ones
    ],
)
def test_a_malformed_entry_ends_the_walk_at_the_last_trusted_hop(forwarded_for, expected):
    assert resolve(PROXY, forwarded_for, "10.0.0.0/24") == expected


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "trusted", "expected"),
    [
        ("2001:db8::1", "", (), "2001:db8::1"),
        ("2001:db8::1", "1.2.3.4", (), "2001:db8::1"),
        ("2001:db8::1", "2001:db8:ffff::5", ("2001:db8::/64",), "2001:db8:ffff::5"),
        ("2001:db8::1", "[2001:db8:ffff::5]:4711", ("2001:db8::/64",), "2001:db8:ffff::5"),
        ("2001:db8::1", "2001:DB8:FFFF:0:0:0:0:5", ("2001:db8::/64",), "2001:db8:ffff::5"),
        ("2001:db8::1", VISITOR, ("2001:db8::/64",), VISITOR),
        (PROXY, "2001:db8:ffff::5", (PROXY,), "2001:db8:ffff::5"),
        (PROXY, f"{VISITOR}:4711", (PROXY,), VISITOR),
        # IPv4 peers on a dual-stack socket: the mapped address is the IPv4 one
        (f"::ffff:{PROXY}", VISITOR, (PROXY,), VISITOR),
        (PROXY, f"::ffff:{VISITOR}", (PROXY,), VISITOR),
        ("fe80::1%eth0", "", (), "fe80::1"),
    ],
)
def test_ipv6(remote_addr, forwarded_for, trusted, expected):
    assert resolve(remote_addr, forwarded_for, *trusted) == expected


def test_a_peer_that_is_no_address_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 address"):
        resolve("", "1.2.3.4")


@pytest.mark.parametrize("remote_addr", ["", "unix:/run/laurel.sock"])
def test_a_request_from_no_peer_has_no_address_and_cannot_be_rate_limited(rf, remote_addr):
    request = rf.get("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=VISITOR)
    assert client_address(request) is None  # axes and the audit log record no address
    with pytest.raises(ImproperlyConfigured, match="serve over TCP"):
        client_address_required(request)


def test_a_mistyped_trusted_proxy_refuses_to_start(tmp_path):
    result = run_laurel(
        "check",
        LAUREL_DEBUG="true",
        LAUREL_TRUSTED_PROXIES="10.0.0.0/8, 10.0.0.300",
        LAUREL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "LAUREL_TRUSTED_PROXIES: '10.0.0.300' is not an address or a network" in result.stderr


# --- over HTTP ------------------------------------------------------------------------------


@pytest.fixture
def frozen():
    """No rate-limit window ends in the middle of a test."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(make_user):
    return make_user("federation_admin", username="admin")


def get(remote_addr: str, forwarded_for: str) -> int:
    client = Client(REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.get(LIMITED).status_code


def log_in(remote_addr: str, forwarded_for: str, password: str) -> int:
    client = Client(REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post(LOGIN, {"username": "admin", "password": password}).status_code


def lock(remote_addr: str, forwarded_for: str = "") -> None:
    """Fail as often as it takes to lock the pair."""
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        spoofed = forwarded_for or f"192.0.2.{attempt + 1}"
        log_in(remote_addr, spoofed, "wrong")
    assert log_in(remote_addr, forwarded_for, "wrong") == 429


@pytest.mark.django_db
def test_a_spoofed_header_from_an_untrusted_address_does_not_change_the_rate_limit_key(frozen):
    with override_settings(TRUSTED_PROXIES=TRUSTED):
        answers = [get(VISITOR, f"192.0.2.{n}, {PROXY}") for n in range(LIMIT + 5)]
    assert answers[:LIMIT] == [200] * LIMIT
    assert answers[LIMIT:] == [429] * 5, "each new header is still the same visitor"


@pytest.mark.django_db
def test_through_a_trusted_proxy_each_client_has_its_own_rate_limit(frozen):
    with override_settings(TRUSTED_PROXIES=TRUSTED):
        answers = [get(PROXY, f"6.6.6.6, {VISITOR}") for _ in range(LIMIT + 1)]
        assert answers[-1] == 429
        assert get(PROXY, OTHER_VISITOR) == 200, "another client behind the same proxy"
        assert get(PROXY, f"7.7.7.7, {VISITOR}") == 429, "what the client wrote is ignored"


@pytest.mark.django_db
def test_a_spoofed_header_changes_neither_the_lockout_nor_the_audit_address(admin, frozen):
    with override_settings(TRUSTED_PROXIES=TRUSTED):
        lock(VISITOR)
        assert log_in(VISITOR, f"192.0.2.99, {PROXY}", PASSWORD) == 429, "still locked"
        assert log_in(OTHER_VISITOR, "", PASSWORD) == 302

    lockout = LoginLockout.objects.get()
    assert lockout.ip_address == VISITOR
    entry = LogEntry.objects.get(action="accounts.login.locked_out")
    assert entry.ip_address == VISITOR


@pytest.mark.django_db
def test_through_a_trusted_proxy_the_client_is_locked_out_and_audited(admin, frozen):
    with override_settings(TRUSTED_PROXIES=TRUSTED):
        lock(PROXY, f"6.6.6.6, {VISITOR}")
        assert log_in(PROXY, VISITOR, PASSWORD) == 429, "the client stays locked"
        assert log_in(PROXY, OTHER_VISITOR, PASSWORD) == 302, "the proxy's other clients do not"

    entry = LogEntry.objects.get(action="accounts.login.locked_out")
    assert entry.ip_address == VISITOR


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "recorded"),
    [
        (VISITOR, f"192.0.2.99, {PROXY}", VISITOR),  # spoofed from outside: not believed
        (PROXY, f"192.0.2.99, {VISITOR}", VISITOR),  # through the proxy: its client
    ],
)
def test_every_audited_change_records_the_clients_address(
    admin, remote_addr, forwarded_for, recorded
):
    """Not only lockouts: whatever a request changes is audited from the client's address."""
    client = Client(REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)
    client.force_login(admin)
    new = "Laurel-Strong-Pass-2026!"
    with override_settings(TRUSTED_PROXIES=TRUSTED):
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "password1": new, "password2": new},
        )
    assert response.status_code == 302
    entry = LogEntry.objects.get(action="accounts.password.changed")
    assert entry.ip_address == recorded
