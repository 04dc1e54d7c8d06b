"""A contest's figures by unit (``contests.selectors.unit_statistics`` and its console page):
the counts equal the database's, counted per district and per unit within one, prizes from the
latest publication (or the current awards, for organisers, before one), scoped to a unit
admin's subtree; the page's table, chart and export agree.

The contest is written straight to the database (set-up, not product code): entries in every
state across 永川区 (two grassroots unions, a workplace below one, and the district itself),
奉节县 and the federation itself; 江津区 has none.
"""

import datetime
import io
from html.parser import HTMLParser

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from laurel.accounts.policy import access_for
from laurel.awards.models import Award, Publication
from laurel.contests import selectors
from laurel.contests.models import Contest, Entry
from laurel.orgs.services import unit_create
from tests.conftest import english_client, make_member

ACCEPTED = ("accepted", "qualified", "awarded")
S = Entry.State
# (unit key, author key, state, holds a prize now)
ENTRIES = [
    ("yc_jg", "a1", S.ACCEPTED, False),
    ("yc_jg", "a1", S.AWARDED, True),
    ("yc_jg", "a2", S.RECEIVED, False),
    ("yc_workshop", "a3", S.QUALIFIED, True),
    ("yc_club", "a4", S.REFUSED, False),
    ("yc_club", "a5", S.ACCEPTED, False),
    ("yc_club", "a5", S.QUALIFIED, True),
    ("yc", "a6", S.WITHDRAWN, False),
    ("fj_jg", "b1", S.AWARDED, True),
    ("fj_jg", "b2", S.QUALIFIED, False),
    ("fj_jg", "b2", S.DISQUALIFIED, False),
    ("fj_jg", "b3", S.PROCESSING, False),
    ("federation", "c1", S.ACCEPTED, True),
]


@pytest.fixture
def units(world):
    yc_club = unit_create(
        acting_user=None,
        name="职工摄影协会",
        code="cq/yc/sy",
        kind="grassroots",
        parent=world.district,
    )
    workshop = unit_create(
        acting_user=None,
        name="一车间",
        code="cq/yc/jg/1",
        kind="workplace",
        parent=world.grassroots,
    )
    jiangjin = unit_create(
        acting_user=None,
        name="江津区总工会",
        code="cq/jj",
        kind="district",
        parent=world.federation,
    )
    return {
        "federation": world.federation,
        "yc": world.district,
        "yc_jg": world.grassroots,
        "yc_workshop": workshop,
        "yc_club": yc_club,
        "fj": world.other_district,
        "fj_jg": world.other_grassroots,
        "jj": jiangjin,
    }


@pytest.fixture
def figures_contest(units, users):
    now = timezone.now()
    contest = Contest.objects.create(
        slug="figures",
        title="职工摄影展",
        organiser="市总工会",
        state=Contest.State.RESULTS,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=10),
    )
    category = contest.categories.create(name="自然风光")
    tier = contest.prize_tiers.create(name="一等奖", count=10)
    authors = {}
    for number, (unit_key, author_key, state, prized) in enumerate(ENTRIES, start=1):
        if author_key not in authors:
            authors[author_key] = make_member(units[unit_key], number, name=f"作者{author_key}")
        entry = Entry.objects.create(
            contest=contest,
            number=number,
            category=category,
            kind=Entry.Kind.SINGLE,
            author=authors[author_key],
            unit=units[unit_key],
            title=f"作品{number}",
            state=state,
        )
        if prized:
            Award.objects.create(contest=contest, entry=entry, tier=tier)
    contest.test_tier = tier
    return contest


def orm_counts(contest, path_prefix: str | None = None, *, exact_path: str | None = None):
    """The figures counted directly, for the entries under ``path_prefix`` (or at
    ``exact_path``), prizes as the current awards."""
    entries = Entry.objects.filter(contest=contest)
    if path_prefix is not None:
        entries = entries.filter(unit__path__startswith=path_prefix)
    if exact_path is not None:
        entries = entries.filter(unit__path=exact_path)
    return {
        "entries": entries.count(),
        "accepted": entries.filter(state__in=ACCEPTED).count(),
        "prizes": Award.objects.filter(entry__in=entries).count(),
        "entrants": entries.values("author").distinct().count(),
    }


def counts_of(row) -> dict:
    return {
        "entries": row.entries,
        "accepted": row.accepted,
        "prizes": row.prizes,
        "entrants": row.entrants,
    }


def by_unit(figures) -> dict:
    return {(row.unit.pk, row.itself): row for row in figures.rows}


# --- the counts -----------------------------------------------------------------------


def test_district_figures_equal_the_databases_counts(figures_contest, units, users):
    organiser = access_for(users["federation_admin"])
    figures = selectors.unit_statistics(organiser, figures_contest)

    assert figures.prizes.kind == "current"
    rows = by_unit(figures)
    # every district (江津区 without entries too) and the federation's own entries
    assert set(rows) == {
        (units["yc"].pk, False),
        (units["fj"].pk, False),
        (units["jj"].pk, False),
        (units["federation"].pk, True),
    }
    for key in ("yc", "fj", "jj"):
        row = rows[(units[key].pk, False)]
        assert counts_of(row) == orm_counts(figures_contest, units[key].path)
        assert row.district == units[key]  # a district is its own
    own = rows[(units["federation"].pk, True)]
    assert counts_of(own) == orm_counts(figures_contest, exact_path=units["federation"].path)
    assert own.district is None
    # hand-counted too, so that both sides cannot be wrong together
    assert counts_of(rows[(units["yc"].pk, False)]) == {
        "entries": 8,
        "accepted": 5,
        "prizes": 3,
        "entrants": 6,
    }
    assert figures.totals == {**orm_counts(figures_contest), "accepted_unprized": 3}
    # most entries first
    assert [row.entries for row in figures.rows] == [8, 4, 1, 0]


def test_unit_figures_within_a_district_equal_the_databases_counts(figures_contest, units, users):
    organiser = access_for(users["federation_admin"])
    figures = selectors.unit_statistics(organiser, figures_contest, within=units["yc"])

    rows = by_unit(figures)
    assert set(rows) == {
        (units["yc_jg"].pk, False),  # its workplace's entries counted in it
        (units["yc_club"].pk, False),
        (units["yc"].pk, True),  # the district's own entries
    }
    for key in ("yc_jg", "yc_club"):
        assert counts_of(rows[(units[key].pk, False)]) == orm_counts(
            figures_contest, units[key].path
        )
    assert counts_of(rows[(units["yc"].pk, True)]) == orm_counts(
        figures_contest, exact_path=units["yc"].path
    )
    assert counts_of(rows[(units["yc_jg"].pk, False)])["entries"] == 4
    assert {row.district for row in figures.rows} == {units["yc"]}
    assert figures.totals["entries"] == orm_counts(figures_contest, units["yc"].path)["entries"]


def test_published_prizes_are_counted_not_the_changes_since(figures_contest, units, users):
    organiser = users["federation_admin"]
    prized = Entry.objects.filter(contest=figures_contest, award__isnull=False)
    Publication.objects.create(
        contest=figures_contest,
        version=1,
        snapshot={
            "rows": [
                {"entry": entry.code, "prize": "一等奖" if entry.unit == units["fj_jg"] else ""}
                for entry in Entry.objects.filter(contest=figures_contest)
            ]
        },
        digest="0" * 64,
        published_at=timezone.now(),
        published_by=organiser,
    )
    assert prized.count() == 5  # the awards now differ from what was published

    figures = selectors.unit_statistics(access_for(organiser), figures_contest)

    assert (figures.prizes.kind, figures.prizes.version) == ("published", 1)
    rows = by_unit(figures)
    assert rows[(units["fj"].pk, False)].prizes == 4  # every entry of 奉节县 was published
    assert rows[(units["yc"].pk, False)].prizes == 0
    assert figures.totals["prizes"] == 4


def test_a_unit_admin_counts_only_their_subtree_and_no_unpublished_prize(
    figures_contest, units, users
):
    admin = access_for(users["unit_admin"])  # 永川区's
    figures = selectors.unit_statistics(admin, figures_contest)

    assert [row.unit for row in figures.rows] == [units["yc"]]
    assert figures.prizes.kind == "hidden"
    expected = orm_counts(figures_contest, units["yc"].path)
    assert counts_of(figures.rows[0]) == {**expected, "prizes": 0}
    assert figures.totals["entries"] == expected["entries"]


def test_a_grassroots_admin_sees_their_district_row_counting_their_own_entries(
    figures_contest, units, make_user
):
    admin = access_for(make_user("unit_admin", units["yc_club"]))
    figures = selectors.unit_statistics(admin, figures_contest)

    assert [row.unit for row in figures.rows] == [units["yc"]]
    assert figures.rows[0].entries == orm_counts(figures_contest, units["yc_club"].path)["entries"]
    within = selectors.unit_statistics(admin, figures_contest, within=units["yc"])
    assert [row.unit for row in within.rows] == [units["yc_club"]]


def more_units_with_entries(contest, district, count: int = 30) -> None:
    for n in range(count):
        unit = unit_create(
            acting_user=None, name=f"基层{n}", code=f"x{n}", kind="grassroots", parent=district
        )
        Entry.objects.create(
            contest=contest,
            number=100 + n,
            category=contest.categories.get(),
            kind=Entry.Kind.SINGLE,
            author=make_member(unit, 200 + n),
            unit=unit,
            title="作品",
        )


def test_the_figures_take_a_bounded_number_of_queries(
    figures_contest, units, users, django_assert_max_num_queries
):
    organiser = access_for(users["federation_admin"])
    more_units_with_entries(figures_contest, units["yc"])  # more rows change nothing
    with django_assert_max_num_queries(4):
        selectors.unit_statistics(organiser, figures_contest)
    with django_assert_max_num_queries(4):
        figures = selectors.unit_statistics(organiser, figures_contest, within=units["yc"])
    assert len(figures.rows) == 33
    with django_assert_max_num_queries(5):  # the district above a deeper unit: one more
        selectors.unit_statistics(organiser, figures_contest, within=units["yc_jg"])


# --- the page ---------------------------------------------------------------------------


class RowsAndBars(HTMLParser):
    """The statistics table's rows (their data-* figures) and the chart's bars, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[dict] = []
        self.bars: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and (attrs.get("id") or "").startswith("figures-"):
            self.rows.append(attrs)
        if tag == "div" and (attrs.get("id") or "").startswith("chart-unit-"):
            self.bars.append(attrs)
        if tag == "span" and "bar" in (attrs.get("class") or "").split() and self.bars:
            self.bars[-1]["bar-class"] = attrs["class"]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = RowsAndBars()
    parser.feed(response.content.decode())
    return response, parser


def login(user):
    client = english_client()
    client.force_login(user)
    return client


def test_the_page_shows_the_figures_as_table_and_chart_and_exports_the_same_rows(
    figures_contest, units, users
):
    client = login(users["federation_admin"])
    url = reverse("contests:console_statistics", args=[figures_contest.slug])
    response, parsed = page(client, url)

    figures = selectors.unit_statistics(access_for(users["federation_admin"]), figures_contest)
    expected = [
        {
            "id": f"figures-{row.unit.pk}{'-own' if row.itself else ''}",
            "data-entries": str(row.entries),
            "data-accepted": str(row.accepted),
            "data-prizes": str(row.prizes),
            "data-entrants": str(row.entrants),
        }
        for row in figures.rows
    ]
    assert [{key: row[key] for key in expected[0]} for row in parsed.rows] == expected
    assert [bar["data-entries"] for bar in parsed.bars] == [row["data-entries"] for row in expected]
    assert "width-100" in parsed.bars[0]["bar-class"].split()  # the longest bar: 8 entries
    assert "width-50" in parsed.bars[1]["bar-class"].split()  # 4 of 8
    text = response.content.decode()
    assert "Prizes as awarded now" in text
    drill = reverse("contests:console_statistics_unit", args=[figures_contest.slug, units["yc"].pk])
    assert f'href="{drill}"' in text
    assert 'style="' not in text

    export = client.get(url + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header == ["District", "Entries", "Accepted", "Prizes", "Entrants"]
    assert body == [
        [row.name, row.entries, row.accepted, row.prizes, row.entrants] for row in figures.rows
    ]
    assert body[0][0] == "永川区总工会"
    assert sheet.auto_filter.ref == f"A1:E{len(body) + 1}"


def test_the_units_within_a_district_export_with_their_district(figures_contest, units, users):
    client = login(users["federation_admin"])
    url = reverse("contests:console_statistics_unit", args=[figures_contest.slug, units["yc"].pk])
    _response, parsed = page(client, url)
    assert {row["id"] for row in parsed.rows} == {
        f"figures-{units['yc_jg'].pk}",
        f"figures-{units['yc_club'].pk}",
        f"figures-{units['yc'].pk}-own",
    }

    sheet = load_workbook(io.BytesIO(client.get(url + "?export=xlsx").content)).worksheets[0]
    header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:2] == ["District", "Unit"]
    assert {row[0] for row in body} == {"永川区总工会"}
    assert {row[1]: row[2] for row in body} == {
        "机关工会": 4,
        "职工摄影协会": 3,
        "永川区总工会 (its own entries)": 1,
    }


def test_a_unit_admin_sees_only_their_own_district(figures_contest, units, users):
    client = login(users["unit_admin"])
    url = reverse("contests:console_statistics", args=[figures_contest.slug])
    response, parsed = page(client, url)

    assert [row["id"] for row in parsed.rows] == [f"figures-{units['yc'].pk}"]
    assert [row["data-entries"] for row in parsed.rows] == ["8"]
    text = response.content.decode()
    assert "奉节县总工会" not in text
    assert "Prizes are counted here once the results are published." in text
    header = next(
        load_workbook(io.BytesIO(client.get(url + "?export=xlsx").content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert "Prizes" not in header
    other = reverse("contests:console_statistics_unit", args=[figures_contest.slug, units["fj"].pk])
    assert client.get(other).status_code == 404


def test_the_page_takes_a_bounded_number_of_queries(
    figures_contest, units, users, django_assert_max_num_queries
):
    more_units_with_entries(figures_contest, units["yc"])
    client = login(users["federation_admin"])
    url = reverse("contests:console_statistics_unit", args=[figures_contest.slug, units["yc"].pk])
    client.get(url)  # warm: the session's first read
    # the session, the user and their roles, the contest, the unit, the figures' four, the
    # shell's (unread notifications), the session saved: none per row (33 rows here)
    with django_assert_max_num_queries(14):
        _response, parsed = page(client, url)
    assert len(parsed.rows) == 33


def test_the_contest_page_links_its_figures(figures_contest, users):
    client = login(users["unit_admin"])
    response = client.get(reverse("contests:console_contest", args=[figures_contest.slug]))
    link = reverse("contests:console_statistics", args=[figures_contest.slug])
    assert f'href="{link}" id="nav-statistics"' in response.content.decode()


# --- who says which entries hold a prize ----------------------------------------------------


def test_the_prizes_are_whatever_the_registered_finder_says_and_hidden_without_one(
    figures_contest, units, users, monkeypatch
):
    """Contests import no awards: awards registers the finder (``prize_source_register``);
    a finder registered again replaces it, and with none the prizes are hidden."""
    organiser = access_for(users["federation_admin"])
    assert selectors.unit_statistics(organiser, figures_contest).prizes.kind == "current"

    monkeypatch.setattr(selectors, "_prize_source_finders", [])
    only_a1 = selectors.PrizeSource(selectors.PrizeSource.PUBLISHED, Q(author__name="作者a1"))
    selectors.prize_source_register(lambda access, contest: only_a1)
    figures = selectors.unit_statistics(organiser, figures_contest)
    assert figures.prizes is only_a1
    assert figures.totals["prizes"] == 2  # a1's two entries, whatever their awards

    monkeypatch.setattr(selectors, "_prize_source_finders", [])
    figures = selectors.unit_statistics(organiser, figures_contest)
    assert figures.prizes.kind == "hidden"
    assert figures.totals["prizes"] == 0
