"""A performance's programme (节目单): durations as people type them; the acts numbered 1 … n
without gaps through adding, moving, reordering and taking out, the running time adding up
before each; performers of the organiser's subtree only; the organisers' page, the public
page and the printable PDF (read back: Chinese intact, acts in order, A5 or A4)."""

import re
from datetime import timedelta

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from laurel.audit.models import LogEntry
from laurel.core.durations import DurationInvalid, clock, duration_parse
from laurel.events import selectors, services
from laurel.events.models import Act, Event
from laurel.events.programme_forms import ActForm
from laurel.members.services import team_create
from tests.conftest import english_client, make_member

# the 万盛 show, as the bulletin lists it: (title, kind, duration in seconds)
ACTS = [
    ("盛城星光——万盛劳动者之歌", "歌伴舞", 270),
    ("致敬劳动者", "诗朗诵", 180),
    ("黑山谷的春天", "舞蹈", 300),
    ("顶碗", "杂技", 240),
    ("加班以后", "小品", 600),
    ("幸福来敲门", "魔术", 200),
]


@pytest.fixture
def show(event_factory, users):
    """An open performance of the federation with the six acts of ``ACTS``, in that order."""
    event = event_factory(booths={}, kind=Event.Kind.PERFORMANCE, title="送文化到基层走进万盛")
    for title, kind, seconds in ACTS:
        services.act_save(
            acting_user=users["federation_admin"],
            event=event,
            title=title,
            kind=kind,
            duration_seconds=seconds,
            guests="万盛经开区文化馆艺术团" if kind == "歌伴舞" else "",
        )
    return event


def in_order(event, field: str) -> list:
    return list(Act.objects.filter(event=event).order_by("position").values_list(field, flat=True))


def titles(event) -> list[str]:
    return in_order(event, "title")


def positions(event) -> list[int]:
    return in_order(event, "position")


def act_of(event, title: str) -> Act:
    return Act.objects.get(event=event, title=title)


def fifth_to_second(event, users) -> None:
    services.act_move(
        acting_user=users["federation_admin"], act=act_of(event, "加班以后"), position=2
    )


# --- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("4:30", 270),
        ("4", 240),
        ("04:30", 270),
        (" 0:45 ", 45),
        ("４：３０", 270),  # full-width, as a Chinese keyboard types it
        ("1:05:00", 3900),
        ("90", 5400),
    ],
)
def test_durations_are_read_as_minutes_and_seconds_or_whole_minutes(typed, seconds):
    assert duration_parse(typed, longest=Act.DURATION_MAX) == seconds


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "format"),
        ("four", "format"),
        ("4:5", "format"),  # one digit of seconds: 4:05 or 4:50? refused, not guessed
        ("4:60", "format"),
        ("4.5", "format"),
        ("-4", "format"),
        ("4分30秒", "format"),
        ("0", "zero"),
        ("0:00", "zero"),
        ("4:00:01", "too_long"),
        ("241", "too_long"),
    ],
)
def test_a_duration_that_cannot_be_read_is_refused_with_its_reason(typed, code):
    with pytest.raises(DurationInvalid) as refused:
        duration_parse(typed, longest=Act.DURATION_MAX)
    assert refused.value.code == code


def test_durations_are_shown_as_minutes_and_seconds():
    assert [clock(s) for s in (45, 270, 600, 5730)] == ["00:45", "04:30", "10:00", "95:30"]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("4:5", "Type the duration as minutes and seconds, such as 4:30, or as whole minutes"),
        ("0", "The duration must be more than nothing"),
        ("300", "An act lasts at most 4 hours."),
    ],
)
def test_the_act_form_says_clearly_what_is_wrong_with_a_duration(typed, error):
    with translation.override("en"):
        form = ActForm({"title": "顶碗", "duration": typed})
        assert not form.is_valid()
        assert error in form.errors["duration"][0]


def test_the_act_form_cleans_a_typed_duration_into_seconds():
    form = ActForm({"title": "顶碗", "duration": "4:30"})
    assert form.is_valid(), form.errors
    assert form.for_service()["duration_seconds"] == 270


# --- the order and the running time ------------------------------------------------------------


def test_the_running_time_adds_up_before_each_act(show):
    shown = selectors.programme(show)
    assert [row.act.title for row in shown.acts] == [title for title, *_ in ACTS]
    assert [row.starts_after for row in shown.acts] == [0, 270, 450, 750, 990, 1590]
    assert [row.offset for row in shown.acts] == [
        "00:00",
        "04:30",
        "07:30",
        "12:30",
        "16:30",
        "26:30",
    ]
    assert shown.total_seconds == 1790
    assert shown.total == "29:50"
    assert shown.acts[3].starts_at == show.starts_at + timedelta(seconds=750)
    assert shown.acts[0].performers == "万盛经开区文化馆艺术团"


def test_moving_the_fifth_act_to_second_shifts_those_between_and_recounts_the_times(show, users):
    services.act_move(
        acting_user=users["federation_admin"], act=act_of(show, "加班以后"), position=2
    )
    assert titles(show) == [
        "盛城星光——万盛劳动者之歌",
        "加班以后",
        "致敬劳动者",
        "黑山谷的春天",
        "顶碗",
        "幸福来敲门",
    ]
    assert positions(show) == [1, 2, 3, 4, 5, 6]
    shown = selectors.programme(show)
    # 270 | 600 | 180 | 300 | 240 | 200
    assert [row.starts_after for row in shown.acts] == [0, 270, 870, 1050, 1350, 1590]
    assert shown.total_seconds == 1790  # the same acts, the same total
    entry = LogEntry.objects.get(action="events.act.moved")
    assert (entry.data["from"], entry.data["to"]) == (5, 2)


def test_moving_an_act_down_shifts_those_between_up(show, users):
    services.act_move(
        acting_user=users["federation_admin"], act=act_of(show, "致敬劳动者"), position=5
    )
    assert titles(show) == [
        "盛城星光——万盛劳动者之歌",
        "黑山谷的春天",
        "顶碗",
        "加班以后",
        "致敬劳动者",
        "幸福来敲门",
    ]
    assert positions(show) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("position", [0, 7])
def test_a_number_outside_the_programme_is_refused(show, users, position):
    with translation.override("en"), pytest.raises(ValidationError, match="from 1 to 6"):
        services.act_move(
            acting_user=users["federation_admin"], act=act_of(show, "顶碗"), position=position
        )
    assert titles(show) == [title for title, *_ in ACTS]


def test_a_new_act_comes_last_and_one_taken_out_leaves_no_gap(show, users):
    admin = users["federation_admin"]
    added = services.act_save(
        acting_user=admin, event=show, title="劳动最光荣", kind="合唱", duration_seconds=240
    )
    assert added.position == 7
    services.act_delete(acting_user=admin, act=act_of(show, "黑山谷的春天"))
    assert positions(show) == [1, 2, 3, 4, 5, 6]
    assert titles(show)[2:] == ["顶碗", "加班以后", "幸福来敲门", "劳动最光荣"]
    assert selectors.programme(show).total_seconds == 1790 - 300 + 240


def test_an_act_changed_keeps_its_number(show, users):
    act = act_of(show, "顶碗")
    services.act_save(
        acting_user=users["federation_admin"],
        event=show,
        act=act,
        title="顶碗（新编）",
        kind="杂技",
        duration_seconds=330,
    )
    act.refresh_from_db()
    assert (act.position, act.title, act.duration_seconds) == (4, "顶碗（新编）", 330)
    assert Act.objects.filter(event=show).count() == 6


def test_the_whole_order_is_set_at_once_as_a_drag_sends_it(show, users):
    acts = {title: act_of(show, title).pk for title, *_ in ACTS}
    order = [
        "幸福来敲门",
        "顶碗",
        "盛城星光——万盛劳动者之歌",
        "加班以后",
        "致敬劳动者",
        "黑山谷的春天",
    ]
    services.acts_reorder(
        acting_user=users["federation_admin"], event=show, act_ids=[acts[t] for t in order]
    )
    assert titles(show) == order
    assert positions(show) == [1, 2, 3, 4, 5, 6]
    assert LogEntry.objects.get(action="events.programme.reordered").data["after"] == [
        acts[t] for t in order
    ]


def test_an_order_that_is_not_exactly_the_programmes_acts_is_refused(show, event_factory, users):
    admin = users["federation_admin"]
    ids = list(Act.objects.filter(event=show).order_by("position").values_list("pk", flat=True))
    other = event_factory(booths={}, kind=Event.Kind.PERFORMANCE)
    stranger = services.act_save(acting_user=admin, event=other, title="外来", duration_seconds=60)
    for sent in (
        ids[:-1],  # one missing
        [*ids, stranger.pk],  # another event's act too
        [*ids[:-1], stranger.pk],  # another event's in place of one
        [*ids[:-1], ids[0]],  # one twice
        [],
    ):
        with (
            translation.override("en"),
            pytest.raises(ValidationError, match="not this programme's acts"),
        ):
            services.acts_reorder(acting_user=admin, event=show, act_ids=sent)
    assert titles(show) == [title for title, *_ in ACTS]
    assert not LogEntry.objects.filter(action="events.programme.reordered").exists()


# --- performers and what may change -------------------------------------------------------------


def test_performers_come_from_the_organisers_subtree(event_factory, world, users):
    event = event_factory(booths={}, kind=Event.Kind.PERFORMANCE, unit=world.district)
    own = make_member(world.grassroots, 1, name="张红")
    foreign = make_member(world.other_grassroots, 2, name="王刚")
    team = team_create(
        acting_user=None, unit=world.grassroots, name="机关合唱队", leader=own, members=[own]
    )
    act = services.act_save(
        acting_user=users["unit_admin"],
        event=event,
        title="团结就是力量",
        kind="合唱",
        members=[own],
        teams=[team],
        guests="永川区文化馆",
        duration_seconds=240,
    )
    assert selectors.programme(event).acts[0].performers == "机关合唱队、张红、永川区文化馆"
    with pytest.raises(ValidationError, match="王刚"):
        services.act_save(
            acting_user=users["unit_admin"],
            event=event,
            act=act,
            title="团结就是力量",
            members=[own, foreign],
            duration_seconds=240,
        )
    assert list(act.members.all()) == [own]


def test_the_programme_is_a_performances_or_a_ceremonys_and_stays_once_ended(
    event_factory, show, users
):
    admin = users["federation_admin"]
    carnival = event_factory(booths={})
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="Only a performance or a ceremony"),
    ):
        services.act_save(acting_user=admin, event=carnival, title="x", duration_seconds=60)
    ceremony = event_factory(booths={}, kind=Event.Kind.CEREMONY)
    services.act_save(acting_user=admin, event=ceremony, title="颁奖", duration_seconds=600)
    services.event_state_set(acting_user=admin, event=show, state=Event.State.ENDED)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="ended or been cancelled"),
    ):
        services.act_move(acting_user=admin, act=act_of(show, "顶碗"), position=1)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="ended or been cancelled"),
    ):
        services.act_save(acting_user=admin, event=show, title="加演", duration_seconds=60)
    assert titles(show) == [title for title, *_ in ACTS]


def test_the_programme_takes_three_queries_however_many_acts(show, django_assert_num_queries):
    with django_assert_num_queries(3):  # the acts, their teams, their members
        shown = selectors.programme(show)
        assert [row.performers for row in shown.acts]


# --- the organisers' page -----------------------------------------------------------------------


def console(event, name="events:console_programme", *args):
    return reverse(name, args=[event.slug, *args])


def test_the_console_page_shows_the_acts_in_order_with_the_running_time(show, client_as):
    response = client_as("federation_admin").get(console(show))
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tr id="act-(\d+)" data-act="\d+" data-position="(\d+)"', html)
    assert [int(pk) for pk, _position in rows] == [act_of(show, t).pk for t, *_ in ACTS]
    offsets = re.findall(r'<td class="num act-offset">([\d:]+)</td>', html)
    assert offsets == ["00:00", "04:30", "07:30", "12:30", "16:30", "26:30"]
    assert re.search(r'id="programme-total" data-seconds="1790">29:50<', html)
    assert 'data-programme-sortable="programme-order"' in html
    assert "vendor/sortablejs/Sortable.min.js" in html
    assert 'id="nav-programme" aria-current="page"' in html
    assert '<datalist id="act-kinds">' in html


def test_the_programme_tab_is_for_performances_and_ceremonies(event_factory, show, client_as):
    admin = client_as("federation_admin")
    detail = admin.get(console(show, "events:console_detail")).content.decode()
    assert 'id="nav-programme"' in detail
    carnival = event_factory(booths={})
    assert (
        'id="nav-programme"'
        not in admin.get(console(carnival, "events:console_detail")).content.decode()
    )
    assert admin.get(console(carnival)).status_code == 404


def test_an_act_is_added_last_from_the_page_with_its_duration_typed(show, client_as, users):
    admin = client_as("federation_admin")
    response = admin.post(console(show), {"title": "山城之恋", "kind": "独唱", "duration": "3:45"})
    assert response.status_code == 302
    act = act_of(show, "山城之恋")
    assert (act.position, act.kind, act.duration_seconds) == (7, "独唱", 225)
    english = english_client()
    english.force_login(users["federation_admin"])
    page = english.post(console(show), {"title": "x", "duration": "3:5"})
    assert page.status_code == 200
    assert "Type the duration as minutes and seconds" in page.content.decode()
    assert not Act.objects.filter(event=show, title="x").exists()


def test_an_act_is_moved_by_its_number_from_the_page(show, client_as):
    admin = client_as("federation_admin")
    act = act_of(show, "加班以后")
    response = admin.post(console(show, "events:console_act_move", act.pk), {"position": 2})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#act-{act.pk}")
    assert titles(show)[:3] == ["盛城星光——万盛劳动者之歌", "加班以后", "致敬劳动者"]


def test_a_drag_posts_the_order_and_gets_the_programme_back_as_saved(show, client_as):
    admin = client_as("federation_admin")
    ids = [act_of(show, t).pk for t, *_ in ACTS]
    moved = [ids[4], *ids[:4], ids[5]]
    url = console(show, "events:console_programme_order")
    response = admin.post(url, {"act": moved}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="programme-order-saved"' in html
    assert [int(pk) for pk in re.findall(r'<tr id="act-(\d+)"', html)] == moved
    offsets = re.findall(r'<td class="num act-offset">([\d:]+)</td>', html)
    assert offsets == ["00:00", "10:00", "14:30", "17:30", "22:30", "26:30"]
    assert [act_of(show, t).pk for t in titles(show)] == moved
    # a page out of date (an act added since) sends an order that is refused: the order as
    # it stands comes back, saying why
    services.act_save(acting_user=show.created_by, event=show, title="新加", duration_seconds=60)
    response = admin.post(url, {"act": ids}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="programme-order-error"' in html
    assert [int(pk) for pk in re.findall(r'<tr id="act-(\d+)"', html)] == [
        *moved,
        act_of(show, "新加").pk,
    ]


def test_an_act_is_changed_and_taken_out_from_its_page(show, client_as):
    admin = client_as("federation_admin")
    act = act_of(show, "顶碗")
    url = console(show, "events:console_act", act.pk)
    page = admin.get(url).content.decode()
    assert 'value="04:00"' in page  # its duration, as typed
    changed = {"action": "save", "title": "顶碗", "kind": "杂技", "duration": "5"}
    response = admin.post(url, {**changed, "guests": "重庆杂技艺术团"})
    assert response.status_code == 302
    act.refresh_from_db()
    assert (act.duration_seconds, act.guests, act.position) == (300, "重庆杂技艺术团", 4)
    assert admin.post(url, {"action": "delete"}).status_code == 302
    assert "顶碗" not in titles(show)
    assert positions(show) == [1, 2, 3, 4, 5]


def test_the_performers_offered_are_of_the_organisers_subtree(event_factory, world, users):
    event = event_factory(booths={}, kind=Event.Kind.PERFORMANCE, unit=world.district)
    own = make_member(world.grassroots, 1, name="张红")
    foreign = make_member(world.other_grassroots, 2, name="王刚")
    ours = team_create(
        acting_user=None, unit=world.grassroots, name="机关合唱队", leader=own, members=[own]
    )
    elsewhere = world.other_grassroots
    theirs = team_create(
        acting_user=None, unit=elsewhere, name="舞蹈队", leader=foreign, members=[foreign]
    )
    admin = english_client()  # the federation's admin: reaches both districts
    admin.force_login(users["federation_admin"])
    html = admin.get(console(event)).content.decode()
    assert f'<option value="{ours.pk}">机关合唱队 · 机关工会</option>' in html
    assert f'value="{theirs.pk}"' not in html
    refused = admin.post(console(event), {"title": "独舞", "duration": "3", "members": "王刚"})
    assert "no member you may see is called 王刚" in refused.content.decode()
    assert not Act.objects.filter(event=event).exists()


def test_a_unit_admin_finds_another_subtrees_programme_not(event_factory, world, client_as):
    own = event_factory(booths={}, kind=Event.Kind.PERFORMANCE, unit=world.district)
    foreign = event_factory(booths={}, kind=Event.Kind.PERFORMANCE, unit=world.other_district)
    unit_admin = client_as("unit_admin")
    assert unit_admin.get(console(own)).status_code == 200
    assert unit_admin.get(console(foreign)).status_code == 404
    assert client_as("member").get(console(own)).status_code == 403


# --- the public page and the PDF ------------------------------------------------------------


def test_the_public_page_lists_the_acts_in_order(show, users):
    fifth_to_second(show, users)
    html = english_client().get(reverse("events:detail", args=[show.slug])).content.decode()
    listed = re.findall(r'value="(\d+)"><strong class="act-title">([^<]+)<', html)
    assert [title for _n, title in listed] == titles(show)
    assert [int(n) for n, _title in listed] == [1, 2, 3, 4, 5, 6]
    assert "6 acts, running time 29:50" in html
    assert reverse("events:programme_pdf", args=[show.slug]) in html


def test_an_event_without_acts_shows_no_programme(event_factory):
    event = event_factory(booths={}, kind=Event.Kind.PERFORMANCE)
    html = Client().get(reverse("events:detail", args=[event.slug])).content.decode()
    assert 'id="event-programme"' not in html
    assert Client().get(reverse("events:programme_pdf", args=[event.slug])).status_code == 404


def test_nothing_of_a_drafts_programme_is_public(event_factory, users):
    draft = event_factory(booths={}, kind=Event.Kind.PERFORMANCE, state=Event.State.DRAFT)
    services.act_save(
        acting_user=users["federation_admin"], event=draft, title="彩排", duration_seconds=60
    )
    for name in ("events:detail", "events:programme_pdf"):
        assert Client().get(reverse(name, args=[draft.slug])).status_code == 404


def pdf_text(pdf: bytes) -> str:
    return "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf))


def page_size_mm(pdf: bytes) -> tuple[int, int]:
    width, height = pypdfium2.PdfDocument(pdf)[0].get_size()
    return round(width / 72 * 25.4), round(height / 72 * 25.4)


def test_the_programme_pdf_reads_back_in_chinese_with_the_acts_in_order(show, users):
    fifth_to_second(show, users)
    response = Client().get(reverse("events:programme_pdf", args=[show.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert page_size_mm(response.content) == (148, 210)  # A5, the default
    text = pdf_text(response.content)
    assert "送文化到基层走进万盛" in text
    assert "云阳县体育场" in text  # the venue
    assert "重庆市总工会" in text  # the organiser
    start = timezone.localtime(show.starts_at)
    assert f"{start:%Y-%m-%d %H:%M}" in text
    where = [text.index(title) for title in titles(show)]
    assert where == sorted(where)  # in the programme's order: 加班以后 second
    for _title, kind, _seconds in ACTS:
        assert kind in text
    assert "万盛经开区文化馆艺术团" in text
    assert "04:30" in text  # the first act's duration
    assert "10:00" in text  # 加班以后's
    assert "29:50" in text  # the running time in all


def test_the_programme_pdf_comes_on_a4_too(show):
    url = reverse("events:programme_pdf", args=[show.slug])
    a4 = Client().get(url, {"size": "a4"})
    assert a4.status_code == 200
    assert page_size_mm(a4.content) == (210, 297)
    assert "盛城星光——万盛劳动者之歌" in pdf_text(a4.content)
    assert Client().get(url, {"size": "a3"}).status_code == 400


def test_a_programme_changed_is_drawn_again(show, users):
    url = reverse("events:programme_pdf", args=[show.slug])
    assert "加演" not in pdf_text(Client().get(url).content)
    services.act_save(
        acting_user=users["federation_admin"], event=show, title="加演", duration_seconds=60
    )
    assert "加演" in pdf_text(Client().get(url).content)


# --- the drag's scripts -------------------------------------------------------------------------


def static_get(url: str) -> tuple[int, bytes]:
    response = Client().get(url)
    body = b"".join(response.streaming_content)
    response.close()
    return response.status_code, body


def test_the_drag_library_and_script_are_served_from_our_static_files(db):
    status, body = static_get("/static/vendor/sortablejs/Sortable.min.js")
    assert status == 200
    assert b"Sortable" in body
    status, body = static_get("/static/events/programme.js")
    assert status == 200
    assert b'"programme-reordered"' in body  # the event the order form is sent on
    assert not re.search(rb"https?://", body)
    assert b"innerHTML" not in body
