"""Check-in staff: a login for the day at a gate. The federation grants and revokes the role
as any other (audited); alone it signs in, sees a home panel saying its work will appear there,
changes its password, and is refused every console, judge and person's own page. The URL ×
role table walks it too (tests/test_access.py)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from laurel.accounts.models import Role, RoleGrant
from laurel.accounts.policy import access_for, invitable_roles
from laurel.accounts.services import password_change, role_grant
from laurel.audit.models import LogEntry
from tests.conftest import english_client

PUBLIC_PANELS = {"open_calls", "exhibitions", "results"}  # as tests/web/test_home.py


@pytest.fixture
def checkin(make_user):
    return make_user("checkin_staff")


def client_of(user, client: Client | None = None) -> Client:
    client = client or Client()
    client.force_login(user)
    return client


def panels_of(html: str) -> set[str]:
    return set(re.findall(r'data-panel="([^"]+)"', html))


def test_the_federation_grants_and_revokes_the_role_audited(users, make_user, client_as):
    person = make_user(None)
    federation = client_as("federation_admin")
    page = federation.get(reverse("accounts:user_detail", args=[person.pk])).content.decode()
    assert '<option value="checkin_staff">' in page  # the roles console offers it

    response = federation.post(
        reverse("accounts:role_grant", args=[person.pk]), {"role": "checkin_staff"}
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=person)
    assert (grant.role, grant.unit_id) == (Role.CHECKIN_STAFF, None)
    granted = LogEntry.objects.get(action="accounts.role.granted", object_id=str(person.pk))
    assert granted.actor == users["federation_admin"]
    assert granted.data == {"role": "checkin_staff", "unit": None}

    response = federation.post(reverse("accounts:role_revoke", args=[person.pk, grant.pk]))
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(user=person).exists()
    revoked = LogEntry.objects.get(action="accounts.role.revoked", object_id=str(person.pk))
    assert revoked.actor == users["federation_admin"]
    assert revoked.data == {"role": "checkin_staff", "unit": None}


def test_the_federation_may_invite_check_in_staff_and_a_unit_admin_may_not(users):
    assert Role.CHECKIN_STAFF in invitable_roles(access_for(users["federation_admin"]))
    assert Role.CHECKIN_STAFF not in invitable_roles(access_for(users["unit_admin"]))


def test_access_for_sets_the_flag_and_alone_it_is_a_checkin_only_login(checkin, users, world):
    access = access_for(checkin)
    assert access.is_checkin_staff
    assert access.is_checkin_only
    assert not access.is_staff
    assert not access_for(users["member"]).is_checkin_staff
    # a member who also checks people in keeps a member's own pages
    role_grant(acting_user=None, user=checkin, role=Role.MEMBER, unit=world.grassroots)
    assert access_for(checkin).is_checkin_staff
    assert not access_for(checkin).is_checkin_only


def test_the_staff_password_rule_applies(checkin):
    with pytest.raises(ValidationError):
        password_change(user=checkin, new_password="kestrelwing42")  # two classes: a member's
    password_change(user=checkin, new_password="Kestrel-42")


def test_the_home_page_says_where_the_check_in_work_will_appear(checkin, users):
    html = client_of(checkin, english_client()).get(reverse("web:home")).content.decode()
    assert panels_of(html) - PUBLIC_PANELS == {"checkin"}  # no member, judge or staff panel
    assert "Your check-in work appears here once an event gives you a gate." in html
    # the top bar has neither a person's own links nor the console
    assert reverse("notifications:inbox") not in html
    assert reverse("contests:my_entries") not in html
    assert 'id="nav-console"' not in html
    member_html = client_of(users["member"]).get(reverse("web:home")).content.decode()
    assert "checkin" not in panels_of(member_html)


def test_the_login_changes_its_own_password(checkin):
    client = client_of(checkin)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Test-pass-2026", "password1": "Gate-day-7", "password2": "Gate-day-7"},
    )
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.check_password("Gate-day-7")


@pytest.mark.parametrize(
    "name", ["web:console", "accounts:user_list", "judging:judge_home", "members:my_record"]
)
def test_console_judge_and_member_pages_are_refused(checkin, name):
    assert client_of(checkin).get(reverse(name)).status_code == 403


def test_holding_the_member_role_too_opens_the_members_own_pages(checkin, world):
    role_grant(acting_user=None, user=checkin, role=Role.MEMBER, unit=world.grassroots)
    assert client_of(checkin).get(reverse("members:my_record")).status_code == 200


def test_a_check_in_login_uploads_nothing(checkin):
    """Uploads are for people with pages of their own to use them on."""
    response = client_of(checkin).post(reverse("media:upload"), {})
    assert response.status_code == 403
