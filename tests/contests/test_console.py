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
from tests.conftest import english_client, make_member
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload

SHANGHAI = ZoneInfo("Asia/Shanghai")


def contest_form_data(**overrides) -> dict:
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
        "categories": "自然风光\n人文风情\n\n生活场景\n",
        "prize_tiers": "一等奖 5\n二等奖\u300015\n三等奖  30",
        "quotas": "cq/yc 20\ncq/fj/jg 8",
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
        if isinstance(value, bool):
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
    response = client_as("federation_admin").post(
        reverse("contests:console_contest_create"), contest_form_data()
    )

    contest = Contest.objects.get(slug="spring-2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:console_contest", args=["spring-2026"])
    assert contest.state == Contest.State.DRAFT
    assert contest.opens_at == datetime.datetime(2026, 5, 1, 9, 0, tzinfo=SHANGHAI)
    assert contest.formats == ["jpeg", "heic"]
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
    ("field", "text", "bad_line"),
    [
        ("prize_tiers", "一等奖 5\n二等奖 十五", "二等奖 十五"),
        ("prize_tiers", "一等奖 5\n特别奖", "特别奖"),
        ("quotas", "cq/yc 20\nnowhere 5", "nowhere 5"),
    ],
)
def test_a_bad_line_is_an_error_naming_it_and_nothing_is_stored(
    client_as, world, field, text, bad_line
):
    response = client_as("federation_admin").post(
        reverse("contests:console_contest_create"), contest_form_data(**{field: text})
    )

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert len(errors) == 1
    assert bad_line in errors[0]
    assert "2" in errors[0]  # the line's number
    assert not Contest.objects.exists()
    assert bad_line in response.content.decode()


def test_the_error_says_which_line_in_english(users, world):
    client = english_client()
    client.force_login(users["federation_admin"])

    response = client.post(
        reverse("contests:console_contest_create"),
        contest_form_data(prize_tiers="一等奖 5\n\n二等奖 lots"),
    )

    assert "Line 3, “二等奖 lots”" in response.content.decode()


def test_service_errors_land_on_their_fields(client_as, world):
    response = client_as("federation_admin").post(
        reverse("contests:console_contest_create"),
        contest_form_data(closes_at="2026-04-01T09:00", categories="风光\n风光"),
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
    assert form["categories"].value().splitlines() == [c.name for c in contest.categories.all()]
    assert form["prize_tiers"].value().splitlines()[0] == "一等奖 5"
    assert form["quotas"].value() == "cq/yc 12"

    data = form_data_from(response)
    data["title"] = "职工摄影展（第二届）"
    data["categories"] += "\n夜景"
    data["prize_tiers"] = "金奖 1\n银奖 2"
    data["quotas"] = ""
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
    data.update(title="新标题", max_entries_per_member="99", categories="只有一个")
    response = client.post(url, data)

    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.title == "新标题"
    assert contest.max_entries_per_member == 5
    assert contest.categories.count() == 4


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
    return (entry.photos.get().asset_id, "thumbnail")


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
    assert (second.photos.get().asset_id, "display") in _shown(html)
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
