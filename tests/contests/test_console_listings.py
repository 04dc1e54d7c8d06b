"""The console's contest list and a contest's entries as the one table of every list
(web.tables): search, filters, sorting, and the export of what is shown — scoped by policy."""

import re

import pytest
from django.urls import reverse

from laurel.contests.models import Entry, Flag
from laurel.contests.services import entry_submit
from laurel.orgs.services import unit_create
from tests.conftest import english_client, make_member
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload
from tests.helpers import exported, response_body

CONTESTS = reverse("contests:console_contest_list")


def contest_slugs(response) -> list[str]:
    return re.findall(r'<tr id="contest-([^"]+)"', response_body(response).decode())


def entry_numbers(response) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="entry-(\d+)"', response_body(response).decode())]


def submit(users, contest, author, seed: int, *, title: str, category=None) -> Entry:
    return entry_submit(
        acting_user=users["federation_admin"],
        contest=contest,
        author=author,
        category=category or contest.categories.first(),
        title=title,
        uploads=[photo_upload(seed)],
        declarations=ALL_DECLARATIONS,
        process=False,
    )


# --- the contests ---------------------------------------------------------------------------


@pytest.fixture
def three_contests(contest_factory):
    return {
        "spring": contest_factory("spring-2026", title="春天的工地"),
        "autumn": contest_factory("autumn-2026", title="秋天的田野"),
        "draft": contest_factory("winter-draft", title="冬天的草稿", state="draft"),
    }


def test_the_contest_list_searches_by_title_or_short_name(client_as, three_contests):
    client = client_as("federation_admin")
    assert contest_slugs(client.get(CONTESTS, {"q": "春天"})) == ["spring-2026"]
    assert contest_slugs(client.get(CONTESTS, {"q": "autumn"})) == ["autumn-2026"]
    assert contest_slugs(client.get(CONTESTS, {"q": "夏天"})) == []


def test_the_contest_list_filters_by_state(client_as, three_contests):
    client = client_as("federation_admin")
    assert contest_slugs(client.get(CONTESTS, {"state": "draft"})) == ["winter-draft"]
    assert sorted(contest_slugs(client.get(CONTESTS, {"state": "open"}))) == [
        "autumn-2026",
        "spring-2026",
    ]


def test_the_contest_list_sorts_by_its_entry_counts(
    client_as, users, world, three_contests, member_self
):
    other = make_member(world.grassroots, 2)
    submit(users, three_contests["autumn"], member_self, 1, title="一")
    submit(users, three_contests["autumn"], other, 2, title="二")
    submit(users, three_contests["spring"], member_self, 3, title="三")
    client = client_as("federation_admin")
    assert contest_slugs(client.get(CONTESTS, {"sort": "-live"})) == [
        "autumn-2026",
        "spring-2026",
        "winter-draft",
    ]
    assert contest_slugs(client.get(CONTESTS, {"sort": "live"}))[-1] == "autumn-2026"


def test_a_unit_admin_exports_no_drafts_and_only_their_subtrees_entry_counts(
    client_as, users, world, three_contests, member_self
):
    stranger = make_member(world.other_grassroots, 3)
    submit(users, three_contests["spring"], member_self, 1, title="我们的")
    submit(users, three_contests["spring"], stranger, 2, title="他们的")
    organiser_rows = exported(client_as("federation_admin").get(CONTESTS, {"export": "xlsx"}))
    client = client_as("unit_admin")
    rows = exported(client.get(CONTESTS, {"export": "xlsx", "sort": "title"}))

    header = rows[0]
    assert len(header) == 6  # the row's actions are not exported
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert sorted(by_title) == ["春天的工地", "秋天的田野"]
    live, total = header[4], header[5]
    assert (by_title["春天的工地"][live], by_title["春天的工地"][total]) == (1, 1)
    organiser_spring = next(row for row in organiser_rows[1:] if row[0] == "春天的工地")
    assert organiser_spring[4:6] == [2, 2]
    assert sorted(row[0] for row in organiser_rows[1:]) == [
        "冬天的草稿",
        "春天的工地",
        "秋天的田野",
    ]


# --- one contest's entries ------------------------------------------------------------------


@pytest.fixture
def entries(users, world, contest, member_self):
    """Four entries: three from 永川区's 机关工会 (two categories, one withdrawn, one flagged),
    one from 奉节县's 供电公司工会 by 王芳."""
    first, second = contest.categories.all()[:2]
    neighbour = make_member(world.grassroots, 4, name="赵强")
    power = unit_create(
        acting_user=None,
        name="供电公司工会",
        code="cq/fj/gd",
        kind="grassroots",
        parent=world.other_district,
    )
    stranger = make_member(power, 5, name="王芳")
    made = {
        "bridge": submit(users, contest, member_self, 1, title="大桥", category=first),
        "harvest": submit(users, contest, neighbour, 2, title="丰收", category=second),
        "river": submit(users, contest, member_self, 3, title="江边", category=first),
        "theirs": submit(users, contest, stranger, 4, title="山城", category=first),
    }
    Entry.objects.filter(pk=made["river"].pk).update(state=Entry.State.WITHDRAWN)
    Flag.objects.filter(entry__contest=contest).delete()
    Flag.objects.create(entry=made["harvest"], kind=Flag.Kind.DATE_MISSING)
    return made


def entries_url(contest) -> str:
    return reverse("contests:console_entry_list", args=[contest.slug])


def test_the_entry_search_finds_by_title_author_unit_or_number(client_as, contest, entries):
    client = client_as("federation_admin")
    url = entries_url(contest)

    def found(q):
        return entry_numbers(client.get(url, {"q": q}))

    assert found("丰收") == [entries["harvest"].number]
    assert found("王芳") == [entries["theirs"].number]
    assert found("供电") == [entries["theirs"].number]
    assert found(entries["river"].code) == [entries["river"].number]
    assert found("没有这个") == []


def test_the_entry_list_filters_by_category_state_and_pending_flags(client_as, contest, entries):
    client = client_as("federation_admin")
    url = entries_url(contest)
    second = contest.categories.all()[1]
    assert entry_numbers(client.get(url, {"category": second.pk})) == [entries["harvest"].number]
    assert entry_numbers(client.get(url, {"state": "withdrawn"})) == [entries["river"].number]
    assert entry_numbers(client.get(url, {"flagged": "1"})) == [entries["harvest"].number]
    assert entry_numbers(client.get(url, {"category": "12345"})) == []


def test_the_entry_list_sorts_by_title_and_by_number_descending(client_as, contest, entries):
    client = client_as("federation_admin")
    url = entries_url(contest)
    by_number = sorted(entry.number for entry in entries.values())
    assert entry_numbers(client.get(url)) == by_number
    assert entry_numbers(client.get(url, {"sort": "-code"})) == by_number[::-1]
    titles = sorted(entries.values(), key=lambda entry: entry.title)
    assert entry_numbers(client.get(url, {"sort": "title"})) == [e.number for e in titles]


def test_the_entry_export_holds_the_filtered_rows_with_names(users, contest, entries):
    client = english_client()
    client.force_login(users["federation_admin"])
    rows = exported(client.get(entries_url(contest), {"q": "机关", "export": "xlsx"}))

    assert rows[0] == ["No.", "Title", "Category", "Kind", "Author", "Unit", "State", "Flags"]
    ours = [entries[name].code for name in ("bridge", "harvest", "river")]
    assert [row[0] for row in rows[1:]] == ours  # sorted as shown: by number
    harvest = next(row for row in rows[1:] if row[1] == "丰收")
    assert harvest[2:] == [contest.categories.all()[1].name, "Single photo", "赵强", "机关工会"] + [
        "Received",
        1,
    ]
    withdrawn = exported(client.get(entries_url(contest), {"state": "withdrawn", "export": "xlsx"}))
    assert [row[1] for row in withdrawn[1:]] == ["江边"]


def test_a_unit_admin_exports_only_their_subtrees_entries_and_no_personal_numbers(
    client_as, contest, entries
):
    client = client_as("unit_admin")
    rows = exported(client.get(entries_url(contest), {"export": "xlsx"}))
    assert sorted(row[1] for row in rows[1:]) == ["丰收", "大桥", "江边"]
    assert len(rows[0]) == 7  # no flags column: unit admins do not screen
    assert entry_numbers(client.get(entries_url(contest), {"q": "王芳"})) == []
    cells = " ".join(str(cell) for row in rows for cell in row)
    for entry in entries.values():
        assert entry.author.id_card not in cells
        assert entry.author.mobile not in cells
