"""The organiser's round console over HTTP: a round created through its form, its panel,
the automatic assignment checked as charts, opening, live progress, reminders, closing into
results; who may use it and what it costs in queries."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from laurel.contests.models import Contest, Entry
from laurel.judging import policy, services
from laurel.judging.models import Assignment, Criterion, Result, Round, Seat
from laurel.notifications.models import Notification
from tests.conftest import english_client
from tests.helpers import rows_data

# --- helpers --------------------------------------------------------------------------------


class _Elements(HTMLParser):
    """Every element of a page that has an id, with its attributes."""

    def __init__(self):
        super().__init__()
        self.by_id: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.by_id[attributes["id"]] = {"tag": tag, **attributes}


def elements(response) -> dict[str, dict]:
    parser = _Elements()
    parser.feed(response.content.decode())
    return parser.by_id


def row_ids(response, prefix: str) -> list[str]:
    return [name for name in elements(response) if name.startswith(prefix)]


def local_minute(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


CRITERIA_ROWS = [("主题", "30", "1", "10"), ("构图", "30", "1", "10"), ("技术", "20", "1", "10")]


def criteria_rows(rows) -> dict:
    """The criteria editor's rows as sent: (name, weight, low, high) each."""
    fields = ("name", "weight", "low", "high")
    return rows_data("criteria", [dict(zip(fields, row, strict=True)) for row in rows])


def round_data(due, criteria=(*CRITERIA_ROWS, ("创意", "20", "1", "10")), **overrides) -> dict:
    return {
        "name": "复评",
        "mode": "score",
        "per_entry": "3",
        "deadline": local_minute(due),
        "entrants": "accepted",
        "method": "calibrated",
        **criteria_rows(criteria),
        **overrides,
    }


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def organiser_client(client_as):
    return client_as("federation_admin")


@pytest.fixture
def judges(users, make_user):
    return [users["judge"], make_user("judge"), make_user("judge"), make_user("judge")]


@pytest.fixture
def score_round(closed_contest, organiser, deadline):
    return services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="复评",
        mode="score",
        deadline=deadline,
        per_entry=3,
        criteria=[("主题", 60, 1, 10), ("构图", 40, 1, 10)],
    )


@pytest.fixture
def seated(score_round, organiser, judges):
    for judge in judges:
        services.seat_add(acting_user=organiser, round=score_round, judge=judge)
    return score_round


@pytest.fixture
def assigned(seated, organiser):
    services.assignment_solve(acting_user=organiser, round=seated)
    return seated


@pytest.fixture
def opened(assigned, organiser):
    return services.round_open(acting_user=organiser, round=assigned)


def review(assignment: Assignment, value: int = 7) -> Assignment:
    criteria = assignment.round.criteria.all()
    return services.review_save(
        acting_user=assignment.judge,
        assignment=assignment,
        scores={c.pk: value + (assignment.entry_id % 3) for c in criteria},
    )


def detail_url(round_: Round) -> str:
    return reverse("judging:round_detail", args=[round_.pk])


# --- creating a round -------------------------------------------------------------------------


def test_an_organiser_creates_a_scoring_round_through_the_form(
    organiser_client, closed_contest, deadline
):
    criteria = [*CRITERIA_ROWS[:1], ("构图", "３０", "１", "１０"), ("", "", "1", "10")]
    criteria += [*CRITERIA_ROWS[2:], ("创意", "20", "0", "5")]  # the empty row is no criterion
    url = reverse("judging:round_create", args=[closed_contest.slug])
    response = organiser_client.post(url, round_data(deadline, criteria=criteria, advance="5"))
    round_ = Round.objects.get(contest=closed_contest)
    assert response.status_code == 302
    assert response["Location"] == detail_url(round_)
    assert (round_.mode, round_.per_entry, round_.method, round_.advance) == (
        "score",
        3,
        "calibrated",
        5,
    )
    assert round_.deadline == deadline.replace(second=0, microsecond=0)
    assert [(c.name, c.weight, c.low, c.high) for c in round_.criteria.all()] == [
        ("主题", 30, 1, 10),
        ("构图", 30, 1, 10),
        ("技术", 20, 1, 10),
        ("创意", 20, 0, 5),
    ]
    page = organiser_client.get(response["Location"])
    assert elements(page)["round-state"]["data-state"] == "planned"


def test_a_later_round_takes_the_top_of_an_earlier_one(
    organiser_client, closed_contest, score_round, deadline
):
    url = reverse("judging:round_create", args=[closed_contest.slug])
    data = round_data(deadline, name="终评", entrants="top", previous=str(score_round.pk), top="5")
    response = organiser_client.post(url, data)
    assert response.status_code == 302
    later = Round.objects.get(contest=closed_contest, name="终评")
    assert (later.entrants, later.previous, later.top) == ("top", score_round, 5)


def test_a_qualifying_round_drops_criteria_it_has_no_use_for(
    organiser_client, closed_contest, deadline
):
    url = reverse("judging:round_create", args=[closed_contest.slug])
    response = organiser_client.post(url, round_data(deadline, mode="qualify", advance="3"))
    assert response.status_code == 302
    round_ = Round.objects.get(contest=closed_contest)
    assert (round_.mode, round_.advance, round_.criteria.count()) == ("qualify", None, 0)


@pytest.mark.parametrize(
    ("criteria", "problem"),
    [
        ([("主题", "30", "1", "10"), ("构图", "thirty", "1", "10")], "Row 2, “Weight”: "),
        ([("主题", "30", "1", "10"), ("构图", "30", "9", "2")], "Row 2, “Highest score”: "),
        ([("主题", "30", "1", "10"), ("", "30", "1", "10")], "Row 2, “Criterion”: "),
        ([("主题", "30", "1", "10"), ("主题", "20", "1", "10")], "Row 2, “Criterion”: "),
    ],
)
def test_a_bad_criterion_row_is_named_and_nothing_is_created(
    organiser, closed_contest, deadline, criteria, problem
):
    client = english_client()
    client.force_login(organiser)
    url = reverse("judging:round_create", args=[closed_contest.slug])
    response = client.post(url, round_data(deadline, criteria=criteria))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["criteria"]
    assert error.startswith(problem)
    assert problem in response.content.decode()
    assert 'name="criteria-0-name" value="主题"' in response.content.decode()  # rows kept
    assert not Round.objects.exists()
    assert not Criterion.objects.exists()


def test_add_a_criterion_row_shows_the_form_again_with_one_more_row(
    organiser_client, closed_contest, deadline
):
    url = reverse("judging:round_create", args=[closed_contest.slug])
    data = round_data(deadline, criteria=CRITERIA_ROWS[:2])
    data["criteria-add"] = "1"
    response = organiser_client.post(url, data)
    assert response.status_code == 200
    assert not response.context["form"].errors
    page = response.content.decode()
    assert 'name="criteria-TOTAL_FORMS" value="3"' in page
    assert 'name="criteria-1-name" value="构图"' in page
    assert 'name="criteria-2-high" value="10"' in page  # the new row's default scale
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"criteria": ()}, "criteria"),  # a scoring round needs criteria
        ({"entrants": "passed"}, "previous"),  # where from?
        ({"deadline": "2001-01-01T10:00"}, "deadline"),
    ],
)
def test_an_incomplete_round_is_refused_on_its_field(
    organiser_client, closed_contest, deadline, overrides, field
):
    url = reverse("judging:round_create", args=[closed_contest.slug])
    response = organiser_client.post(url, round_data(deadline, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Round.objects.exists()


def test_a_service_refusal_lands_on_the_form(organiser_client, contest, deadline):
    """Rounds are set up once entries have closed: the open contest refuses."""
    url = reverse("judging:round_create", args=[contest.slug])
    response = organiser_client.post(url, round_data(deadline))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Round.objects.exists()


def test_the_round_list_counts_each_rounds_work(organiser_client, closed_contest, opened):
    review(Assignment.objects.filter(round=opened).first())
    response = organiser_client.get(reverse("judging:round_list", args=[closed_contest.slug]))
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert (row["entries"], row["judges"], row["assigned"], row["done"]) == (12, 4, 36, 1)
    assert f'href="{detail_url(opened)}"' in response.content.decode()


# --- the panel --------------------------------------------------------------------------------


def test_an_organiser_seats_a_judge_with_unit_categories_cap_and_conflicts(
    organiser_client, score_round, judges, world, closed_contest
):
    category = closed_contest.categories.first()
    response = organiser_client.post(
        reverse("judging:seat_add", args=[score_round.pk]),
        {
            "judge": judges[1].pk,
            "unit_q": "ｃｑ/yc",  # typed, not picked (no JavaScript); full-width letters fold
            "categories": [category.pk],
            "cap": "10",
            "conflict_units": "cq/fj\n\ncq/fj/jg",
        },
    )
    assert response.status_code == 302
    seat = Seat.objects.get(round=score_round, judge=judges[1])
    assert (seat.unit, seat.cap) == (world.district, 10)
    assert list(seat.categories.all()) == [category]
    assert set(seat.conflict_units.all()) == {world.other_district, world.other_grassroots}
    page = organiser_client.get(detail_url(score_round))
    assert f"seat-{seat.pk}" in elements(page)
    # a seated judge is no longer offered
    offered = page.context["seat_form"].fields["judge"].queryset
    assert judges[1] not in offered
    assert judges[0] in offered


def test_a_seat_with_an_unknown_unit_or_a_non_judge_is_refused(
    organiser_client, score_round, judges, users
):
    url = reverse("judging:seat_add", args=[score_round.pk])
    response = organiser_client.post(url, {"judge": judges[0].pk, "conflict_units": "cq/xx"})
    assert response.status_code == 200
    assert "conflict_units" in response.context["seat_form"].errors
    response = organiser_client.post(url, {"judge": users["unit_admin"].pk})
    assert "judge" in response.context["seat_form"].errors
    assert "seat-form" in elements(response)
    assert not Seat.objects.exists()


def test_judges_available_are_the_judges_alone(organiser, users, judges):
    available = policy.judges_available(organiser.access)
    assert set(available) == set(judges)
    assert available.get(pk=users["judge"].pk).judge_unit_code == "cq"
    assert not policy.judges_available(users["unit_admin"].access).exists()


def test_dropping_a_judge_moves_their_open_work(organiser_client, assigned, judges):
    seat = Seat.objects.get(round=assigned, judge=judges[0])
    had = Assignment.objects.filter(round=assigned, judge=judges[0]).count()
    assert had > 0
    response = organiser_client.post(reverse("judging:judge_drop", args=[seat.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    seat.refresh_from_db()
    assert not seat.active
    live = Assignment.objects.filter(round=assigned).exclude(state="withdrawn")
    assert not live.filter(judge=judges[0]).exists()
    assert live.count() == 36  # every entry still has three judges
    assert f"drop-{seat.pk}" not in elements(response)


def test_dropping_a_judge_no_one_can_replace_warns(
    organiser_client, score_round, organiser, judges
):
    for judge in judges[:3]:
        services.seat_add(acting_user=organiser, round=score_round, judge=judge)
    services.assignment_solve(acting_user=organiser, round=score_round)
    seat = Seat.objects.get(round=score_round, judge=judges[0])
    response = organiser_client.post(reverse("judging:judge_drop", args=[seat.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]


# --- assignment ------------------------------------------------------------------------------


def test_solving_shows_each_judges_load_and_the_coverage(organiser_client, seated, judges):
    page = organiser_client.get(detail_url(seated))
    found = elements(page)
    assert {"seat-form", "assign-button", "open-button"} <= set(found)
    assert not row_ids(page, "load-judge-")  # nothing assigned yet

    response = organiser_client.post(reverse("judging:assignment_solve", args=[seated.pk]))
    assert response.status_code == 302
    assert Assignment.objects.filter(round=seated).count() == 36
    page = organiser_client.get(detail_url(seated))
    found = elements(page)
    for judge in judges:
        load = Assignment.objects.filter(round=seated, judge=judge).count()
        assert found[f"load-judge-{judge.pk}"]["data-load"] == str(load)
    assert found["assignment-totals"]["data-assigned"] == "36"
    coverage = page.context["charts"]["categories"]
    assert sorted((row["entries"], row["reviews"]) for row in coverage) == [(6, 18), (6, 18)]
    assert page.context["charts"]["short_count"] == 0


def test_an_impossible_assignment_says_why(organiser_client, score_round, organiser, judges):
    for judge in judges[:2]:  # two judges cannot give each entry three
        services.seat_add(acting_user=organiser, round=score_round, judge=judge)
    response = organiser_client.post(
        reverse("judging:assignment_solve", args=[score_round.pk]), follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Assignment.objects.filter(round=score_round).exists()


def _spare_judge(round_: Round, assignment: Assignment, judges):
    busy = set(
        Assignment.objects.filter(round=round_, entry=assignment.entry)
        .exclude(state="withdrawn")
        .values_list("judge_id", flat=True)
    )
    return next(judge for judge in judges if judge.pk not in busy)


def test_a_review_moves_by_entry_number_and_judge(organiser_client, assigned, judges):
    page = organiser_client.get(detail_url(assigned))
    move_url = page.context["move_url"]
    assert "move-form" in elements(page)
    target = Assignment.objects.filter(round=assigned).select_related("entry").last()
    spare = _spare_judge(assigned, target, judges)
    response = organiser_client.post(
        move_url,
        {"entry": target.entry.number, "from_judge": target.judge_id, "judge": spare.pk},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    target.refresh_from_db()
    assert (target.state, target.withdrawn_reason) == ("withdrawn", "moved")
    assert Assignment.objects.get(round=assigned, entry=target.entry, judge=spare).state == "open"


def test_a_move_the_rules_refuse_changes_nothing(organiser_client, assigned, judges):
    target = Assignment.objects.filter(round=assigned).select_related("entry").first()
    colleague = (
        Assignment.objects.filter(round=assigned, entry=target.entry)
        .exclude(judge=target.judge)
        .first()
        .judge
    )
    url = reverse("judging:assignment_move", args=[target.pk])
    response = organiser_client.post(url, {"judge": colleague.pk}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    # an entry the judge does not review
    response = organiser_client.post(
        url, {"entry": 999, "from_judge": target.judge_id, "judge": colleague.pk}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Assignment.objects.filter(round=assigned, state="withdrawn").exists()


def test_opening_the_round_tells_the_judges(organiser_client, assigned, judges):
    response = organiser_client.post(
        reverse("judging:round_open", args=[assigned.pk]), {"confirm": "1"}
    )
    assert response.status_code == 302
    assert Round.objects.get(pk=assigned.pk).state == "open"
    assert Notification.objects.filter(recipient__in=judges).count() == 4
    page = organiser_client.get(detail_url(assigned))
    found = elements(page)
    assert found["round-state"]["data-state"] == "open"
    assert {"round-progress", "remind-button", "close-button"} <= set(found)
    assert "assign-button" not in found


def test_a_round_without_assignments_does_not_open(organiser_client, seated):
    response = organiser_client.post(reverse("judging:round_open", args=[seated.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Round.objects.get(pk=seated.pk).state == "planned"


# --- live progress ---------------------------------------------------------------------------


def test_the_progress_partial_moves_when_a_review_is_saved(organiser_client, opened):
    url = reverse("judging:round_progress", args=[opened.pk])
    first = organiser_client.get(url, HTTP_HX_REQUEST="true")
    found = elements(first)
    progress = found["round-progress"]
    assert (progress["data-done"], progress["data-assigned"]) == ("0", "36")
    assert progress["hx-trigger"] == "every 5s"
    assert progress["hx-get"] == url
    assert first.context["progress"]["short_count"] == 12

    assignment = Assignment.objects.filter(round=opened).first()
    review(assignment)
    second = organiser_client.get(url, HTTP_HX_REQUEST="true")
    found = elements(second)
    assert found["round-progress"]["data-done"] == "1"
    judge_row = found[f"progress-judge-{assignment.judge_id}"]
    assert judge_row["data-done"] == "1"
    assert judge_row["data-assigned"] == str(
        Assignment.objects.filter(round=opened, judge=assignment.judge).count()
    )
    # the whole page carries the same numbers
    page = organiser_client.get(detail_url(opened))
    assert elements(page)["round-progress"]["data-done"] == "1"


def test_judges_behind_schedule_are_marked_and_reminded(organiser_client, opened, judges):
    now = timezone.now()
    Round.objects.filter(pk=opened.pk).update(
        opened_at=now - datetime.timedelta(days=3), deadline=now + datetime.timedelta(hours=2)
    )
    for assignment in Assignment.objects.filter(round=opened, judge=judges[0]):
        review(assignment)
    page = organiser_client.get(detail_url(opened))
    found = elements(page)
    assert found[f"progress-judge-{judges[0].pk}"]["data-behind"] == "false"
    for judge in judges[1:]:
        assert found[f"progress-judge-{judge.pk}"]["data-behind"] == "true"

    before = {judge.pk: judge.notifications.count() for judge in judges}
    response = organiser_client.post(
        reverse("judging:reminders_send", args=[opened.pk]), {"confirm": "1"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    after = {judge.pk: judge.notifications.count() for judge in judges}
    assert after[judges[0].pk] == before[judges[0].pk]
    assert all(after[judge.pk] == before[judge.pk] + 1 for judge in judges[1:])
    reminder = judges[1].notifications.first()
    assert reminder.link == policy.workspace_link(opened)


def test_nobody_behind_nobody_reminded(organiser_client, opened, judges):
    before = Notification.objects.count()
    response = organiser_client.post(
        reverse("judging:reminders_send", args=[opened.pk]), {"confirm": "1"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["info"]
    assert Notification.objects.count() == before


# --- closing ---------------------------------------------------------------------------------


def test_closing_ranks_the_entries_into_the_results_table(organiser_client, opened):
    for assignment in Assignment.objects.filter(round=opened):
        review(assignment, value=1 + assignment.entry_id % 7)
    response = organiser_client.post(
        reverse("judging:round_close", args=[opened.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == detail_url(opened)
    assert Round.objects.get(pk=opened.pk).state == "closed"
    page = organiser_client.get(detail_url(opened))
    found = elements(page)
    assert found["round-state"]["data-state"] == "closed"
    assert found["results"]["tag"] == "table"
    codes = [name.removeprefix("result-") for name in row_ids(page, "result-")]
    # ties in rank: in the order the page lists them (the model's: rank, then pk)
    ranked = Result.objects.filter(round=opened).order_by("rank", "pk").select_related("entry")
    assert codes == [result.entry.code for result in ranked]
    # every entry ranked, from 1 (the scores follow the entries' ids: two may tie and share
    # a place, as the results table shows them)
    ranks = [result.rank for result in ranked]
    assert (len(ranks), ranks[0]) == (12, 1)
    assert ranks == sorted(ranks)
    assert all(rank == place or rank == ranks[place - 2] for place, rank in enumerate(ranks, 1))
    assert [found[f"result-{code}"]["data-rank"] for code in codes] == [str(r) for r in ranks]
    # organisers see who made each entry
    author = ranked[0].entry.author.name
    assert author in page.content.decode()
    # nothing to change on a closed round
    assert not {"seat-form", "assign-button", "close-button", "move-form"} & set(found)


def test_a_polling_page_reloads_once_the_round_closed(organiser_client, opened, organiser):
    services.round_close(acting_user=organiser, round=opened)
    response = organiser_client.get(
        reverse("judging:round_progress", args=[opened.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Refresh"] == "true"


def test_a_qualifying_round_counts_passed_and_failed(
    organiser_client, closed_contest, organiser, judges, deadline
):
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="初评",
        mode="qualify",
        deadline=deadline,
        per_entry=2,
    )
    for judge in judges:
        services.seat_add(acting_user=organiser, round=round_, judge=judge)
    services.assignment_solve(acting_user=organiser, round=round_)
    services.round_open(acting_user=organiser, round=round_)
    for assignment in Assignment.objects.filter(round=round_).select_related("entry"):
        services.review_save(
            acting_user=assignment.judge,
            assignment=assignment,
            verdict=assignment.entry.number <= 8,
        )
    organiser_client.post(reverse("judging:round_close", args=[round_.pk]))
    page = organiser_client.get(detail_url(round_))
    counts = elements(page)["results-counts"]
    assert (counts["data-passed"], counts["data-failed"]) == ("8", "4")
    assert len(row_ids(page, "result-")) == 12
    assert Entry.objects.filter(contest=closed_contest, state="qualified").count() == 8


# --- who may -----------------------------------------------------------------------------------


def _urls(round_: Round, contest: Contest) -> list[tuple[str, str]]:
    seat = Seat.objects.filter(round=round_).first()
    assignment = Assignment.objects.filter(round=round_).first()
    return [
        ("get", reverse("judging:round_list", args=[contest.slug])),
        ("get", reverse("judging:round_create", args=[contest.slug])),
        ("get", detail_url(round_)),
        ("post", reverse("judging:seat_add", args=[round_.pk])),
        ("post", reverse("judging:judge_drop", args=[seat.pk])),
        ("post", reverse("judging:assignment_solve", args=[round_.pk])),
        ("post", reverse("judging:assignment_move", args=[assignment.pk])),
        ("post", reverse("judging:round_open", args=[round_.pk])),
        ("get", reverse("judging:round_progress", args=[round_.pk])),
        ("post", reverse("judging:reminders_send", args=[round_.pk])),
        ("post", reverse("judging:round_close", args=[round_.pk])),
    ]


@pytest.mark.parametrize("role", ["unit_admin", "judge", "member"])
def test_only_organisers_use_the_round_console(client_as, opened, closed_contest, role):
    client = client_as(role)
    for method, url in _urls(opened, closed_contest):
        assert getattr(client, method)(url).status_code == 403, url
    assert Round.objects.get(pk=opened.pk).state == "open"
    assert Seat.objects.filter(round=opened, active=True).count() == 4


def test_anonymous_visitors_are_sent_to_log_in(client_as, opened, closed_contest):
    client = client_as("anonymous")
    for method, url in _urls(opened, closed_contest):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_made_up_rounds_seats_reviews_and_contests_are_404(organiser_client, opened):
    missing = 10_000
    for name in (
        "round_detail",
        "round_progress",
    ):
        assert organiser_client.get(reverse(f"judging:{name}", args=[missing])).status_code == 404
    for name in (
        "seat_add",
        "judge_drop",
        "assignment_solve",
        "assignment_move",
        "round_open",
        "reminders_send",
        "round_close",
    ):
        url = reverse(f"judging:{name}", args=[missing])
        assert organiser_client.post(url).status_code == 404, name
    for name in ("round_list", "round_create"):
        assert organiser_client.get(reverse(f"judging:{name}", args=["no-such"])).status_code == 404


def test_the_round_pages_answer_get_or_post_only_as_meant(organiser_client, opened):
    assert organiser_client.get(reverse("judging:round_close", args=[opened.pk])).status_code == 405
    progress = reverse("judging:round_progress", args=[opened.pk])
    assert organiser_client.post(progress).status_code == 405
    assert Round.objects.get(pk=opened.pk).state == "open"


# --- what it costs -------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["planned", "open", "closed"])
def test_the_round_page_takes_a_bounded_number_of_queries(
    organiser_client, assigned, organiser, django_assert_max_num_queries, stage
):
    if stage != "planned":
        services.round_open(acting_user=organiser, round=assigned)
        for assignment in Assignment.objects.filter(round=assigned)[:20]:
            review(assignment)
    if stage == "closed":
        services.round_close(acting_user=organiser, round=assigned)
    with django_assert_max_num_queries(26):
        response = organiser_client.get(detail_url(assigned))
    assert response.status_code == 200
    assert elements(response)["round-state"]["data-state"] == stage
