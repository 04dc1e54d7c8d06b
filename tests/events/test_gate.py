"""The gate page for staff phones: a ticket typed or scanned checked in (green) or refused
(red, with its reason), a double tap answered once, a lost ticket found by name and the last
four digits of the mobile, a walk-in registered and let in at once — or refused with nothing
written when no place is free; and check-in staff's home panel listing their gates."""

import pytest
from django.urls import reverse
from django.utils import translation

from laurel.events import services
from laurel.events.models import CheckIn, EventStaff, Registration
from tests.conftest import english_client, make_member
from tests.events.conftest import slot_of


@pytest.fixture
def users(users, make_user):
    """conftest's one user per role, and a check-in staff login."""
    return users | {"checkin_staff": make_user("checkin_staff")}


@pytest.fixture
def gate(event_factory, world, users):
    """An event whose gate the check-in staff login keeps: 王芳 (mobile …0321) holds the one
    place of 花艺馆 09:00; 剪纸馆 09:00 has three places."""
    event = event_factory(booths={"花艺馆": [(9, 10, 1)], "剪纸馆": [(9, 11, 3)]})
    holder = make_member(world.grassroots, 321, name="王芳")
    registration = services.registration_create(
        acting_user=None, event=event, slot=slot_of(event, "花艺馆", 9), member=holder
    ).registration
    EventStaff.objects.create(event=event, user=users["checkin_staff"])
    return {"event": event, "holder": holder, "registration": registration}


@pytest.fixture
def staff_client(users):
    """The check-in staff login, reading the gate in English (what the tests assert)."""
    client = english_client()
    client.force_login(users["checkin_staff"])
    return client


def scan(client, event, scanned, *, key="", **fields):
    with translation.override("en"):
        return client.post(
            reverse("events:gate", args=[event.slug]),
            {"scanned": scanned, "idempotency_key": key, **fields},
        )


def result_of(response) -> str:
    text = response.content.decode()
    start = text.index('id="scan-result"')
    return text[start : text.index("</section>", start)]


def test_a_typed_code_lets_the_holder_in_and_a_second_scan_is_a_duplicate(gate, staff_client):
    event, registration = gate["event"], gate["registration"]
    code = services.ticket_of(registration).code
    first = scan(staff_client, event, code.lower(), device="东门1号")
    assert first.status_code == 200
    shown = result_of(first)
    assert 'data-result="ok"' in shown
    assert "王芳" in shown
    assert "花艺馆" in shown
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    again = result_of(scan(staff_client, event, code, device="西门"))
    assert 'data-result="duplicate"' in again
    first_at = CheckIn.objects.get(registration=registration, duplicate_of=None).at
    assert first_at.astimezone().strftime("%H:%M") in again or "东门1号" in again
    assert "东门1号" in again


def test_refusals_are_red_with_their_reason(gate, staff_client, event_factory, world):
    event = gate["event"]
    other = event_factory(booths={"剪纸馆": [(9, 11, 3)]})
    elsewhere = services.registration_create(
        acting_user=None,
        event=other,
        slot=slot_of(other, "剪纸馆", 9),
        member=make_member(world.grassroots, 322),
    ).registration
    payload = services.ticket_of(gate["registration"]).payload
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB")
    assert 'data-result="forged"' in result_of(scan(staff_client, event, tampered))
    other_payload = services.ticket_of(elsewhere).payload
    assert 'data-result="other-event"' in result_of(scan(staff_client, event, other_payload))
    paper = event.booths.get(name="剪纸馆").pk
    wrong = result_of(scan(staff_client, event, payload, booth=paper))
    assert 'data-result="wrong-booth"' in wrong
    services.registration_cancel(acting_user=None, registration=gate["registration"])
    assert 'data-result="cancelled"' in result_of(scan(staff_client, event, payload))


def test_a_double_tap_with_one_key_checks_in_once(gate, staff_client):
    event, registration = gate["event"], gate["registration"]
    code = services.ticket_of(registration).code
    first = result_of(scan(staff_client, event, code, key="tap-1"))
    second = result_of(scan(staff_client, event, code, key="tap-1"))
    assert 'data-result="ok"' in first
    assert 'data-result="ok"' in second
    assert CheckIn.objects.filter(registration=registration).count() == 1


def test_htmx_gets_the_result_alone_with_a_fresh_key(gate, staff_client):
    code = services.ticket_of(gate["registration"]).code
    response = staff_client.post(
        reverse("events:gate", args=[gate["event"].slug]), {"scanned": code}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert 'id="scan-form"' not in text
    assert 'data-result="ok"' in text
    assert 'id="scan-key"' in text
    assert 'hx-swap-oob="true"' in text


def test_a_lost_ticket_is_found_by_name_and_last_four_digits_only(gate, staff_client):
    event, registration = gate["event"], gate["registration"]
    mobile = gate["holder"].mobile
    url = reverse("events:gate_lost", args=[event.slug])
    with translation.override("en"):
        found = staff_client.get(url, {"name": "王芳", "mobile_last4": mobile[-4:]})
    text = found.content.decode()
    assert f'data-registration="{registration.pk}"' in text
    assert f"mobile ending {mobile[-4:]}" in text
    assert mobile not in text
    assert mobile[:7] not in text
    wrong = staff_client.get(url, {"name": "王芳", "mobile_last4": "9999"}).content.decode()
    assert f'data-registration="{registration.pk}"' not in wrong
    checked = staff_client.post(url, {"registration": registration.pk, "idempotency_key": "k1"})
    assert 'data-result="ok"' in result_of(checked)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_a_walk_in_is_registered_and_checked_in_at_once(gate, staff_client, world):
    event = gate["event"]
    walker = make_member(world.grassroots, 323, name="张伟")
    url = reverse("events:gate_walk_in", args=[event.slug])
    page = staff_client.get(url, {"name": "张伟", "mobile_last4": walker.mobile[-4:]})
    text = page.content.decode()
    assert f'data-member="{walker.pk}"' in text
    paper = slot_of(event, "剪纸馆", 9)
    assert f'<option value="{paper.pk}">剪纸馆 ' in text
    full = slot_of(event, "花艺馆", 9)
    assert f'<option value="{full.pk}">花艺馆 ' not in text  # no place left: not offered
    response = staff_client.post(
        url,
        {
            "member": walker.pk,
            "name": "张伟",
            "mobile_last4": walker.mobile[-4:],
            "slot": paper.pk,
            "idempotency_key": "walk-1",
        },
    )
    assert 'data-result="ok"' in result_of(response)
    registration = Registration.objects.get(event=event, member=walker)
    assert registration.state == Registration.State.REGISTERED
    assert registration.checked_in_at is not None


def test_a_walk_in_to_a_full_slot_is_refused_and_nothing_is_written(gate, staff_client, world):
    event = gate["event"]
    walker = make_member(world.grassroots, 324, name="赵敏")
    full = slot_of(event, "花艺馆", 9)
    before = Registration.objects.count()
    with translation.override("en"):
        response = staff_client.post(
            reverse("events:gate_walk_in", args=[event.slug]),
            {
                "member": walker.pk,
                "name": "赵敏",
                "mobile_last4": walker.mobile[-4:],
                "slot": full.pk,
                "idempotency_key": "walk-2",
            },
        )
    shown = result_of(response)
    assert 'data-result="walk-in-full"' in shown
    assert "No place is left there" in shown
    assert Registration.objects.count() == before


def test_a_walk_in_is_only_someone_found_by_name_and_digits(gate, staff_client, world):
    walker = make_member(world.grassroots, 325, name="孙丽")
    response = staff_client.post(
        reverse("events:gate_walk_in", args=[gate["event"].slug]),
        {"member": walker.pk, "name": "孙丽", "mobile_last4": "0000", "idempotency_key": "w3"},
    )
    assert response.status_code == 404
    assert not Registration.objects.filter(member=walker).exists()


def test_checkin_staff_see_their_gates_on_the_home_page(gate, staff_client, event_factory):
    other = event_factory()
    text = staff_client.get(reverse("web:home")).content.decode()
    assert reverse("events:gate", args=[gate["event"].slug]) in text
    assert reverse("events:gate", args=[other.slug]) not in text
    assert "data-checkin-waiting" not in text


def test_a_walk_in_comes_on_the_day_after_registration_closed_with_no_answers_asked(
    event_factory, world, users
):
    from datetime import timedelta

    from django.utils import timezone

    event = event_factory(
        booths={"剪纸馆": [(9, 11, 1)]},
        questions=[("工号", "text", "", True)],
        registration_opens_at=timezone.now() - timedelta(days=3),
        registration_closes_at=timezone.now() - timedelta(days=1),
    )
    services.event_state_set(acting_user=users["federation_admin"], event=event, state="closed")
    walker = make_member(world.grassroots, 401, name="赵六")
    with pytest.raises(services.RegistrationRefused):  # the window holds for everyone else
        services.registration_create(
            acting_user=None, event=event, slot=slot_of(event, "剪纸馆", 9), member=walker
        )
    outcome = services.walk_in_register(
        acting_user=users["checkin_staff"],
        event=event,
        slot=slot_of(event, "剪纸馆", 9),
        member=walker,
    )
    assert outcome.ok
    assert outcome.registration.member == walker
    late = make_member(world.grassroots, 402, name="钱七")
    with pytest.raises(services.RegistrationRefused) as refused:  # capacity still holds
        services.walk_in_register(
            acting_user=users["checkin_staff"],
            event=event,
            slot=slot_of(event, "剪纸馆", 9),
            member=late,
        )
    assert refused.value.reason == "full"
