"""An event's check-in staff: organisers give the gate to check-in staff logins by username
(no one else), take it back, each change audited; a login given the gate reaches it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from laurel.audit.models import LogEntry
from laurel.events import policy, services
from laurel.events.models import EventStaff
from laurel.web.access import Access


@pytest.fixture
def users(users, make_user):
    return users | {"checkin_staff": make_user("checkin_staff", username="gate1")}


def test_the_organiser_gives_the_gate_by_username_and_takes_it_back(
    event_factory, users, client_as
):
    event = event_factory()
    admin = client_as("federation_admin")
    url = reverse("events:console_staff", args=[event.slug])
    response = admin.post(url, {"username": "gate1"})
    assert response.status_code == 302
    assert EventStaff.objects.filter(event=event, user=users["checkin_staff"]).exists()
    assert LogEntry.objects.filter(action="events.staff.added").count() == 1
    assert 'data-username="gate1"' in admin.get(url).content.decode()
    gate = reverse("events:gate", args=[event.slug])
    assert client_as("checkin_staff").get(gate).status_code == 200
    remove = reverse("events:console_staff_remove", args=[event.slug, users["checkin_staff"].pk])
    assert admin.post(remove).status_code == 302
    assert not EventStaff.objects.filter(event=event).exists()
    assert LogEntry.objects.filter(action="events.staff.removed").count() == 1
    assert client_as("checkin_staff").get(gate).status_code == 404


def test_only_checkin_staff_logins_are_given_a_gate(event_factory, users, client_as):
    event = event_factory()
    response = client_as("federation_admin").post(
        reverse("events:console_staff", args=[event.slug]),
        {"username": users["member"].username},
    )
    assert response.status_code == 200
    assert not EventStaff.objects.exists()
    with pytest.raises(ValidationError):
        services.staff_add(acting_user=users["federation_admin"], event=event, user=users["judge"])


def test_a_gate_is_given_once(event_factory, users):
    event = event_factory()
    services.staff_add(acting_user=None, event=event, user=users["checkin_staff"])
    with pytest.raises(ValidationError):
        services.staff_add(acting_user=None, event=event, user=users["checkin_staff"])


def test_may_check_in_is_the_organisers_and_the_staff_given_the_gate(event_factory, users):
    event, other = event_factory(), event_factory()
    services.staff_add(acting_user=None, event=event, user=users["checkin_staff"])
    staff = Access(user_id=users["checkin_staff"].pk, is_checkin_staff=True)
    assert policy.may_check_in(staff, event)
    assert not policy.may_check_in(staff, other)
    # the role taken away: the gate given no longer opens
    assert not policy.may_check_in(Access(user_id=users["checkin_staff"].pk), event)
    assert policy.may_check_in(Access(user_id=1, is_federation_admin=True), other)
