"""The organiser's console pages: setting a contest up, moving it through its states, the
entries (scoped for unit admins) and screening."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laurel.audit.models import LogEntry
from laurel.contests.models import Contest, Entry, Flag
from laurel.contests.services import contest_transition, entry_submit
from laurel.media import services as media_services
from laurel.notifications.models import Notification
from laurel.orgs.models import Unit
from laurel.web.rows import RowsField
from tests.conftest import english_client, make_member
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload
from tests.helpers import rows_data

SHANGHAI = ZoneInfo("Asia/Shanghai")


CATEGORY_ROWS = ("自然风光", "人文风情", "", "生活场景")  # an empty row is no row
PRIZE_ROWS = (("一等奖", "5"), ("二等奖", "１５"), ("三等奖", " 30"))


def contest_form_data(
    categories=CATEGORY_ROWS, prize_tiers=PRIZE_ROWS, quotas=(), **overrides
) -> dict:
    data = {
        "slug": "spring-2026",
        "title": "春天的工地",
        "description": "记录春天里的劳动者。",
        "organiser": "市总工会",
        "co_organisers": "市摄影家协会",
        "opens_at": "2026-05-01T09:00",
        "closes_at": "2026-06-30T18:00",
        "max_entries_per_member": "3",
        "allow_single": "on",
        "allow_series": "on",
        "series_min": "2",
        "series_max": "5",
        "min_long_edge": "2400",
        "taken_from": "2025-01-01",
        "taken_until": "2026-06-30",
        "formats": ["jpeg", "heic"],
        "members_submit": "on",
        "units_submit": "on",
        "exhibition_opens_on": "2026-09-01",
        "exhibition_closes_on": "2026-09-30",
        "exhibition_venue": "市工人文化宫",
        **rows_data("categories", [{"name": name} for name in categories]),
        **rows_data("prize_tiers", [{"name": name, "count": n} for name, n in prize_tiers]),
        **rows_data("quotas", list(quotas)),
    }
    data.update(overrides)
    return data


def form_data_from(response) -> dict:
    """What a browser would post back from a rendered contest form, unchanged."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field, RowsField):
            rows = [field.row_form.row_initial(row) for row in value]
            rows = [{k: getattr(v, "pk", v) for k, v in row.items()} for row in rows]
            data.update(rows_data(name, rows))
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.datetime):
            data[name] = value.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = value
    return data


def submit(users, contest, author, seed: int, *, by="federation_admin", title=None, **fields):
    return entry_submit(
        acting_user=users[by],
        contest=contest,
        author=author,
        category=fields.pop("category", None) or contest.categories.first(),
        title=title or f"作品{seed}",
        uploads=[photo_upload(seed)],
        declarations=ALL_DECLARATIONS,
        **fields,
    )


# --- setting a contest up --------------------------------------------------------------


def test_an_organiser_creates_a_contest_through_the_form(client_as, world):
    quotas = [
        {"unit": world.district.pk, "limit": "20"},
        {"unit": world.other_grassroots.pk, "limit": "8"},
    ]
    response = client_as("federation_admin").post(
        reverse("contests:console_contest_create"), contest_form_data(quotas=quotas)
    )

    contest = Contest.objects.get(slug="spring-2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:console_contest", args=["spring-2026"])
    assert contest.state == Contest.State.DRAFT
    assert contest.opens_at == datetime.datetime(2026, 5, 1, 9, 0, tzinfo=SHANGHAI)
    assert contest.photo_rules.formats == ["jpeg", "heic"]
    assert contest.exhibition_venue == "市工人文化宫"
    assert list(contest.categories.values_list("name", flat=True)) == [
        "自然风光",
        "人文风情",
        "生活场景",
    ]
    assert list(contest.prize_tiers.values_list("name", "count")) == [
        ("一等奖", 5),
        ("二等奖", 15),
        ("三等奖", 30),
    ]
    assert sorted(contest.quotas.values_list("unit__code", "limit")) == [
        ("cq/fj/jg", 8),
        ("cq/yc", 20),
    ]
    assert LogEntry.objects.filter(action="contests.contest.created").count() == 1


@pytest.mark.parametrize(
    ("rows", "field", "problem"),
    [
        ({"prize_tiers": [("一等奖", "5"), ("二等奖", "十五")]}, "“How many”", "whole number"),
        ({"prize_tiers": [("一等奖", "5"), ("特别奖", "")]}, "“How many”", "fill it in"),
        ({"prize_tiers": [("一等奖", "5"), ("二等奖", "0")]}, "“How many”", "1 or more"),
        ({"prize_tiers": [("一等奖", "5"), ("", "3")]}, "“Prize”", "fill it in"),
        ({"categories": ["风光", "风光"]}, "“Category”", "the same as row 1"),
    ],
)
def test_a_bad_row_is_refused_naming_its_row_and_field_and_the_rows_are_kept(
    users, world, rows, field, problem
):
    client = english_client()
    client.force_login(users["federation_admin"])

    response = client.post(reverse("contests:console_contest_create"), contest_form_data(**rows))

    assert response.status_code == 200
    assert not Contest.objects.exists()
    (name,) = rows
    errors = response.context["form"].errors[name]
    assert len(errors) == 1
    assert errors[0].startswith(f"Row 2, {field}: ")
    assert problem in errors[0]
    page = response.content.decode()
    assert f"Row 2, {field}: " in page
    # every row comes back as it was sent, the good one and the bad one
    for index, row in enumerate(rows[name]):
        for value in row if isinstance(row, tuple) else [row]:
            if value:
                assert re.search(rf'name="{name}-{index}-\w+"[^>]*value="{value}"', page), value


def test_a_quota_row_takes_a_unit_typed_by_name_with_the_unit_picker(client_as, world):
    client = client_as("federation_admin")
    url = reverse("contests:console_contest_create")

    several = client.post(url, contest_form_data(quotas=[{"unit_q": "机关", "limit": "5"}]))
    assert "quotas" in several.context["form"].errors  # two 机关工会: choose one
    offered = f'name="quotas-0-unit" value="{world.other_grassroots.pk}"'
    assert offered in several.content.decode()
    by_name = client.post(url, contest_form_data(quotas=[{"unit_q": "永川", "limit": "5"}]))

    assert by_name.status_code == 302
    assert list(Contest.objects.get().quotas.values_list("unit", "limit")) == [
        (world.district.pk, 5)
    ]


def test_a_unit_twice_in_the_quotas_is_refused_naming_the_row(users, world):
    client = english_client()
    client.force_login(users["federation_admin"])
    quotas = [
        {"unit": world.district.pk, "limit": "5"},
        {"unit": world.other_district.pk, "limit": "5"},
        {"unit": world.district.pk, "limit": "9"},
    ]

    response = client.post(
        reverse("contests:console_contest_create"), contest_form_data(quotas=quotas)
    )

    assert response.context["form"].errors["quotas"] == ["Row 3, “Unit”: the same as row 1"]
    assert not Contest.objects.exists()


def test_a_unit_the_organiser_may_not_see_is_no_quota(client_as, world, monkeypatch):
    """The rows' unit picker offers the units the view gives it, and takes no other."""
    from laurel.contests.views import console

    monkeypatch.setattr(
        console, "units_visible", lambda access: Unit.objects.filter(pk=world.district.pk)
    )
    response = client_as("federation_admin").post(
        reverse("contests:console_contest_create"),
        contest_form_data(quotas=[{"unit": world.other_district.pk, "limit": "5"}]),
    )

    assert response.status_code == 200
    assert "quotas" in response.context["form"].errors
    assert not Contest.objects.exists()


def test_add_a_row_shows_the_form_again_with_one_more_row_and_stores_nothing(client_as, world):
    client = client_as("federation_admin")
    data = contest_form_data(prize_tiers=[("一等奖", "5"), ("二等奖", "十五")])
    data["prize_tiers-add"] = "1"

    response = client.post(reverse("contests:console_contest_create"), data)

    assert response.status_code == 200
    assert not Contest.objects.exists()
    form = response.context["form"]
    assert not form.errors  # not sent yet: the bad count is not an error yet
    page = response.content.decode()
    assert 'name="prize_tiers-TOTAL_FORMS" value="3"' in page
    assert 'name="prize_tiers-2-name"' in page  # the new, empty row
    assert 'name="prize_tiers-1-count" value="十五"' in page  # the rows typed so far are kept
    assert 'class="row-invalid"' not in page
    assert 'name="categories-TOTAL_FORMS" value="4"' in page  # other editors as they were

    del data["prize_tiers-add"]
    data.update(rows_data("prize_tiers", [{"name": "一等奖", "count": "5"}] * 2 + [{}]))
    data["prize_tiers-2-name"], data["prize_tiers-2-count"] = "三等奖", "9"
    response = client.post(reverse("contests:console_contest_create"), data)
    assert response.status_code == 302
    assert list(Contest.objects.get().prize_tiers.values_list("name", "count")) == [
        ("一等奖", 5),
        ("一等奖", 5),
        ("三等奖", 9),
    ]


def test_a_row_ticked_for_removal_is_dropped(client_as, world):
    data = contest_form_data(prize_tiers=[("一等奖", "5"), ("二等奖", "bad"), ("三等奖", "9")])
    data["prize_tiers-1-DELETE"] = "on"  # its bad count no longer matters

    response = client_as("federation_admin").post(reverse("contests:console_contest_create"), data)

    assert response.status_code == 302
    assert list(Contest.objects.get().prize_tiers.values_list("name", "count")) == [
        ("一等奖", 5),
        ("三等奖", 9),
    ]


def test_the_rows_editor_adds_rows_in_the_page_with_its_script(client_as, world):
    page = client_as("federation_admin").get(reverse("contests:console_contest_create"))
    html = page.content.decode()

    assert html.count("data-rows-add") == 3  # categories, prize tiers, quotas
    assert "<template data-rows-empty>" in html
    assert 'name="prize_tiers-__prefix__-name"' in html
    assert "/static/laurel/rows.js" in html
    assert "<script>" not in html  # no inline script: the CSP allows none


def test_service_errors_land_on_their_fields(client_as, world):
    response = client_as("federation_admin").post(
        reverse("contests:console_contest_create"),
        contest_form_data(closes_at="2026-04-01T09:00"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "closes_at" in errors
    assert not Contest.objects.exists()


def test_only_organisers_set_contests_up(client_as, world, contest):
    unit_admin = client_as("unit_admin")
    assert unit_admin.get(reverse("contests:console_contest_create")).status_code == 403
    assert (
        unit_admin.get(reverse("contests:console_contest_edit", args=[contest.slug])).status_code
        == 403
    )


def test_the_edit_form_is_filled_in_from_the_contest_and_saves_changes(client_as, world, contest):
    client = client_as("federation_admin")
    url = reverse("contests:console_contest_edit", args=[contest.slug])
    contest.quotas.create(unit=world.district, limit=12)

    response = client.get(url)
    form = response.context["form"]
    assert "slug" not in form.fields
    assert form["categories"].value() == [c.name for c in contest.categories.all()]
    assert form["prize_tiers"].value()[0] == ("一等奖", 5)
    assert form["quotas"].value() == [(world.district, 12)]
    page = response.content.decode()
    assert f'name="quotas-0-unit" value="{world.district.pk}" checked' in page
    assert "永川区总工会" in page  # the quota's unit shown by its name

    data = form_data_from(response)
    data["title"] = "职工摄影展（第二届）"
    names = [{"name": c.name} for c in contest.categories.all()]
    data.update(rows_data("categories", [*names, {"name": "夜景"}]))
    data.update(
        rows_data("prize_tiers", [{"name": "金奖", "count": 1}, {"name": "银奖", "count": 2}])
    )
    data.update(rows_data("quotas", [{"unit": world.district.pk, "limit": 12}]))
    data["quotas-0-DELETE"] = "on"
    response = client.post(url, data)

    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.title == "职工摄影展（第二届）"
    assert contest.categories.last().name == "夜景"
    assert list(contest.prize_tiers.values_list("name", "count")) == [("金奖", 1), ("银奖", 2)]
    assert not contest.quotas.exists()
    entry = LogEntry.objects.filter(action="contests.contest.updated").latest("pk")
    assert set(entry.data["changed"]) == {"title"}


def test_once_judging_started_the_title_still_changes_and_the_rules_do_not(
    client_as, users, contest
):
    for state in ("closed", "judging"):
        contest = contest_transition(
            acting_user=users["federation_admin"], contest=contest, to=state
        )
    client = client_as("federation_admin")
    url = reverse("contests:console_contest_edit", args=[contest.slug])
    response = client.get(url)
    form = response.context["form"]
    assert form.fields["categories"].disabled
    assert form.fields["opens_at"].disabled
    assert not form.fields["title"].disabled

    data = form_data_from(response)
    data.update(title="新标题", max_entries_per_member="99")
    data.update(rows_data("categories", [{"name": "只有一个"}]))
    response = client.post(url, data)

    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.title == "新标题"
    assert contest.max_entries_per_member == 5
    assert contest.categories.count() == 4


def test_once_judging_started_locked_rows_are_shown_without_add_or_remove(
    client_as, users, contest
):
    for state in ("closed", "judging"):
        contest = contest_transition(
            acting_user=users["federation_admin"], contest=contest, to=state
        )
    page = client_as("federation_admin").get(
        reverse("contests:console_contest_edit", args=[contest.slug])
    )
    html = page.content.decode()

    assert re.search(r'name="categories-0-name" value="自然风光"[^>]*disabled', html)
    assert 'name="categories-add"' not in html
    assert 'name="categories-0-DELETE"' not in html
    assert 'name="prize_tiers-add"' in html  # prize tiers may still change


# --- states -----------------------------------------------------------------------------


def test_an_organiser_opens_a_draft_and_it_is_audited(client_as, contest_factory, users):
    contest = contest_factory("draft-one", state="draft")
    client = client_as("federation_admin")
    detail = client.get(reverse("contests:console_contest", args=[contest.slug]))
    assert 'id="transition-open"' in detail.content.decode()
    assert 'id="transition-judging"' not in detail.content.decode()

    response = client.post(
        reverse("contests:console_contest_transition", args=[contest.slug]), {"to": "open"}
    )

    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.state == Contest.State.OPEN
    entry = LogEntry.objects.get(action="contests.contest.state_changed")
    assert entry.data == {"from": "draft", "to": "open"}
    assert entry.actor == users["federation_admin"]


@pytest.mark.parametrize("to", ["judging", "published", "nonsense", ""])
def test_an_illegal_transition_is_refused_with_a_message(client_as, contest_factory, to):
    contest = contest_factory("draft-two", state="draft")
    client = client_as("federation_admin")

    response = client.post(
        reverse("contests:console_contest_transition", args=[contest.slug]),
        {"to": to},
        follow=True,
    )

    contest.refresh_from_db()
    assert contest.state == Contest.State.DRAFT
    assert not LogEntry.objects.filter(action="contests.contest.state_changed").exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_a_unit_admin_may_not_move_a_contest(client_as, contest):
    response = client_as("unit_admin").post(
        reverse("contests:console_contest_transition", args=[contest.slug]), {"to": "closed"}
    )
    assert response.status_code == 403
    contest.refresh_from_db()
    assert contest.state == Contest.State.OPEN


# --- lists and the overview -------------------------------------------------------------


def test_the_contest_list_hides_drafts_from_unit_admins_and_offers_them_submission(
    client_as, contest, contest_factory
):
    draft = contest_factory("a-draft", state="draft")

    organiser = client_as("federation_admin").get(reverse("contests:console_contest_list"))
    unit_admin = client_as("unit_admin").get(reverse("contests:console_contest_list"))

    assert set(re.findall(r'<tr id="contest-([^"]+)"', organiser.content.decode())) == {
        contest.slug,
        draft.slug,
    }
    assert 'id="contest-create"' in organiser.content.decode()
    html = unit_admin.content.decode()
    assert re.findall(r'<tr id="contest-([^"]+)"', html) == [contest.slug]
    assert 'id="contest-create"' not in html
    assert reverse("contests:console_entry_submit", args=[contest.slug]) in html
    assert reverse("contests:console_bulk", args=[contest.slug]) in html


@pytest.fixture
def two_districts(world, users, contest, member_self, django_capture_on_commit_callbacks):
    """An entry from the unit admin's district and one from the other district."""
    stranger = make_member(world.other_grassroots, 2, name="王芳")
    with django_capture_on_commit_callbacks(execute=True):
        ours = submit(users, contest, member_self, 11, title="我们的")
        theirs = submit(users, contest, stranger, 12, title="他们的")
    return ours, theirs


def test_the_overview_counts_entries_by_category_and_state_as_far_as_one_sees(
    client_as, contest, two_districts
):
    organiser = client_as("federation_admin").get(
        reverse("contests:console_contest", args=[contest.slug])
    )
    unit_admin = client_as("unit_admin").get(
        reverse("contests:console_contest", args=[contest.slug])
    )

    chart = organiser.context["chart"]
    assert chart["total"] == 2
    first = chart["rows"][0]
    assert first["total"] == 2
    assert [(s["state"], s["count"]) for s in first["segments"]] == [("accepted", 2)]
    assert first["width"] == "100.00"
    assert unit_admin.context["chart"]["total"] == 1
    assert 'id="contest-flags"' not in unit_admin.content.decode()


def test_a_unit_admin_sees_only_their_districts_entries(client_as, contest, two_districts):
    ours, theirs = two_districts
    client = client_as("unit_admin")

    response = client.get(reverse("contests:console_entry_list", args=[contest.slug]))

    rows = response.context["listing"].table.page.object_list
    assert [row.record.pk for row in rows] == [ours.pk]
    html = response.content.decode()
    assert "我们的" in html
    assert "他们的" not in html
    assert ours.author.id_card not in html
    assert ours.author.mobile not in html
    detail = reverse("contests:console_entry", args=[contest.slug, theirs.number])
    assert client.get(detail).status_code == 404
    own = client.get(reverse("contests:console_entry", args=[contest.slug, ours.number]))
    assert own.status_code == 200
    assert ours.author.id_card not in own.content.decode()


def test_the_entry_list_filters_by_category_state_and_flags(
    client_as, users, contest, member_self, django_capture_on_commit_callbacks
):
    first, second = contest.categories.all()[:2]
    with django_capture_on_commit_callbacks(execute=True):
        a = submit(users, contest, member_self, 21, category=first)
        b = submit(users, contest, member_self, 22, category=second)
    Flag.objects.filter(entry=a).delete()
    Flag.objects.filter(entry=b).delete()
    Flag.objects.create(entry=b, kind=Flag.Kind.BELOW_SIZE, detail={"photos": [1]})
    Entry.objects.filter(pk=a.pk).update(state=Entry.State.WITHDRAWN)
    client = client_as("federation_admin")
    url = reverse("contests:console_entry_list", args=[contest.slug])

    def numbers(**params):
        response = client.get(url, params, headers={"HX-Request": "true"})
        assert response.templates[0].name == "contests/_console_entry_table.html"
        return [row.record.number for row in response.context["listing"].table.page.object_list]

    assert numbers() == [a.number, b.number]
    assert numbers(category=first.pk) == [a.number]
    assert numbers(state="withdrawn") == [a.number]
    assert numbers(flagged="1") == [b.number]
    assert numbers(state="nonsense") == []  # an unknown choice shows nothing, as every list


def test_the_entry_list_takes_the_same_queries_for_2_or_30_entries(
    client_as, users, world, contest_factory, django_assert_max_num_queries
):
    contest = contest_factory("many", max_entries_per_member=50)
    author = make_member(world.grassroots, 3)
    client = client_as("federation_admin")
    url = reverse("contests:console_entry_list", args=[contest.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    entries = [submit(users, contest, author, 100 + n, process=False) for n in range(2)]
    queries()  # the first request also fills caches
    few = queries()
    entries += [submit(users, contest, author, 100 + n, process=False) for n in range(2, 30)]
    for entry in entries[::3]:
        Flag.objects.create(entry=entry, kind=Flag.Kind.DATE_MISSING)

    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["listing"].table.page.object_list) == 30
    assert response.content.decode().count('class="flag-count"') == 10


# --- an entry, and screening ------------------------------------------------------------


@pytest.fixture
def duplicate(users, contest, member_self, django_capture_on_commit_callbacks):
    """Two entries of the same photo: the second is flagged as a duplicate of the first."""
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(users, contest, member_self, 7, by="member", title="原作")
        second = submit(users, contest, member_self, 7, by="member", title="又一次")
    flag = Flag.objects.get(entry=second, kind=Flag.Kind.DUPLICATE)
    assert flag.detail == {"entries": [first.number]}
    return first, second, flag


def _thumbnail(entry):
    return (entry.files.get().asset_id, "thumbnail")


def _shown(html: str) -> set[tuple[int, str]]:
    """(asset, rendition) of every photo in the page: signed URLs, the entries are unpublished."""
    return {media_services.signed_target(t) for t in re.findall(r'/media/s/([^/"]+)/', html)}


def test_the_entry_page_shows_photos_declarations_and_the_duplicate_side_by_side(
    client_as, contest, duplicate
):
    first, second, flag = duplicate

    response = client_as("federation_admin").get(
        reverse("contests:console_entry", args=[contest.slug, second.number])
    )

    html = response.content.decode()
    assert (second.files.get().asset_id, "display") in _shown(html)
    assert f'id="flag-{flag.pk}"' in html
    assert _thumbnail(first) in _shown(html)
    assert all(row["made"] for row in response.context["declarations"])
    assert all(row["at"] is not None for row in response.context["declarations"])


def test_screening_shows_open_flags_grouped_with_the_other_entry(client_as, contest, duplicate):
    first, second, flag = duplicate

    response = client_as("federation_admin").get(
        reverse("contests:console_screening", args=[contest.slug])
    )

    groups = {g["kind"]: [r["flag"].pk for r in g["rows"]] for g in response.context["groups"]}
    assert flag.pk in groups["duplicate"]
    html = response.content.decode()
    card = html[html.index(f'id="flag-{flag.pk}"') :]
    card = card[: card.index("</article>")]
    assert _thumbnail(first) in _shown(card)
    assert _thumbnail(second) in _shown(card)
    assert f'id="flag-{flag.pk}-disqualified"' in card
    assert re.search(r'<textarea name="reason"', card)


def test_only_organisers_screen(client_as, contest, duplicate):
    _first, _second, flag = duplicate
    client = client_as("unit_admin")
    assert client.get(reverse("contests:console_screening", args=[contest.slug])).status_code == 403
    resolve = reverse("contests:console_flag_resolve", args=[flag.pk])
    assert client.post(resolve, {"decision": "kept", "reason": "x"}).status_code == 403
    flag.refresh_from_db()
    assert flag.state == Flag.State.OPEN


def test_disqualifying_a_duplicate_tells_the_entrant(client_as, users, contest, duplicate):
    _first, second, flag = duplicate
    before = Notification.objects.filter(recipient=users["member"]).count()

    response = client_as("federation_admin").post(
        reverse("contests:console_flag_resolve", args=[flag.pk]),
        {"decision": "disqualified", "reason": "与 0001 号作品相同。"},
    )

    screening = reverse("contests:console_screening", args=[contest.slug])
    assert response.status_code == 302
    assert response["Location"] == f"{screening}#flag-{flag.pk}"
    flag.refresh_from_db()
    second.refresh_from_db()
    assert flag.state == Flag.State.DISQUALIFIED
    assert flag.reason == "与 0001 号作品相同。"
    assert second.state == Entry.State.DISQUALIFIED
    notices = Notification.objects.filter(recipient=users["member"]).order_by("pk")
    assert notices.count() == before + 1
    assert notices.last().link == reverse("contests:my_entry", args=[second.pk])
    assert "与 0001 号作品相同。" in notices.last().body


def test_with_htmx_the_resolved_flag_replaces_its_row(client_as, contest, duplicate):
    _first, second, flag = duplicate

    response = client_as("federation_admin").post(
        reverse("contests:console_flag_resolve", args=[flag.pk]),
        {"decision": "kept", "reason": "拍摄角度不同，保留。"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<article class="card flag-card flag-kept" id="flag-{flag.pk}"')
    assert "拍摄角度不同，保留。" in html
    flag.refresh_from_db()
    second.refresh_from_db()
    assert flag.state == Flag.State.KEPT
    assert second.state == Entry.State.ACCEPTED


@pytest.mark.parametrize("htmx", [True, False])
def test_a_decision_without_a_reason_changes_nothing(client_as, contest, duplicate, htmx):
    _first, second, flag = duplicate
    headers = {"HX-Request": "true"} if htmx else {}

    response = client_as("federation_admin").post(
        reverse("contests:console_flag_resolve", args=[flag.pk]),
        {"decision": "disqualified", "reason": "  "},
        headers=headers,
    )

    flag.refresh_from_db()
    second.refresh_from_db()
    assert flag.state == Flag.State.OPEN
    assert second.state == Entry.State.ACCEPTED
    if htmx:
        assert response.status_code == 200
        assert response.context["row"]["form"].errors["reason"]
        checked = f'value="disqualified" id="flag-{flag.pk}-disqualified" required checked'
        assert checked in response.content.decode()
    else:
        assert response.status_code == 302


def test_an_unknown_flag_is_404(client_as, contest):
    response = client_as("federation_admin").post(
        reverse("contests:console_flag_resolve", args=[99999]),
        {"decision": "kept", "reason": "x"},
    )
    assert response.status_code == 404
