"""The members list on the one table: the unit filter keeps a unit's subtree and offers only
the units the viewer may see; numbers are never a sort order."""

from django.urls import reverse

from tests.conftest import make_member

URL = "members:member_list"


def names(response) -> set[str]:
    return {member.name for member in response.context["listing"].records}


def test_the_unit_filter_keeps_the_units_subtree(world, client_as):
    make_member(world.grassroots, 1, name="永川甲")
    make_member(world.district, 2, name="永川乙")
    make_member(world.other_grassroots, 3, name="奉节丙")
    client = client_as("federation_admin")
    assert names(client.get(reverse(URL), {"unit": world.district.pk})) == {"永川甲", "永川乙"}
    assert names(client.get(reverse(URL), {"unit": world.other_district.pk})) == {"奉节丙"}
    # typed without choosing (no script): the one unit named is chosen
    assert names(client.get(reverse(URL), {"unit_q": "奉节县"})) == {"奉节丙"}


def test_a_unit_admin_cannot_filter_by_a_unit_outside_their_subtree(world, client_as):
    make_member(world.other_grassroots, 3, name="奉节丙")
    client = client_as("unit_admin")
    assert names(client.get(reverse(URL), {"unit": world.other_district.pk})) == set()
    assert names(client.get(reverse(URL), {"unit_q": "奉节县"})) == set()


def test_numbers_are_not_a_sort_order(world, client_as):
    make_member(world.grassroots, 1, name="甲")
    make_member(world.grassroots, 2, name="乙")
    client = client_as("federation_admin")
    default = [m.name for m in client.get(reverse(URL)).context["listing"].records]
    for column in ("id_card", "-id_card", "mobile"):
        shown = [
            m.name for m in client.get(reverse(URL), {"sort": column}).context["listing"].records
        ]
        assert shown == default


def test_the_unit_filter_offers_any_unit_not_no_unit(world, client_as):
    client = client_as("federation_admin")
    client.cookies["django_language"] = "en"
    page = client.get(reverse(URL)).content.decode()
    assert "Any unit" in page
    assert "No unit</span>" not in page
    assert 'data-empty="any"' in page
