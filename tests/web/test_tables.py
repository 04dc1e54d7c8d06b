"""The one table of every list (web.tables), seen through the units list: search, filters,
sorting, pages, the export of what is shown, and the policy's scope kept through all of them."""

import re

from laurel.orgs.services import unit_create
from laurel.web.tables import ROWS_PER_PAGE
from tests.helpers import exported, response_body

UNITS = "/console/units/"


def shown_names(response) -> list[str]:
    body = response_body(response).decode()
    return re.findall(r'href="/console/units/\d+/">([^<]+)</a>', body)


def many_units(world, count: int):
    for n in range(count):
        unit_create(
            acting_user=None,
            name=f"第{n:03d}基层工会",
            code=f"cq/yc/g{n:03d}",
            kind="grassroots",
            parent=world.district,
        )


def test_search_finds_by_name_and_counts_what_it_found(world, client_as):
    response = client_as("federation_admin").get(UNITS, {"q": "永川"})
    assert shown_names(response) == ["永川区总工会"]
    assert 'data-count="1"' in response_body(response).decode()


def test_a_filter_narrows_and_an_unknown_choice_shows_nothing(world, client_as):
    client = client_as("federation_admin")
    names = shown_names(client.get(UNITS, {"kind": "district"}))
    assert sorted(names) == ["奉节县总工会", "永川区总工会"]
    assert shown_names(client.get(UNITS, {"kind": "nonsense"})) == []


def test_sorting_by_a_column_orders_the_rows(world, client_as):
    client = client_as("federation_admin")
    by_kind = shown_names(client.get(UNITS, {"sort": "kind"}))
    by_kind_descending = shown_names(client.get(UNITS, {"sort": "-kind"}))
    assert by_kind_descending[:2] == ["机关工会", "机关工会"]
    # by the stored values: district < federation < grassroots
    assert set(by_kind[:2]) == {"永川区总工会", "奉节县总工会"}
    assert by_kind[-2:] == ["机关工会", "机关工会"]


def test_rows_come_a_page_at_a_time(world, client_as):
    many_units(world, ROWS_PER_PAGE + 5)
    client = client_as("federation_admin")
    first = shown_names(client.get(UNITS))
    second = shown_names(client.get(UNITS, {"page": 2}))
    assert len(first) == ROWS_PER_PAGE
    assert len(second) == 5 + 5  # the world's five units and the last five made
    assert not set(first) & set(second) - {"机关工会"}
    assert shown_names(client.get(UNITS, {"page": "garbage"})) == first


def test_the_export_holds_every_filtered_row_not_just_the_page(world, client_as):
    many_units(world, ROWS_PER_PAGE + 5)
    rows = exported(
        client_as("federation_admin").get(UNITS, {"q": "基层", "export": "xlsx", "page": 1})
    )
    assert len(rows) == 1 + ROWS_PER_PAGE + 5
    first_page = shown_names(client_as("federation_admin").get(UNITS, {"q": "基层"}))
    assert [row[0] for row in rows[1 : 1 + ROWS_PER_PAGE]] == first_page  # sorted as shown
    assert all(row[0].endswith("基层工会") for row in rows[1:])


def test_the_export_writes_text_a_spreadsheet_would_run_as_plain_text(world, client_as):
    unit_create(
        acting_user=None,
        name='=HYPERLINK("http://x","y")',
        code="cq/x",
        kind="grassroots",
        parent=world.district,
    )
    rows = exported(client_as("federation_admin").get(UNITS, {"q": "HYPERLINK", "export": "xlsx"}))
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'


def test_a_unit_admin_lists_and_exports_only_their_subtree(world, client_as):
    client = client_as("unit_admin")
    assert sorted(shown_names(client.get(UNITS))) == ["机关工会", "永川区总工会"]
    rows = exported(client.get(UNITS, {"export": "xlsx"}))
    assert sorted(row[0] for row in rows[1:]) == ["机关工会", "永川区总工会"]
    assert shown_names(client.get(UNITS, {"q": "奉节"})) == []
