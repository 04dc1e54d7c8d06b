"""Personal numbers (issue 17): masked for everyone but the person, revealed one person at a
time on request, searched by whole numbers only with the permission, never an oracle."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from laurel.accounts.models import Role
from laurel.accounts.people_search import NumberSearchLimited
from laurel.accounts.services import role_grant
from laurel.audit.models import LogEntry
from laurel.contests.services import contest_create, contest_transition
from laurel.members.services import member_file_import
from tests.conftest import make_member, valid_id_card

MOBILE = "17812346889"
WRONG_MOBILE = "17899996889"  # the same visible digits, other hidden ones
HTMX = {"HX-Request": "true"}


@pytest.fixture
def person(world):
    """A member of the unit admin's subtree, with a login that has the same mobile."""
    return make_member(world.grassroots, 7, name="王芳", mobile=MOBILE)


@pytest.fixture
def open_contest(users):
    now = timezone.now()
    contest = contest_create(
        acting_user=users["federation_admin"],
        slug="photo-2026",
        title="职工摄影展",
        organiser="市总工会",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
        categories=["风光"],
        prize_tiers=[("一等奖", 5)],
    )
    return contest_transition(acting_user=users["federation_admin"], contest=contest, to="open")


def export_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))[1:]


def searches(client, open_contest):
    """Each people search, as ``query -> comparable answer`` (the echoed query blanked)."""

    def page(url, query):
        text = client.get(url, {"q": query}, headers=HTMX).content.decode()
        return text.replace(query, "QUERY")

    return {
        "members": lambda q: page(reverse("members:member_list"), q),
        "people": lambda q: page(reverse("accounts:user_list"), q),
        "submit_for": lambda q: page(
            reverse("contests:console_entry_submit", args=[open_contest.slug]), q
        ),
        "export": lambda q: export_rows(client.get(reverse("members:member_export"), {"q": q})),
    }


# --- search: no oracle ----------------------------------------------------------------------


def test_a_whole_number_from_someone_without_the_permission_finds_what_a_wrong_guess_finds(
    person, users, make_user, world, client_as, open_contest
):
    make_user("member", world.grassroots, mobile=MOBILE, display_name="王芳的登录")
    client = client_as("unit_admin")
    for place, search in searches(client, open_contest).items():
        for true, wrong in [
            (MOBILE, WRONG_MOBILE),
            (person.id_card, valid_id_card(8, born="19800505")),
        ]:
            if place == "people" and true == person.id_card:
                continue  # logins have no ID number
            assert search(true) == search(wrong), (place, true)
            assert "王芳" not in str(search(true)), (place, true)
        # the digits a masked number shows do find them
        assert "王芳" in str(search("6889")), place
        assert "王芳" in str(search("178****6889")), place
    members = searches(client, open_contest)["members"]
    assert "王芳" in members(person.id_card[:6])
    assert "王芳" in members(person.id_card[-4:].lower())
    assert not LogEntry.objects.filter(action="accounts.personal_data.searched").exists()


def test_a_holder_finds_by_whole_number_only_where_the_permission_reaches(
    person, users, world, client_as, open_contest
):
    admin = users["unit_admin"]  # administers the district
    role_grant(acting_user=None, user=admin, role=Role.PERSONAL_DATA, unit=world.grassroots)
    at_district = make_member(world.district, 9, name="区里人", mobile="17711112222")
    client = client_as("unit_admin")
    found = searches(client, open_contest)
    for place in ("members", "submit_for", "export"):
        assert "王芳" in str(found[place](MOBILE)), place
        assert "王芳" in str(found[place](person.id_card)), place
        assert "王芳" not in str(found[place](WRONG_MOBILE)), place
        # administered, but outside the permission's subtree: a whole number finds no one
        assert "区里人" not in str(found[place](at_district.id_card)), place
        assert "区里人" not in str(found[place]("17711112222")), place
        assert "177****2222" in str(found[place]("区里")), place  # by name
    entry = LogEntry.objects.filter(action="accounts.personal_data.searched").first()
    assert entry.actor == admin
    assert MOBILE not in str(entry.data)
    assert person.id_card not in str(LogEntry.objects.values_list("data", flat=True))


def test_number_searches_beyond_the_limit_are_refused(person, users, client_as):
    role_grant(acting_user=None, user=users["unit_admin"], role=Role.PERSONAL_DATA)
    client = client_as("unit_admin")
    url = reverse("members:member_list")
    for _ in range(30):
        assert "王芳" in client.get(url, {"q": MOBILE}, headers=HTMX).content.decode()
    refused = client.get(url, {"q": MOBILE}, headers=HTMX).content.decode()
    assert 'id="search-refusal"' in refused
    assert str(NumberSearchLimited.message) in refused
    assert "王芳" not in refused
    # names still search; the export by number is refused outright
    assert "王芳" in client.get(url, {"q": "王芳"}, headers=HTMX).content.decode()
    assert client.get(reverse("members:member_export"), {"q": MOBILE}).status_code == 429
    people = client.get(reverse("accounts:user_list"), {"q": MOBILE}, headers=HTMX)
    assert 'id="search-refusal"' in people.content.decode()


# --- masked by default, revealed on request -----------------------------------------------


def test_a_holder_everywhere_sees_masked_numbers_until_revealing_one_person(
    person, users, client_as
):
    admin = users["federation_admin"]
    role_grant(acting_user=None, user=admin, role=Role.PERSONAL_DATA)
    client = client_as("federation_admin")
    pages = [
        client.get(reverse("members:member_list")).content.decode(),
        client.get(reverse("members:member_detail", args=[person.pk])).content.decode(),
    ]
    for page in pages:
        assert person.id_card_masked in page
        assert person.id_card not in page
        assert MOBILE not in page
    rows = export_rows(client.get(reverse("members:member_export")))
    assert (rows[0][2], rows[0][3]) == (person.id_card_masked, "178****6889")
    assert reverse("members:member_numbers_reveal", args=[person.pk]) in pages[1]

    response = client.post(reverse("members:member_numbers_reveal", args=[person.pk]), headers=HTMX)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert person.id_card in response.content.decode()
    assert MOBILE in response.content.decode()
    entry = LogEntry.objects.get(action="members.personal_data.revealed")
    assert (entry.actor, entry.object_id) == (admin, str(person.pk))
    assert entry.data == {"id_card": person.id_card_masked, "mobile": "178****6889"}


def test_a_login_s_mobile_is_revealed_on_request(users, world, make_user, client_as):
    admin = users["unit_admin"]
    role_grant(acting_user=None, user=admin, role=Role.PERSONAL_DATA, unit=world.grassroots)
    person = make_user("member", world.grassroots, mobile=MOBILE)
    client = client_as("unit_admin")
    detail = client.get(reverse("accounts:user_detail", args=[person.pk])).content.decode()
    assert "178****6889" in detail
    assert MOBILE not in detail
    response = client.post(reverse("accounts:user_numbers_reveal", args=[person.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert MOBILE in response.content.decode()
    entry = LogEntry.objects.get(action="accounts.personal_data.revealed")
    assert entry.data == {"mobile": "178****6889"}


def test_a_reveal_beyond_the_permission_is_refused_and_another_unit_is_not_found(
    person, users, world, client_as
):
    role_grant(
        acting_user=None, user=users["unit_admin"], role=Role.PERSONAL_DATA, unit=world.grassroots
    )
    at_district = make_member(world.district, 9)
    foreign = make_member(world.other_grassroots, 10)
    client = client_as("unit_admin")
    reveal = "members:member_numbers_reveal"
    assert client.post(reverse(reveal, args=[person.pk])).status_code == 200
    assert client.post(reverse(reveal, args=[at_district.pk])).status_code == 403
    assert client.post(reverse(reveal, args=[foreign.pk])).status_code == 404
    assert client.get(reverse(reveal, args=[person.pk])).status_code == 405
    assert LogEntry.objects.filter(action="members.personal_data.revealed").count() == 1


# --- exports with whole numbers: a separate, audited choice -------------------------------


def test_the_unmasked_export_is_its_own_audited_choice_within_the_permission(
    person, users, world, client_as
):
    admin = users["unit_admin"]
    role_grant(acting_user=None, user=admin, role=Role.PERSONAL_DATA, unit=world.grassroots)
    at_district = make_member(world.district, 9, name="区里人")
    client = client_as("unit_admin")
    url = reverse("members:member_export")
    masked_rows = export_rows(client.get(url))
    assert {row[2] for row in masked_rows} == {person.id_card_masked, at_district.id_card_masked}
    assert LogEntry.objects.filter(action="members.exported").count() == 1

    rows = export_rows(client.get(url, {"full_numbers": "1"}))
    assert {row[2] for row in rows} == {person.id_card, at_district.id_card_masked}
    assert MOBILE in {row[3] for row in rows}
    entry = LogEntry.objects.get(action="members.exported_unmasked")
    assert (entry.data["rows"], entry.data["unmasked_rows"]) == (2, 1)


def test_full_numbers_asked_for_without_the_permission_stay_masked(person, client_as):
    rows = export_rows(
        client_as("federation_admin").get(reverse("members:member_export"), {"full_numbers": "1"})
    )
    assert (rows[0][2], rows[0][3]) == (person.id_card_masked, "178****6889")
    assert not LogEntry.objects.filter(action="members.exported_unmasked").exists()
    assert LogEntry.objects.filter(action="members.exported").count() == 1


def test_a_number_in_the_export_s_query_is_masked_in_the_audit_entry(person, client_as):
    client_as("unit_admin").get(reverse("members:member_export"), {"q": MOBILE})
    entry = LogEntry.objects.get(action="members.exported")
    assert MOBILE not in str(entry.data)
    assert "178****6889" in entry.data["filter"]


# --- imports: a refusal that says nothing about elsewhere ---------------------------------


def roster(*rows) -> bytes:
    lines = ["姓名,性别,身份证号,手机号,单位,职务", *(",".join(row) for row in rows)]
    return "\n".join(lines).encode()


def test_an_id_number_held_outside_the_importers_units_is_refused_in_the_same_words(world, users):
    in_other_district = make_member(world.other_grassroots, 11, name="奉节人")
    at_federation = make_member(world.federation, 12, name="市里人")
    rows = [
        ["张三", "", in_other_district.id_card, "", "cq/yc/jg", ""],
        ["李四", "", at_federation.id_card, "", "cq/yc/jg", ""],
    ]
    with translation.override("en"):
        result = member_file_import(
            acting_user=users["unit_admin"], source=roster(*rows), filename="r.csv"
        )
    reasons = [outcome.problems[0].reason for outcome in result.rejected]
    assert len(reasons) == 2
    assert reasons[0] == reasons[1]
    assert reasons[0].startswith("This row cannot be imported into your units")
    for secret in ("奉节", "市里人", "cq/fj", "重庆市总工会", "registered", "outside"):
        assert secret not in reasons[0]
