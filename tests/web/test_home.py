"""The home pages and the top bar, as the apps register them in ``web.home``: each role
lands on its own panels (and only those), a unit admin's work counts only their subtree,
比赛 is in the top bar for everyone, the federation's home costs the same number of
queries however many contests are under way, and the shell imports no domain app."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.models import Role
from laurel.accounts.services import role_grant
from laurel.awards.models import Certificate, Publication
from laurel.contests.models import BulkSubmission, Contest, Entry, Flag
from laurel.contests.services import contest_create, contest_transition
from laurel.judging.models import Assignment, Round, Seat
from laurel.members.models import MemberImport
from laurel.members.services import member_import_preview, member_user_link, team_create
from laurel.web import home
from tests.conftest import english_client, make_member, valid_id_card

PUBLIC_PANELS = {"open_calls", "exhibitions", "results"}
MEMBER_PANELS = {"my_entries", "screening_questions", "my_awards"}
STAFF_PANELS = {"tasks", "activities", "rounds_pace", "my_units", "recent_changes"}


def panels_of(html: str) -> set[str]:
    return set(re.findall(r'data-panel="([^"]+)"', html))


def panel_html(html: str, key: str) -> str:
    """The markup of one panel (up to the next panel or the end of the panels)."""
    start = html.index(f'data-panel="{key}"')
    end = html.find("data-panel=", start + 1)
    return html[start : end if end != -1 else len(html)]


def task_counts(html: str) -> dict[str, int]:
    """The work waiting panel's tasks: each link's target → its count."""
    return {
        url: int(count)
        for count, url in re.findall(
            r'class="home-task[^"]*" data-count="(\d+)"><a href="([^"]+)"', html
        )
    }


# --- a small world --------------------------------------------------------------------------


def contest_make(organiser, slug: str, *, to: str = "open", closes_in: int = 10) -> Contest:
    now = timezone.now()
    contest = contest_create(
        acting_user=organiser,
        slug=slug,
        title=f"比赛 {slug}",
        organiser="市总工会",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=closes_in),
        categories=["自然风光"],
        max_entries_per_member=3,
    )
    if to != "draft":
        contest = contest_transition(acting_user=organiser, contest=contest, to="open")
    if to not in ("draft", "open"):
        Contest.objects.filter(pk=contest.pk).update(state=to)  # the later steps are not read
        contest.refresh_from_db()
    return contest


def entry_make(contest, author, number: int, *, state=Entry.State.ACCEPTED) -> Entry:
    return Entry.objects.create(
        contest=contest,
        number=number,
        category=contest.categories.get(),
        kind=Entry.Kind.SINGLE,
        author=author,
        unit=author.unit,
        title=f"作品{number}",
        state=state,
    )


def round_make(contest, judges_done: dict, *, days_gone: int = 5, days_left: int = 5) -> Round:
    """An open scoring round: each judge → (assigned, done), entries made as needed."""
    now = timezone.now()
    round_ = Round.objects.create(
        contest=contest,
        name=f"复评 {contest.slug}",
        mode=Round.Mode.SCORE,
        deadline=now + datetime.timedelta(days=days_left),
        state=Round.State.OPEN,
        opened_at=now - datetime.timedelta(days=days_gone),
    )
    entries = list(Entry.objects.filter(contest=contest))
    for judge, (assigned, done) in judges_done.items():
        Seat.objects.create(round=round_, judge=judge)
        for n, entry in enumerate(entries[:assigned]):
            Assignment.objects.create(
                round=round_,
                entry=entry,
                judge=judge,
                position=n,
                state=Assignment.State.DONE if n < done else Assignment.State.OPEN,
            )
    return round_


@pytest.fixture
def member_self(world, users):
    member = make_member(world.grassroots, 1, name="李明")
    member_user_link(acting_user=None, member=member, user=users["member"])
    member.refresh_from_db()
    return member


@pytest.fixture
def scene(world, users, make_user, member_self):
    """An open call; a contest being judged (six entries, an open round: two of three
    judges behind); a published contest with its exhibition open and the member's
    certificate; screening flags open (to decide) and asked (to answer) in both districts."""
    organiser = users["federation_admin"]
    call = contest_make(organiser, "call")
    entry_make(call, member_self, 1)
    judged = contest_make(organiser, "judged", to="judging")
    near = [make_member(world.grassroots, 10 + n) for n in range(3)]
    far = [make_member(world.other_grassroots, 20 + n) for n in range(3)]
    judged_entries = [entry_make(judged, a, n + 1) for n, a in enumerate(near + far)]
    slow, fast = make_user("judge"), make_user("judge")
    round_ = round_make(judged, {users["judge"]: (4, 1), slow: (4, 0), fast: (4, 4)})
    for entry in judged_entries:  # six flags to decide
        Flag.objects.create(entry=entry, kind=Flag.Kind.DATE_MISSING)
    for entry in judged_entries[:2]:  # asked in 永川区 (the unit admin's)
        Flag.objects.create(entry=entry, kind=Flag.Kind.BELOW_SIZE, state=Flag.State.ASKED)
    for entry in judged_entries[3:]:  # asked in 奉节县 (not theirs)
        Flag.objects.create(entry=entry, kind=Flag.Kind.BELOW_SIZE, state=Flag.State.ASKED)
    published = contest_make(organiser, "published", to="published", closes_in=-0)
    won = entry_make(published, member_self, 1, state=Entry.State.AWARDED)
    publication = Publication.objects.create(
        contest=published,
        version=1,
        snapshot={},
        digest="0" * 64,
        published_at=timezone.now(),
        published_by=organiser,
    )
    Certificate.objects.create(
        number="2026-0001",
        contest=published,
        entry=won,
        publication=publication,
        recipient="李明",
        unit=world.grassroots.name,
        title=won.title,
        prize="一等奖",
        issued_on=timezone.localdate(),
    )
    return {"call": call, "judged": judged, "round": round_, "published": published}


# --- each role's home -------------------------------------------------------------------------


def test_anonymous_visitors_see_the_public_panels_and_reach_the_open_call(scene, client):
    html = client.get(reverse("web:home")).content.decode()
    assert panels_of(html) == PUBLIC_PANELS
    calls = panel_html(html, "open_calls")
    assert reverse("contests:contest_detail", args=["call"]) in calls
    assert "data-may-enter" not in calls
    assert "judged" not in calls  # closed to entries
    assert reverse("awards:exhibition", args=["published"]) in panel_html(html, "exhibitions")
    assert reverse("awards:public_results", args=["published"]) in panel_html(html, "results")


def test_a_member_lands_on_their_calls_entries_and_results(scene, client_as):
    html = client_as("member").get(reverse("web:home")).content.decode()
    assert panels_of(html) == PUBLIC_PANELS | {"my_entries", "my_awards"}
    calls = panel_html(html, "open_calls")
    # one click from home to the open contest, with what they have used of it
    assert f'href="{reverse("contests:contest_detail", args=["call"])}"' in calls
    assert 'data-contest="call" data-may-enter="1" data-used="1"' in calls
    entries = panel_html(html, "my_entries")
    assert len(re.findall(r"data-entry=", entries)) == 2
    assert sorted(re.findall(r'data-state="(\w+)"', entries)) == ["accepted", "awarded"]
    awards = panel_html(html, "my_awards")
    assert 'data-certificate="2026-0001"' in awards
    assert reverse("awards:my_certificate_pdf", args=["2026-0001"]) in awards


def test_a_members_screening_question_is_on_their_home(scene, member_self, client_as):
    entry = Entry.objects.get(contest=scene["call"], author=member_self)
    flag = Flag.objects.create(entry=entry, kind=Flag.Kind.DATE_MISSING, state=Flag.State.ASKED)
    html = client_as("member").get(reverse("web:home")).content.decode()
    questions = panel_html(html, "screening_questions")
    assert re.findall(r'data-flag="(\d+)"', questions) == [str(flag.pk)]
    assert reverse("contests:my_entry", args=[entry.pk]) in questions
    assert "tasks" not in panels_of(html)  # work waiting is for staff


def test_a_judge_lands_on_their_open_rounds_with_progress(scene, client_as):
    html = client_as("judge").get(reverse("web:home")).content.decode()
    assert panels_of(html) == PUBLIC_PANELS | {"judge_rounds"}
    rounds = panel_html(html, "judge_rounds")
    round_ = scene["round"]
    assert f'data-round="{round_.pk}" data-done="1" data-total="4"' in rounds
    assert reverse("judging:judge_round", args=[round_.pk]) in rounds


def test_a_unit_admins_work_counts_only_their_subtree(scene, world, users, client_as):
    admin = users["unit_admin"]
    team_create(
        acting_user=None,
        unit=world.grassroots,
        name="代表队",
        leader=make_member(world.grassroots, 40),
        members=[],
    )
    member_import_preview(
        acting_user=admin,
        content=f"姓名,身份证号\n新人,{valid_id_card(77)}\n".encode(),
        filename="roster.csv",
        default_unit=world.grassroots,
    )
    other_admin = users["federation_admin"]  # an import someone else made: not theirs
    member_import_preview(
        acting_user=other_admin,
        content=f"姓名,身份证号\n别人,{valid_id_card(78)}\n".encode(),
        filename="roster.csv",
        default_unit=world.other_grassroots,
    )
    bulk = BulkSubmission.objects.create(
        contest=scene["call"],
        uploaded_by=admin,
        sheet_name="报送表.xlsx",
        rows=[{"status": "waiting"}, {"status": "waiting"}, {"status": "submitted"}],
    )
    html = client_as("unit_admin").get(reverse("web:home")).content.decode()
    assert panels_of(html) == PUBLIC_PANELS | {"tasks", "my_units", "screening_questions"}
    tasks = task_counts(panel_html(html, "tasks"))
    assert tasks == {
        "#panel-screening_questions": 2,  # 永川区's two; 奉节县's three are not theirs
        reverse("contests:console_bulk_detail", args=["call", bulk.pk]): 2,
        reverse(
            "members:member_import_detail",
            args=[admin_import_pk(admin)],
        ): 1,
    }
    questions = panel_html(html, "screening_questions")
    shown = {int(pk) for pk in re.findall(r'data-entry="(\d+)"', questions)}
    assert {Entry.objects.get(pk=pk).unit for pk in shown} == {world.grassroots}
    units = panel_html(html, "my_units")
    # 永川区's members: 李明, three authors and the team's leader (not 奉节县's three)
    assert f'data-unit="{world.district.pk}" data-members="5" data-teams="1"' in units


def admin_import_pk(user) -> int:
    return MemberImport.objects.get(uploaded_by=user).pk


def test_the_federation_admin_sees_work_waiting_with_counts(scene, client_as):
    html = client_as("federation_admin").get(reverse("web:home")).content.decode()
    assert panels_of(html) == PUBLIC_PANELS | {"tasks", "activities", "rounds_pace"}
    tasks = task_counts(panel_html(html, "tasks"))
    round_ = scene["round"]
    assert tasks == {
        reverse("contests:console_screening", args=["judged"]): 6,
        reverse("judging:round_progress", args=[round_.pk]): 2,  # judge (1/4) and slow (0/4)
    }
    activities = panel_html(html, "activities")
    assert re.findall(r'data-contest="([^"]+)" data-state="([^"]+)"', activities) == [
        ("call", "open"),
        ("judged", "judging"),
    ]
    pace = panel_html(html, "rounds_pace")
    assert f'data-round="{round_.pk}" data-done="5" data-total="12" data-behind="2"' in pace


def test_english_task_sentences_carry_their_counts(scene, users):
    client = english_client()
    client.force_login(users["federation_admin"])
    html = client.get(reverse("web:home")).content.decode()
    assert "6 screening flags to decide (比赛 judged)" in html
    assert "2 judges behind in 复评 judged (比赛 judged)" in html


def test_one_user_with_several_roles_sees_each_roles_panels(scene, world, users, client_as):
    role_grant(acting_user=None, user=users["member"], role=Role.UNIT_ADMIN, unit=world.district)
    role_grant(acting_user=None, user=users["member"], role=Role.JUDGE, unit=None)
    html = client_as("member").get(reverse("web:home")).content.decode()
    assert {"my_entries", "my_awards", "tasks", "my_units", "judge_rounds"} <= panels_of(html)


def test_the_console_overview_is_the_staff_panels(scene, client_as):
    federation = client_as("federation_admin").get(reverse("web:console")).content.decode()
    assert panels_of(federation) == {"tasks", "activities", "rounds_pace", "recent_changes"}
    unit = client_as("unit_admin").get(reverse("web:console")).content.decode()
    assert panels_of(unit) == {"tasks", "my_units", "screening_questions", "recent_changes"}
    assert client_as("member").get(reverse("web:console")).status_code == 403


def test_the_federation_home_costs_the_same_queries_for_more_contests(
    scene, world, users, make_user, client_as
):
    client = client_as("federation_admin")
    client.get(reverse("web:home"))  # sessions and caches warmed
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("web:home")).status_code == 200
    organiser = users["federation_admin"]
    for n in range(3):
        contest = contest_make(organiser, f"more-{n}", to="judging")
        entries = [
            entry_make(contest, make_member(world.grassroots, 50 + 5 * n + i), i + 1)
            for i in range(3)
        ]
        round_make(contest, {make_user("judge"): (3, 0), make_user("judge"): (3, 3)})
        Flag.objects.create(entry=entries[0], kind=Flag.Kind.DATE_MISSING)
        BulkSubmission.objects.create(
            contest=scene["call"],
            uploaded_by=organiser,
            sheet_name=f"{n}.xlsx",
            rows=[{"status": "waiting"}],
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("web:home")).content.decode()
    assert len(task_counts(panel_html(html, "tasks"))) == 2 + 3 + 3 + 3  # each one shown
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- the top bar and the console's sidebar ------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "member", "judge", "federation_admin"])
def test_the_top_bar_names_the_contests_for_everyone(client_as, role):
    html = client_as(role).get(reverse("accounts:account") if role != "anonymous" else "/")
    page = html.content.decode()
    link = re.search(
        r'<a href="([^"]+)" id="nav-contests" data-nav="activity"[^>]*>([^<]+)</a>', page
    )
    assert link is not None
    assert link.groups() == (reverse("contests:contest_list"), "比赛")


def test_the_top_bar_in_english(users):
    client = english_client()
    client.force_login(users["member"])
    page = client.get("/").content.decode()
    assert re.search(r'id="nav-contests"[^>]*>Contests</a>', page)


def test_the_console_sidebar_keeps_its_items_rules_and_order(users, client_as):
    def sidebar(role):
        page = client_as(role).get(reverse("web:console")).content.decode()
        nav = page[
            page.index('<nav class="sidebar"') : page.index(
                "</nav>", page.index('<nav class="sidebar"')
            )
        ]
        return re.findall(r'<a href="([^"]+)"', nav)

    every = [
        "web:console",
        "orgs:unit_list",
        "members:member_list",
        "members:team_list",
        "contests:console_contest_list",
        "events:console_list",
        "awards:console_seals",
        "accounts:user_list",
        "accounts:invitation_list",
        "audit:entry_list",
        "notifications:outbox",
    ]
    assert sidebar("federation_admin") == [reverse(name) for name in every]
    federation_only = {"awards:console_seals", "notifications:outbox"}
    assert sidebar("unit_admin") == [reverse(name) for name in every if name not in federation_only]


def test_registration_order_is_the_order_given_not_the_apps_order(monkeypatch):
    monkeypatch.setattr(home, "_activities", {})
    home.activity_register("later", "web:home", "later", order=30)
    home.activity_register("first", "contests:contest_list", "first", order=10)
    home.activity_register("middle", "web:home", "middle", order=20)
    assert [link.key for link in home._ordered(home._activities)] == ["first", "middle", "later"]
