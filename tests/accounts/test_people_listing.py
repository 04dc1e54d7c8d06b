"""The people list as one table (web.tables): searched through people_search, filtered by role
and state, sorted, exported — scoped and masked as the page is."""

import re

from laurel.accounts.models import Role
from laurel.accounts.services import role_grant, user_set_active
from laurel.audit.models import LogEntry
from laurel.web.tables import ROWS_PER_PAGE
from tests.helpers import exported

PEOPLE = "/console/people/"
HTMX = {"HX-Request": "true"}


def shown_usernames(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'href="/console/people/\d+/">([^<]+)</a>', response.content.decode())


def test_the_search_finds_by_name_and_shown_digits_and_excludes_the_rest(users, client_as):
    client = client_as("federation_admin")
    assert shown_usernames(client.get(PEOPLE, {"q": users["judge"].display_name})) == [
        users["judge"].username
    ]
    member = users["member"].username  # mobile 13900000001, shown 139****0001
    assert shown_usernames(client.get(PEOPLE, {"q": "0001"})) == [member]
    assert shown_usernames(client.get(PEOPLE, {"q": "139****0001"})) == [member]
    assert shown_usernames(client.get(PEOPLE, {"q": "3900000"})) == []  # hidden digits
    assert shown_usernames(client.get(PEOPLE, {"q": "13900000001"})) == []  # no permission


def test_a_whole_number_finds_someone_for_a_holder_and_is_audited(users, client_as):
    role_grant(acting_user=None, user=users["federation_admin"], role=Role.PERSONAL_DATA)
    client = client_as("federation_admin")
    assert shown_usernames(client.get(PEOPLE, {"q": "13900000001"})) == [users["member"].username]
    assert LogEntry.objects.filter(action="accounts.personal_data.searched").count() == 1
    rows = exported(client.get(PEOPLE, {"q": "13900000001", "export": "xlsx"}))
    assert [row[0] for row in rows[1:]] == [users["member"].username]
    assert rows[1][2] == "139****0001"  # found by the whole number, still shown masked


def test_the_role_and_active_filters_narrow_the_list(users, client_as):
    client = client_as("federation_admin")
    assert shown_usernames(client.get(PEOPLE, {"role": "judge"})) == [users["judge"].username]
    user_set_active(acting_user=None, user=users["judge"], active=False)
    assert shown_usernames(client.get(PEOPLE, {"active": "no"})) == [users["judge"].username]
    active = shown_usernames(client.get(PEOPLE, {"active": "yes"}))
    assert users["judge"].username not in active
    assert users["member"].username in active
    assert shown_usernames(client.get(PEOPLE, {"role": "nonsense"})) == []


def test_sorting_by_username_and_never_by_the_hidden_digits_of_a_mobile(
    users, make_user, world, client_as
):
    make_user("member", world.grassroots, username="aa_low", mobile="13999999999")
    make_user("member", world.grassroots, username="zz_high", mobile="13900000000")
    client = client_as("federation_admin")
    ascending = shown_usernames(client.get(PEOPLE, {"sort": "username"}))
    assert ascending == sorted(ascending)
    assert shown_usernames(client.get(PEOPLE, {"sort": "-username"})) == ascending[::-1]
    # sorting by the mobile would order people by the digits the mask hides: not offered
    for order in ("mobile", "-mobile"):
        assert shown_usernames(client.get(PEOPLE, {"sort": order})) == ascending


def test_the_export_holds_the_filtered_rows_masked_as_on_the_page(users, client_as):
    role_grant(acting_user=None, user=users["federation_admin"], role=Role.PERSONAL_DATA)
    client = client_as("federation_admin")
    client.cookies["django_language"] = "en"  # the roles and the state are words
    rows = exported(client.get(PEOPLE, {"role": "member", "export": "xlsx"}))
    assert len(rows[0]) == 5  # username, name, mobile, roles, active
    assert rows[1:] == [
        [
            users["member"].username,
            users["member"].display_name,
            "139****0001",
            "Member · 机关工会",
            "Active",
        ]
    ]
    assert "13900000001" not in str(rows)


def test_a_unit_admin_lists_and_exports_only_their_subtree(users, make_user, world, client_as):
    make_user("member", world.other_grassroots, username="fengjie_member")
    client = client_as("unit_admin")
    shown = shown_usernames(client.get(PEOPLE))
    assert sorted(shown) == sorted([users["member"].username, users["unit_admin"].username])
    exported_names = [row[0] for row in exported(client.get(PEOPLE, {"export": "xlsx"}))[1:]]
    assert sorted(exported_names) == sorted(shown)
    assert shown_usernames(client.get(PEOPLE, {"q": "fengjie"})) == []


def test_a_search_from_the_form_answers_with_the_listing_alone(users, client_as):
    response = client_as("federation_admin").get(PEOPLE, {"q": "0001"}, headers=HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="listing" id="listing">')
    assert 'data-count="1"' in body


def test_the_page_size_is_the_lists_own_whatever_the_request_asks(
    users, make_user, world, client_as
):
    for n in range(ROWS_PER_PAGE):
        make_user("member", world.grassroots, username=f"many{n:03d}")
    client = client_as("federation_admin")
    for asked in ("1000", "1", "-1", "0", "abc"):
        assert len(shown_usernames(client.get(PEOPLE, {"per_page": asked}))) == ROWS_PER_PAGE
