"""The gate without the network: the ticket list a device keeps (no numbers, no codes), the
scans it sends later (the earliest of a ticket its check-in, a scan sent twice recorded once,
a bad scan never losing the good ones), and the JSON views and service worker behind them."""

import base64
import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from laurel.audit.models import LogEntry
from laurel.core.tickets import code_normalise, code_offline_check
from laurel.events import services
from laurel.events.keys import public_key_of
from laurel.events.models import CheckIn, Event, EventStaff, Registration, Ticket
from laurel.events.services.offline import SCANS_MAX, OfflineScan, clock_corrected
from tests.conftest import english_client, make_member, valid_id_card
from tests.events.conftest import slot_of

# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def users(users, make_user):
    """conftest's one user per role, and two check-in staff logins (this gate's, another's)."""
    return users | {
        "checkin_staff": make_user("checkin_staff"),
        "other_staff": make_user("checkin_staff"),
    }


def register(event, slot, member=None, team=None, acting_user=None):
    return services.registration_create(
        acting_user=acting_user, event=event, slot=slot, member=member, team=team
    ).registration


@pytest.fixture
def gate(event_factory, world, users, district_team):
    """An event whose gate the check-in staff login keeps: 王芳 at 花艺馆 09:00, 陈刚 at
    剪纸馆, the district's team at 剪纸馆, 周静 registered then cancelled (her ticket
    revoked), and 吴磊 waiting (no ticket)."""
    event = event_factory(booths={"花艺馆": [(9, 10, 1)], "剪纸馆": [(9, 11, 5)]})
    flowers, paper = slot_of(event, "花艺馆", 9), slot_of(event, "剪纸馆", 9)
    people = {
        name: make_member(world.grassroots, n, name=name)
        for n, name in [(501, "王芳"), (502, "陈刚"), (503, "周静"), (504, "吴磊")]
    }
    holder = register(event, flowers, people["王芳"])
    other = register(event, paper, people["陈刚"])
    team = register(event, paper, team=district_team, acting_user=users["unit_admin"])
    cancelled = register(event, paper, people["周静"])
    services.registration_cancel(acting_user=None, registration=cancelled)
    waiting = register(event, flowers, people["吴磊"])
    assert waiting.state == Registration.State.WAITING
    EventStaff.objects.create(event=event, user=users["checkin_staff"])
    return {
        "event": event,
        "people": people,
        "holder": holder,
        "other": other,
        "team": team,
        "cancelled": cancelled,
        "waiting": waiting,
    }


def listed_by_id(offline):
    return {ticket["id"]: ticket for ticket in offline["tickets"]}


# --- the core's offline check of a typed code ---------------------------------------------------


def test_the_offline_check_of_a_code_is_four_bytes_the_same_under_one_salt_and_not_another():
    code, salt = "7K3M-9Q2X", b"\x01" * 16
    check = code_offline_check(code, salt)
    assert len(check) == 4
    assert code_offline_check(code, salt) == check
    assert code_offline_check(code, b"\x02" * 16) != check
    assert code_offline_check("7K3M-9Q2Y", salt) != check


# --- the ticket list ----------------------------------------------------------------------------


def test_the_list_has_the_public_key_the_revoked_tickets_and_only_holding_tickets(gate):
    event = gate["event"]
    offline = services.offline_list(event)
    assert base64.b64decode(offline["public_key"]) == public_key_of(event)
    assert len(base64.b64decode(offline["public_key"])) == 32
    cancelled_ticket = Ticket.objects.get(registration=gate["cancelled"])
    assert cancelled_ticket.revoked_at is not None
    assert offline["revoked"] == [cancelled_ticket.pk]
    listed = listed_by_id(offline)
    holding = [gate["holder"], gate["other"], gate["team"]]
    assert set(listed) == {registration.ticket.pk for registration in holding}
    flowers = event.booths.get(name="花艺馆")
    shown = listed[gate["holder"].ticket.pk]
    assert shown["holder"] == "王芳"
    assert shown["team"] == ""
    assert shown["booth"] == flowers.pk
    assert shown["slot"] == services.tickets.slot_shown(slot_of(event, "花艺馆", 9))
    assert shown["slot"].endswith("09:00–10:00")
    team_shown = listed[gate["team"].ticket.pk]
    assert team_shown["holder"] == team_shown["team"] == "永川区代表队"
    assert offline["booths"] == {str(booth.pk): booth.name for booth in event.booths.all()}
    assert offline["cancelled"] is False


def test_each_code_is_carried_as_its_check_under_the_lists_salt(gate):
    offline = services.offline_list(gate["event"])
    salt = base64.b64decode(offline["code_salt"])
    assert len(salt) == 16
    listed = listed_by_id(offline)
    for registration in (gate["holder"], gate["other"], gate["team"]):
        code = code_normalise(services.ticket_of(registration).code)
        expected = base64.b64encode(code_offline_check(code, salt)).decode()
        assert listed[registration.ticket.pk]["code"] == expected
    again = services.offline_list(gate["event"])
    assert again["code_salt"] != offline["code_salt"]  # each list its own salt


def test_the_list_carries_no_number_no_code_and_no_payload(gate):
    text = json.dumps(services.offline_list(gate["event"]), ensure_ascii=False)
    for name in ("王芳", "陈刚"):
        member = gate["people"][name]
        assert name in text
        assert member.mobile not in text
        assert member.mobile[-8:] not in text
        assert member.id_card not in text
        assert member.id_card[-8:] not in text
    assert valid_id_card(501) not in text
    for registration in (gate["holder"], gate["other"], gate["team"]):
        shown = services.ticket_of(registration)
        assert shown.code not in text
        assert shown.code.replace("-", "") not in text
        assert shown.payload not in text
        assert shown.payload.rsplit(".", 1)[1] not in text  # the signature alone


def test_a_checked_in_ticket_says_when_and_where(gate):
    event = gate["event"]
    code = services.ticket_of(gate["holder"]).code
    services.ticket_check_in(acting_user=None, event=event, scanned=code, device="东门")
    first = CheckIn.objects.get(registration=gate["holder"])
    listed = listed_by_id(services.offline_list(event))
    assert listed[gate["holder"].ticket.pk]["checked_in"] == {
        "at": first.at.isoformat(),
        "device": "东门",
    }
    assert listed[gate["other"].ticket.pk]["checked_in"] is None


def test_the_list_of_a_cancelled_event_says_so(gate, users):
    event = gate["event"]
    services.event_state_set(
        acting_user=users["federation_admin"], event=event, state=Event.State.CANCELLED
    )
    event.refresh_from_db()
    assert services.offline_list(event)["cancelled"] is True


def offline_list_queries(event) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.offline_list(event)
    return len(queries)


def test_the_list_takes_as_many_queries_for_thirty_tickets_as_for_five(
    event_factory, world, django_assert_max_num_queries
):
    counter = iter(range(700, 800))

    def event_with(tickets: int):
        event = event_factory(booths={"剪纸馆": [(9, 11, tickets)], "花艺馆": [(9, 10, 1)]})
        for _ in range(tickets):
            member = make_member(world.grassroots, next(counter))
            register(event, slot_of(event, "剪纸馆", 9), member)
        return event

    small, large = event_with(5), event_with(30)
    assert len(services.offline_list(large)["tickets"]) == 30
    assert offline_list_queries(large) == offline_list_queries(small)
    with django_assert_max_num_queries(6):
        services.offline_list(large)


# --- the scans sent later -----------------------------------------------------------------------

NOW = timezone.now().replace(microsecond=0)


def sync(event, *scans: OfflineScan, now=NOW):
    with translation.override("en"):
        return services.check_ins_sync(acting_user=None, event=event, scans=list(scans), now=now)


def scan_of(registration, key: str, minutes_ago: int, device: str = "门岗 1", booth=None):
    return OfflineScan(
        key=key,
        ticket_id=registration.ticket.pk,
        at=NOW - timedelta(minutes=minutes_ago),
        device=device,
        booth_id=booth.pk if booth is not None else None,
    )


def test_one_scan_checks_in_at_the_time_it_was_made(gate):
    holder = gate["holder"]
    [outcome] = sync(gate["event"], scan_of(holder, "k-1", minutes_ago=10))
    assert outcome.ok
    assert outcome.reason == ""
    holder.refresh_from_db()
    assert holder.checked_in_at == NOW - timedelta(minutes=10)
    check_in = CheckIn.objects.get(registration=holder)
    assert check_in.at == NOW - timedelta(minutes=10)
    assert check_in.synced_at == NOW
    assert check_in.scan_key == "k-1"
    assert check_in.device == "门岗 1"
    entry = LogEntry.objects.get(action="events.ticket.checked_in")
    assert entry.data["offline"] is True
    assert entry.data["device"] == "门岗 1"


def test_a_scan_sent_twice_is_answered_again_and_recorded_once(gate):
    event, holder = gate["event"], gate["holder"]
    [first] = sync(event, scan_of(holder, "k-1", minutes_ago=10))
    [again] = sync(event, scan_of(holder, "k-1", minutes_ago=10))
    assert again.ok
    assert again.check_in == first.check_in
    assert CheckIn.objects.filter(registration=holder).count() == 1
    [duplicate] = sync(event, scan_of(holder, "k-2", minutes_ago=5, device="门岗 2"))
    [duplicate_again] = sync(event, scan_of(holder, "k-2", minutes_ago=5, device="门岗 2"))
    assert (duplicate.reason, duplicate_again.reason) == ("duplicate", "duplicate")
    assert duplicate_again.check_in == duplicate.check_in
    assert duplicate_again.first == first.check_in
    assert "门岗 1" in duplicate_again.message
    assert CheckIn.objects.filter(registration=holder).count() == 2
    assert LogEntry.objects.filter(action="events.ticket.checked_in").count() == 1
    assert LogEntry.objects.filter(action="events.ticket.refused").count() == 1


def test_an_earlier_scan_synced_later_becomes_the_check_in_and_the_others_repeat_it(gate):
    event, holder = gate["event"], gate["holder"]
    [later] = sync(event, scan_of(holder, "a-1", minutes_ago=10, device="门岗 1"))
    [latest] = sync(event, scan_of(holder, "c-1", minutes_ago=2, device="门岗 3"))
    assert later.ok
    assert latest.reason == "duplicate"
    assert latest.first == later.check_in
    [earliest] = sync(event, scan_of(holder, "b-1", minutes_ago=30, device="门岗 2"))
    assert earliest.ok
    holder.refresh_from_db()
    assert holder.checked_in_at == NOW - timedelta(minutes=30)
    first = CheckIn.objects.get(registration=holder, duplicate_of__isnull=True)
    assert first.device == "门岗 2"
    assert first.pk == earliest.check_in.pk
    repeats = CheckIn.objects.filter(registration=holder, duplicate_of__isnull=False)
    assert {check_in.device: check_in.duplicate_of_id for check_in in repeats} == {
        "门岗 1": first.pk,
        "门岗 3": first.pk,
    }
    entry = LogEntry.objects.filter(action="events.ticket.checked_in").latest("pk")
    assert entry.data["before"] == "门岗 1"


def test_a_revoked_ticket_is_refused_as_cancelled_though_the_device_let_them_in(gate):
    [outcome] = sync(gate["event"], scan_of(gate["cancelled"], "k-1", minutes_ago=10))
    assert not outcome.ok
    assert outcome.reason == "cancelled"
    assert outcome.registration == gate["cancelled"]
    assert not CheckIn.objects.exists()
    assert LogEntry.objects.get(action="events.ticket.refused").data["reason"] == "cancelled"


def test_a_ticket_of_another_event_is_forged_here(gate, event_factory, world):
    other = event_factory(booths={"剪纸馆": [(9, 11, 3)]})
    elsewhere = register(other, slot_of(other, "剪纸馆", 9), make_member(world.grassroots, 520))
    [outcome] = sync(gate["event"], scan_of(elsewhere, "k-1", minutes_ago=10))
    assert outcome.reason == "forged"
    assert outcome.registration is None
    assert not CheckIn.objects.exists()


def test_a_scan_at_another_booth_is_wrong_booth(gate):
    paper = gate["event"].booths.get(name="剪纸馆")
    [outcome] = sync(gate["event"], scan_of(gate["holder"], "k-1", minutes_ago=10, booth=paper))
    assert outcome.reason == "wrong-booth"
    assert not CheckIn.objects.exists()
    flowers = gate["event"].booths.get(name="花艺馆")
    [there] = sync(gate["event"], scan_of(gate["holder"], "k-2", minutes_ago=9, booth=flowers))
    assert there.ok


def test_a_bad_scan_in_a_batch_never_loses_the_good_ones(gate):
    forged = OfflineScan(key="k-2", ticket_id=10**9, at=NOW - timedelta(minutes=9))
    outcomes = sync(
        gate["event"],
        scan_of(gate["holder"], "k-1", minutes_ago=10),
        forged,
        scan_of(gate["other"], "k-3", minutes_ago=8),
    )
    assert [(outcome.ok, outcome.reason) for outcome in outcomes] == [
        (True, ""),
        (False, "forged"),
        (True, ""),
    ]
    checked = Registration.objects.filter(checked_in_at__isnull=False)
    assert set(checked) == {gate["holder"], gate["other"]}


# --- the device's clock -------------------------------------------------------------------------


def test_a_scans_time_is_shifted_by_the_devices_clock_and_never_later_than_now():
    behind = NOW - timedelta(minutes=5)  # the device's clock is five minutes slow
    scanned = behind - timedelta(minutes=20)
    assert clock_corrected(scanned, device_now=behind, now=NOW) == NOW - timedelta(minutes=20)
    ahead = NOW + timedelta(hours=1)
    assert clock_corrected(ahead, device_now=ahead, now=NOW) == NOW
    assert clock_corrected(NOW + timedelta(minutes=3), device_now=None, now=NOW) == NOW
    assert clock_corrected(scanned, device_now=None, now=NOW) == scanned


# --- the views ----------------------------------------------------------------------------------


@pytest.fixture
def staff_client(users):
    client = english_client()
    client.force_login(users["checkin_staff"])
    return client


def list_url(event):
    return reverse("events:gate_offline_list", args=[event.slug])


def sync_url(event):
    return reverse("events:gate_sync", args=[event.slug])


def post_sync(client, event, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(sync_url(event), data, content_type="application/json", **extra)


def scan_sent(registration, key: str, minutes_ago: int = 10, **fields) -> dict:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return {"key": key, "ticket": registration.ticket.pk, "at": at.isoformat(), **fields}


def test_the_list_is_for_this_gates_staff_only(gate, users, staff_client, event_factory):
    event = gate["event"]
    response = staff_client.get(list_url(event))
    assert response.status_code == 200
    assert response.json()["event"] == event.slug
    assert gate["holder"].ticket.pk in {ticket["id"] for ticket in response.json()["tickets"]}
    other = event_factory()
    EventStaff.objects.create(event=other, user=users["other_staff"])
    elsewhere = Client()
    elsewhere.force_login(users["other_staff"])
    assert elsewhere.get(list_url(event)).status_code == 404
    for role in ("member", "judge"):
        client = Client()
        client.force_login(users[role])
        assert client.get(list_url(event)).status_code == 403
    assert Client().get(list_url(event)).status_code == 302  # to log in


def test_the_list_is_never_kept_by_a_cache_on_the_way(gate, staff_client):
    cache_control = staff_client.get(list_url(gate["event"]))["Cache-Control"]
    assert "no-store" in cache_control
    assert "no-cache" in cache_control


def test_a_sync_records_the_scans_and_answers_each(gate, staff_client):
    event, holder = gate["event"], gate["holder"]
    response = post_sync(
        staff_client,
        event,
        {
            "sent_at": timezone.now().isoformat(),
            "scans": [
                scan_sent(holder, "k-1", minutes_ago=10, device="门岗 1"),
                scan_sent(holder, "k-2", minutes_ago=5, device="门岗 2"),
            ],
        },
    )
    assert response.status_code == 200
    first, duplicate = response.json()["results"]
    assert (first["key"], first["ok"], first["holder"]) == ("k-1", True, "王芳")
    assert (duplicate["key"], duplicate["ok"], duplicate["reason"]) == ("k-2", False, "duplicate")
    assert duplicate["first_device"] == "门岗 1"
    assert "王芳 was already checked in" in duplicate["message"]
    assert CheckIn.objects.filter(registration=holder).count() == 2
    assert CheckIn.objects.get(registration=holder, duplicate_of=None).synced_at is not None


def test_a_sync_needs_the_csrf_token(gate, users):
    event = gate["event"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["checkin_staff"])
    client.get(reverse("events:gate", args=[event.slug]))  # sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    body = {"scans": [scan_sent(gate["holder"], "k-1")]}
    assert post_sync(client, event, body).status_code == 403
    assert not CheckIn.objects.exists()
    accepted = post_sync(client, event, body, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert CheckIn.objects.filter(registration=gate["holder"]).count() == 1


def test_unreadable_scans_are_answered_each_and_the_good_ones_recorded(gate, staff_client):
    event = gate["event"]
    good = scan_sent(gate["holder"], "k-1")
    scans = [
        good,
        {**scan_sent(gate["other"], "k-2"), "ticket": "twelve"},
        {**scan_sent(gate["other"], "k-3"), "at": "yesterday"},
        {**scan_sent(gate["other"], "k-4"), "at": "2026-05-01T09:30:00"},  # no offset
        {**scan_sent(gate["other"], "k-5"), "key": ""},
        {**scan_sent(gate["other"], "k-6"), "booth": "花艺馆"},
        "not a scan",
        scan_sent(gate["team"], "k-7"),
    ]
    response = post_sync(staff_client, event, {"scans": scans})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["ok"] for result in results] == [True, *[False] * 6, True]
    unreadable = results[1:7]
    assert all(result["reason"] == "unreadable" for result in unreadable)
    fields = ["ticket:", "at:", "at:", "key:", "booth:", "a scan must be an object"]
    for result, field in zip(unreadable, fields, strict=True):
        assert field in result["message"], result
    keys = [result["key"] for result in results]
    assert keys == ["k-1", "k-2", "k-3", "k-4", "", "k-6", None, "k-7"]
    assert all(set(result) == set(results[0]) for result in results)  # one shape for all
    checked = Registration.objects.filter(checked_in_at__isnull=False)
    assert set(checked) == {gate["holder"], gate["team"]}


def test_a_scan_from_a_clock_at_the_ends_of_time_is_unreadable_and_the_others_recorded(
    gate, staff_client
):
    """A time that leaves Python's range once made UTC (year 1 at +14:00) or once shifted by
    the device's clock (year 9999 sent from a clock at year 1) is the one scan's problem."""
    scans = [
        {**scan_sent(gate["other"], "k-1"), "at": "0001-01-01T00:00:00+14:00"},
        {**scan_sent(gate["other"], "k-2"), "at": "9999-12-31T23:59:59+00:00"},
        scan_sent(gate["holder"], "k-3", minutes_ago=0),
    ]
    body = {"sent_at": "0001-01-02T00:00:00Z", "scans": scans}
    response = post_sync(staff_client, gate["event"], body)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["reason"] for result in results] == ["unreadable", "unreadable", ""]
    assert "at:" in results[0]["message"]
    assert "at:" in results[1]["message"]
    gate["holder"].refresh_from_db()
    assert gate["holder"].checked_in_at is not None


def test_a_body_that_is_not_json_is_refused_with_a_sentence(gate, staff_client):
    nested = "[" * 100_000  # deeper than the JSON reader recurses
    for body in ("scans=1", b"\xff\xfe", json.dumps({"scans": "k-1"}), "[]", nested):
        response = post_sync(staff_client, gate["event"], body)
        assert response.status_code == 400
        assert response.json()["error"].startswith("Send a JSON object")
    assert not CheckIn.objects.exists()


def test_too_many_scans_at_once_are_refused(gate, staff_client):
    scans = [scan_sent(gate["holder"], f"k-{n}") for n in range(SCANS_MAX + 1)]
    response = post_sync(staff_client, gate["event"], {"scans": scans})
    assert response.status_code == 400
    assert str(SCANS_MAX) in response.json()["error"]
    assert not CheckIn.objects.exists()
    just_enough = post_sync(staff_client, gate["event"], {"scans": scans[:SCANS_MAX]})
    assert just_enough.status_code == 200


def test_a_sync_is_a_post(gate, staff_client):
    assert staff_client.get(sync_url(gate["event"])).status_code == 405


def test_a_sync_from_another_events_staff_is_not_found(gate, users, event_factory):
    other = event_factory()
    EventStaff.objects.create(event=other, user=users["other_staff"])
    client = Client()
    client.force_login(users["other_staff"])
    response = post_sync(client, gate["event"], {"scans": [scan_sent(gate["holder"], "k-1")]})
    assert response.status_code == 404
    assert not CheckIn.objects.exists()


def test_the_service_worker_keeps_the_gate_page_and_existing_static_files(gate, staff_client):
    event = gate["event"]
    response = staff_client.get(reverse("events:gate_sw", args=[event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});", response.content.decode()).group(1))
    assert config["page"] == reverse("events:gate", args=[event.slug])
    assert config["page"] == f"/events/{event.slug}/gate/"
    assert config["cache"].startswith(config["prefix"])
    assert event.slug in config["prefix"]
    assert any(asset.endswith("events/gate_offline.js") for asset in config["assets"])
    for asset in config["assets"]:
        assert asset.startswith(settings.STATIC_URL)
        assert finders.find(asset.removeprefix(settings.STATIC_URL)) is not None, asset


def test_the_service_worker_is_for_this_gates_staff_only(gate, users, event_factory):
    url = reverse("events:gate_sw", args=[gate["event"].slug])
    other = event_factory()
    EventStaff.objects.create(event=other, user=users["other_staff"])
    client = Client()
    client.force_login(users["other_staff"])
    assert client.get(url).status_code == 404
    member = Client()
    member.force_login(users["member"])
    assert member.get(url).status_code == 403
