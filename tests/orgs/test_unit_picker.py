"""The unit picker: units found by name among those the person may see, shown with their
district, submitted as a pk the server checks again; and it works without JavaScript."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from laurel.accounts.models import Invitation
from laurel.orgs.forms import UnitPickField
from laurel.orgs.models import Unit
from laurel.orgs.policy import units_visible
from laurel.orgs.selectors import PICK_LIMIT, unit_choices
from laurel.orgs.services import unit_create
from laurel.orgs.widgets import UnitQuery
from tests.conftest import english_client

RADIO = re.compile(r'<input type="radio" name="(?P<name>[^"]+)" value="(?P<pk>\d*)"( checked)?')


def radios(html: str) -> dict[str, bool]:
    """The radio buttons of a picker: pk → checked."""
    return {m["pk"]: bool(m.group(3)) for m in RADIO.finditer(html)}


def pick(client, **params):
    response = client.get(reverse("orgs:unit_pick"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_matches_are_the_units_the_person_may_see_each_with_its_district(world, client_as):
    # two units are called 机关工会; the unit admin of 永川区 sees only theirs
    html = pick(client_as("unit_admin"), q="机关", name="unit")
    assert radios(html) == {str(world.grassroots.pk): False}
    assert '机关工会 <span class="muted">· 永川区总工会</span>' in html
    html = pick(client_as("federation_admin"), q="机关", name="unit")
    assert radios(html) == {str(world.grassroots.pk): False, str(world.other_grassroots.pk): False}
    assert "· 奉节县总工会" in html
    assert "· 永川区总工会" in html
    assert "cq/" not in html  # names, not codes


def test_no_match_is_said_in_a_sentence(world, client_as):
    html = pick(client_as("federation_admin"), q="没有这个单位", name="unit")
    assert radios(html) == {}
    assert "data-unit-pick-none" in html
    assert "没有这个单位" in html


def test_at_most_twenty_matches_and_the_rest_is_said(world):
    for n in range(PICK_LIMIT + 3):
        unit_create(
            acting_user=None,
            name=f"车间{n}",
            code=f"cq/yc/jg/{n}",
            kind="workplace",
            parent=world.grassroots,
        )
    field = UnitPickField(required=True)
    field.queryset = Unit.objects.all()
    html = str(field.widget.render("unit", None))
    assert radios(html) == {}  # nothing typed, nothing offered
    html = str(field.widget.render("unit", UnitQuery("车间")))
    assert len(radios(html)) == PICK_LIMIT
    assert "data-unit-pick-more" in html


def test_the_unit_chosen_stays_while_one_searches_on(world, client_as):
    client = client_as("unit_admin")
    html = pick(client, q="永川", name="unit", selected=world.grassroots.pk)
    assert radios(html) == {str(world.grassroots.pk): True, str(world.district.pk): False}
    # a unit outside the person's reach is never offered, chosen or not
    html = pick(client, q="奉节", name="unit", selected=world.other_grassroots.pk)
    assert radios(html) == {}


def test_an_optional_picker_offers_no_unit_and_names_its_radios_as_asked(world, client_as):
    html = pick(client_as("federation_admin"), q="永川区", name="unit-2", required="0")
    assert radios(html) == {str(world.district.pk): False, "": True}
    assert 'name="unit-2"' in html
    html = pick(client_as("federation_admin"), q="永川区", name='x" onclick="y')
    assert 'name="unit"' in html
    assert "onclick" not in html


def test_the_server_checks_the_choice_again(world, users):
    field = UnitPickField()
    field.queryset = units_visible(users["unit_admin"].access)
    assert field.clean(str(world.grassroots.pk)) == world.grassroots
    with pytest.raises(ValidationError) as refused:
        field.clean(str(world.other_grassroots.pk))
    assert refused.value.code == "invalid_choice"


@pytest.mark.parametrize(
    ("role", "typed", "outcome"),
    [
        ("unit_admin", "机关", "grassroots"),  # one match among the units they see
        ("federation_admin", "机关", "several_units"),  # two 机关工会: choose one
        ("federation_admin", "永川区总工会", "district"),  # the whole name, exactly
        ("federation_admin", "ＣＱ/ＹＣ/ＪＧ", "grassroots"),  # a code, typed full-width
        ("unit_admin", "奉节", "no_unit"),  # another district's: nothing
    ],
)
def test_text_typed_without_javascript_picks_the_one_unit_it_names(
    world, users, role, typed, outcome
):
    field = UnitPickField()
    field.queryset = units_visible(users[role].access)
    value = field.widget.value_from_datadict({"unit_q": typed}, {}, "unit")
    if outcome in ("grassroots", "district"):
        assert field.clean(value) == getattr(world, outcome)
    else:
        with pytest.raises(ValidationError) as refused:
            field.clean(value)
        assert refused.value.code == outcome


def test_a_page_works_without_javascript(world, users):
    """Printing invitation codes: the name typed, sent; two matches come back to choose from."""
    client = english_client()
    client.force_login(users["federation_admin"])
    url = reverse("accounts:invitation_codes")
    response = client.post(url, {"unit_q": "机关", "count": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Several units have “机关” in their name: choose one below." in html
    assert radios(html) == {str(world.grassroots.pk): False, str(world.other_grassroots.pk): False}
    assert 'value="机关"' in html  # what was typed stays in the search box
    response = client.post(url, {"unit_q": "机关", "unit": world.other_grassroots.pk, "count": 2})
    assert response.context["unit"] == world.other_grassroots
    assert Invitation.objects.filter(unit=world.other_grassroots).count() == 2


def test_the_picker_is_a_search_box_and_its_script(world, users):
    field = UnitPickField(required=False)
    field.queryset = units_visible(users["federation_admin"].access)
    html = str(field.widget.render("unit", world.grassroots.pk, attrs={"id": "id_unit"}))
    assert '<input type="search" name="unit_q" value="" id="id_unit"' in html
    assert "data-unit-picker-query" in html
    assert 'src="/static/orgs/unit_picker.js"' in html
    assert radios(html) == {str(world.grassroots.pk): True, "": False}
    assert " required" not in html


def test_choices_carry_the_district_they_belong_to(world):
    choices = {
        c.pk: c.label for c in unit_choices([world.federation, world.district, world.grassroots])
    }
    assert choices == {
        world.federation.pk: "重庆市总工会",
        world.district.pk: "永川区总工会",
        world.grassroots.pk: "机关工会 · 永川区总工会",
    }
