"""The password policy and who sees personal data."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laurel.accounts.models import Role
from laurel.accounts.policy import access_for, mobile_shown_to
from laurel.accounts.services import password_change, role_grant


@pytest.mark.parametrize(
    ("role", "password", "ok"),
    [
        ("judge", "Kestrel-42", True),
        ("judge", "kestrelwing42", False),  # two classes: not enough for staff
        ("federation_admin", "Ab1!", False),  # too short
        ("member", "kestrelwing42", True),  # members need two classes
        ("member", "kestrelwing", False),
    ],
)
def test_password_policy_depends_on_role(role, password, ok, make_user, world):
    unit = world.grassroots if role == "member" else None
    user = make_user(role, unit)
    if ok:
        password_change(user=user, new_password=password)
        user.refresh_from_db()
        assert user.check_password(password)
    else:
        with pytest.raises(ValidationError):
            password_change(user=user, new_password=password)


def test_password_policy_is_configurable(make_user, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "laurel.accounts.validators.PasswordPolicyValidator",
            "OPTIONS": {"staff_min_length": 12, "staff_min_classes": 4},
        }
    ]
    judge = make_user("judge")
    with pytest.raises(ValidationError):
        password_change(user=judge, new_password="Kestrel-42!")
    password_change(user=judge, new_password="Kestrel-42!xyz")


def test_mobiles_are_masked_for_everyone_but_the_person(users, client_as, world):
    member = users["member"]
    url = reverse("accounts:user_detail", args=[member.pk])
    page = client_as("unit_admin").get(url).content.decode()
    assert "139****0001" in page
    assert "13900000001" not in page
    list_page = client_as("federation_admin").get(reverse("accounts:user_list")).content.decode()
    assert "139****0001" in list_page
    assert "13900000001" not in list_page

    # the personal-data permission, scoped to the district, still shows it masked (it may
    # reveal it on request: tests/members/test_personal_numbers.py)
    role_grant(
        acting_user=None, user=users["unit_admin"], role=Role.PERSONAL_DATA, unit=world.district
    )
    page = client_as("unit_admin").get(url).content.decode()
    assert "139****0001" in page
    assert "13900000001" not in page
    # and the member sees their own
    assert "13900000001" in client_as("member").get(reverse("accounts:account")).content.decode()


def test_personal_data_scoped_to_one_district_does_not_reach_another(users, make_user, world):
    admin = users["federation_admin"]
    role_grant(acting_user=None, user=admin, role=Role.PERSONAL_DATA, unit=world.other_district)
    access = access_for(admin)
    other = make_user("member", world.other_grassroots, mobile="13700000002")
    # masked by default, even where the permission reaches
    assert mobile_shown_to(access, other) == "137****0002"
    # revealed on request only where it reaches
    assert mobile_shown_to(access, users["member"], revealed=True) == "139****0001"
    assert mobile_shown_to(access, other, revealed=True) == "13700000002"


def test_list_pages_cost_the_same_queries_for_5_or_40_rows(world, users, make_user, client_as):
    client = client_as("unit_admin")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    pages = [reverse("accounts:user_list"), reverse("orgs:unit_list")]
    few = [queries(url) for url in pages]
    for n in range(35):
        make_user("member", world.grassroots, mobile=f"1370000{n:04d}")
    assert [queries(url) for url in pages] == few
