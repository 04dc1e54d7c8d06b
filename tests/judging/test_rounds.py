"""Setting a round up: ``round_create``, ``seat_add``, ``assignment_solve``, the assignment
summary and ``round_open`` — on the closed contest of ``tests/judging/conftest.py`` (12
accepted entries: even numbers from 永川区's grassroots union, odd from 奉节县's; categories
alternate between the contest's first two)."""

from collections import Counter, defaultdict

import pytest

from laurel.audit.models import LogEntry
from laurel.contests.models import Contest
from laurel.contests.services import contest_transition
from laurel.judging import policy, services
from laurel.judging.models import Assignment, Criterion, Round, Seat
from laurel.judging.services import JudgingRefused
from laurel.notifications.models import Notification, OutgoingMessage

CRITERIA = [("主题", 30, 1, 10), ("构图", 30, 1, 10), ("技术", 20, 1, 10), ("创意", 20, 1, 10)]


def score_round(contest, organiser, deadline, **fields) -> Round:
    return services.round_create(
        acting_user=organiser,
        contest=contest,
        name=fields.pop("name", "评审"),
        mode=fields.pop("mode", "score"),
        deadline=deadline,
        criteria=fields.pop("criteria", CRITERIA),
        **fields,
    )


def seated(round_, organiser, judges, **seat_fields) -> list:
    for judge in judges:
        services.seat_add(acting_user=organiser, round=round_, judge=judge, **seat_fields)
    return judges


def live(round_):
    return Assignment.objects.filter(round=round_).exclude(state=Assignment.State.WITHDRAWN)


def judges_per_entry(round_) -> dict[int, list[int]]:
    result = defaultdict(list)
    for entry_id, judge_id in live(round_).values_list("entry_id", "judge_id"):
        result[entry_id].append(judge_id)
    return dict(result)


def loads(round_) -> Counter:
    return Counter(live(round_).values_list("judge_id", flat=True))


def audited(action: str, obj) -> list[LogEntry]:
    return list(LogEntry.objects.filter(action=action, object_id=str(obj.pk)))


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def judges(users, make_user):
    """Four judges with no unit (outside experts)."""
    return [users["judge"], make_user("judge"), make_user("judge"), make_user("judge")]


# --- round_create ----------------------------------------------------------------------------


def test_a_scoring_round_is_created_with_its_criteria_and_audited(
    closed_contest, organiser, deadline
):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2, advance=5)
    assert round_.state == Round.State.PLANNED
    assert (round_.mode, round_.per_entry, round_.advance) == ("score", 2, 5)
    assert round_.position == 0
    assert [(c.name, c.weight, c.low, c.high) for c in round_.criteria.all()] == CRITERIA
    [entry] = audited("judging.round.created", round_)
    assert entry.actor == organiser
    assert entry.data["mode"] == "score"
    assert entry.data["criteria"] == [list(c) for c in CRITERIA]
    second = score_round(closed_contest, organiser, deadline, name="复评")
    assert second.position == 1


def test_a_qualifying_round_needs_no_criteria(closed_contest, organiser, deadline):
    round_ = score_round(closed_contest, organiser, deadline, mode="qualify", criteria=())
    assert round_.mode == Round.Mode.QUALIFY
    assert not round_.criteria.exists()


@pytest.mark.parametrize("state", ["open", "draft"])
def test_rounds_wait_until_entries_have_closed(contest_factory, organiser, deadline, state):
    contest = contest_factory(f"{state}-contest", state=state)
    with pytest.raises(JudgingRefused):
        score_round(contest, organiser, deadline)
    assert not Round.objects.exists()
    assert not LogEntry.objects.filter(action="judging.round.created").exists()


def test_a_contest_being_judged_takes_more_rounds(closed_contest, organiser, deadline):
    contest = contest_transition(acting_user=organiser, contest=closed_contest, to="judging")
    assert score_round(contest, organiser, deadline).contest == contest


def test_a_scoring_round_needs_criteria(closed_contest, organiser, deadline):
    with pytest.raises(JudgingRefused):
        score_round(closed_contest, organiser, deadline, criteria=())
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    "criterion",
    [
        ("", 30, 1, 10),
        ("   ", 30, 1, 10),
        ("主题", 0, 1, 10),
        ("主题", 30, 5, 5),
        ("主题", 30, 9, 2),
    ],
    ids=["no name", "blank name", "weight 0", "no scale", "upside down"],
)
def test_bad_criteria_are_refused(closed_contest, organiser, deadline, criterion):
    with pytest.raises(JudgingRefused):
        score_round(closed_contest, organiser, deadline, criteria=[CRITERIA[0], criterion])
    assert not Round.objects.exists()
    assert not Criterion.objects.exists()


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"per_entry": 0}, "no judges"),
        ({"method": "median"}, "unknown method"),
    ],
)
def test_bad_round_settings_are_refused(closed_contest, organiser, deadline, fields, problem):
    with pytest.raises(JudgingRefused):
        score_round(closed_contest, organiser, deadline, **fields)
    assert not Round.objects.exists(), problem


@pytest.mark.parametrize("entrants", ["passed", "top"])
def test_later_rounds_need_a_previous_round_of_the_same_contest(
    closed_contest, contest_factory, organiser, deadline, entrants
):
    top = 5 if entrants == "top" else None
    with pytest.raises(JudgingRefused):
        score_round(closed_contest, organiser, deadline, entrants=entrants, top=top)
    other = contest_factory("other-2026")
    other = contest_transition(acting_user=organiser, contest=other, to="closed")
    elsewhere = score_round(other, organiser, deadline)
    with pytest.raises(JudgingRefused):
        score_round(
            closed_contest, organiser, deadline, entrants=entrants, top=top, previous=elsewhere
        )
    assert not Round.objects.filter(contest=closed_contest).exists()
    first = score_round(closed_contest, organiser, deadline)
    later = score_round(
        closed_contest, organiser, deadline, entrants=entrants, top=top, previous=first
    )
    assert (later.previous, later.entrants, later.top) == (first, entrants, top)


def test_the_top_entries_need_a_number(closed_contest, organiser, deadline):
    first = score_round(closed_contest, organiser, deadline)
    with pytest.raises(JudgingRefused):
        score_round(closed_contest, organiser, deadline, entrants="top", previous=first)
    assert Round.objects.count() == 1


@pytest.mark.parametrize("role", ["unit_admin", "judge", "member"])
def test_only_organisers_create_rounds(closed_contest, users, deadline, role):
    with pytest.raises(JudgingRefused):
        score_round(closed_contest, users[role], deadline)
    assert not Round.objects.exists()


# --- seat_add ---------------------------------------------------------------------------------


def test_a_judge_takes_a_seat_with_unit_categories_cap_and_conflicts(
    closed_contest, organiser, deadline, users, world
):
    round_ = score_round(closed_contest, organiser, deadline)
    category = closed_contest.categories.first()
    seat = services.seat_add(
        acting_user=organiser,
        round=round_,
        judge=users["judge"],
        unit=world.district,
        categories=[category],
        cap=4,
        conflict_units=[world.other_district],
    )
    seat = Seat.objects.get(pk=seat.pk)
    assert (seat.judge, seat.unit, seat.cap, seat.active) == (
        users["judge"],
        world.district,
        4,
        True,
    )
    assert list(seat.categories.all()) == [category]
    assert list(seat.conflict_units.all()) == [world.other_district]
    [entry] = audited("judging.seat.added", round_)
    assert entry.data["judge"] == users["judge"].pk
    assert entry.data["unit"] == world.district.pk
    assert entry.data["categories"] == [category.pk]
    assert entry.data["conflict_units"] == [world.other_district.pk]
    assert entry.data["cap"] == 4


@pytest.mark.parametrize("role", ["member", "unit_admin", "federation_admin", None])
def test_only_judges_take_seats(closed_contest, organiser, deadline, make_user, world, role):
    round_ = score_round(closed_contest, organiser, deadline)
    person = make_user(role, world.grassroots if role in ("member", "unit_admin") else None)
    with pytest.raises(JudgingRefused):
        services.seat_add(acting_user=organiser, round=round_, judge=person)
    assert not Seat.objects.exists()
    assert not audited("judging.seat.added", round_)


def test_a_judge_sits_once_per_round(closed_contest, organiser, deadline, users):
    round_ = score_round(closed_contest, organiser, deadline)
    services.seat_add(acting_user=organiser, round=round_, judge=users["judge"])
    with pytest.raises(JudgingRefused):
        services.seat_add(acting_user=organiser, round=round_, judge=users["judge"])
    assert Seat.objects.filter(round=round_).count() == 1
    assert len(audited("judging.seat.added", round_)) == 1
    second = score_round(closed_contest, organiser, deadline, name="复评")
    services.seat_add(acting_user=organiser, round=second, judge=users["judge"])
    assert Seat.objects.filter(judge=users["judge"]).count() == 2


@pytest.mark.parametrize("role", ["unit_admin", "judge"])
def test_only_organisers_seat_judges(closed_contest, organiser, deadline, users, role):
    round_ = score_round(closed_contest, organiser, deadline)
    with pytest.raises(JudgingRefused):
        services.seat_add(acting_user=users[role], round=round_, judge=users["judge"])
    assert not Seat.objects.exists()


# --- assignment_solve ---------------------------------------------------------------------------


def test_every_entry_gets_k_distinct_judges_with_even_loads(
    closed_contest, organiser, deadline, judges
):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=3)
    seated(round_, organiser, judges)
    assert services.assignment_solve(acting_user=organiser, round=round_) == 36
    per_entry = judges_per_entry(round_)
    assert sorted(per_entry) == sorted(e.pk for e in closed_contest.test_entries)
    assert all(len(set(j)) == len(j) == 3 for j in per_entry.values()), per_entry
    assert loads(round_) == {judge.pk: 9 for judge in judges}
    assert set(live(round_).values_list("state", flat=True)) == {"open"}
    # each judge's own order: 0, 1, 2, ...
    for judge in judges:
        positions = live(round_).filter(judge=judge).values_list("position", flat=True)
        assert sorted(positions) == list(range(9))
    [entry] = audited("judging.assignment.solved", round_)
    assert (entry.data["assignments"], entry.data["judges"], entry.data["entries"]) == (36, 4, 12)


def test_loads_differ_by_at_most_one(closed_contest, organiser, deadline, judges, make_user):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    panel = seated(round_, organiser, [*judges, make_user("judge")])
    assert services.assignment_solve(acting_user=organiser, round=round_, seed=3) == 24
    counted = loads(round_)
    assert set(counted) == {j.pk for j in panel}
    assert max(counted.values()) - min(counted.values()) <= 1
    assert sum(counted.values()) == 24


def test_a_judge_from_the_district_never_gets_its_entries(
    closed_contest, organiser, deadline, judges, make_user, world
):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=3)
    seated(round_, organiser, judges)
    district_judge = make_user("judge", world.district)
    services.seat_add(
        acting_user=organiser, round=round_, judge=district_judge, unit=world.district
    )
    services.assignment_solve(acting_user=organiser, round=round_)
    theirs = live(round_).filter(judge=district_judge).select_related("entry__unit")
    assert theirs.exists()  # the 奉节县 entries are theirs to judge
    for assignment in theirs:
        assert assignment.entry.unit == world.other_grassroots
    assert all(len(set(j)) == 3 for j in judges_per_entry(round_).values())


def test_a_judge_from_a_grassroots_union_conflicts_with_its_district_too(
    closed_contest, organiser, deadline, judges, world
):
    """Unit conflicts run up the tree as well as down it."""
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges[:3])
    services.seat_add(
        acting_user=organiser, round=round_, judge=judges[3], unit=world.other_grassroots
    )
    services.assignment_solve(acting_user=organiser, round=round_)
    units = set(live(round_).filter(judge=judges[3]).values_list("entry__unit", flat=True))
    assert units == {world.grassroots.pk}


def test_declared_conflict_units_are_respected(closed_contest, organiser, deadline, judges, world):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges[:3])
    services.seat_add(
        acting_user=organiser, round=round_, judge=judges[3], conflict_units=[world.district]
    )
    services.assignment_solve(acting_user=organiser, round=round_)
    units = set(live(round_).filter(judge=judges[3]).values_list("entry__unit", flat=True))
    assert units == {world.other_grassroots.pk}


def test_a_judge_of_one_category_gets_only_that_category(
    closed_contest, organiser, deadline, judges
):
    first, second = list(closed_contest.categories.all())[:2]
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges[:3])
    services.seat_add(acting_user=organiser, round=round_, judge=judges[3], categories=[second])
    services.assignment_solve(acting_user=organiser, round=round_)
    categories = set(live(round_).filter(judge=judges[3]).values_list("entry__category", flat=True))
    assert categories == {second.pk}
    assert first.pk not in categories


def test_caps_are_respected(closed_contest, organiser, deadline, judges):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges[:3])
    services.seat_add(acting_user=organiser, round=round_, judge=judges[3], cap=2)
    services.assignment_solve(acting_user=organiser, round=round_)
    counted = loads(round_)
    assert counted[judges[3].pk] == 2  # the cap binds: an even share would be 6
    assert sorted(counted[j.pk] for j in judges[:3]) == [7, 7, 8]


def test_too_few_judges_is_refused_and_says_why(closed_contest, organiser, deadline, judges):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=3)
    seated(round_, organiser, judges[:2])
    with pytest.raises(JudgingRefused) as refused:
        services.assignment_solve(acting_user=organiser, round=round_)
    message = " ".join(refused.value.messages)
    assert "2 eligible judges" in message
    assert "3 needed" in message
    assert not Assignment.objects.exists()
    assert not audited("judging.assignment.solved", round_)


def test_caps_too_low_are_refused_and_say_so(closed_contest, organiser, deadline, judges):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges[:3], cap=7)  # 21 reviews for 24 needed
    with pytest.raises(JudgingRefused) as refused:
        services.assignment_solve(acting_user=organiser, round=round_)
    message = " ".join(refused.value.messages)
    assert "caps too low by 3" in message
    assert not Assignment.objects.exists()


def test_a_round_without_entries_is_refused(contest_factory, organiser, deadline, judges):
    contest = contest_factory("empty-2026")
    contest = contest_transition(acting_user=organiser, contest=contest, to="closed")
    round_ = score_round(contest, organiser, deadline, per_entry=1)
    seated(round_, organiser, judges[:1])
    with pytest.raises(JudgingRefused):
        services.assignment_solve(acting_user=organiser, round=round_)


def test_solving_again_replaces_the_plan(closed_contest, organiser, deadline, judges):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    services.assignment_solve(acting_user=organiser, round=round_)
    first = set(Assignment.objects.filter(round=round_).values_list("pk", flat=True))
    assert services.assignment_solve(acting_user=organiser, round=round_, seed=7) == 24
    assert Assignment.objects.filter(round=round_).count() == 24
    assert not Assignment.objects.filter(pk__in=first).exists()
    assert all(len(set(j)) == 2 for j in judges_per_entry(round_).values())
    # a judge leaving before the round opens: the next plan has no work for them
    Seat.objects.filter(round=round_, judge=judges[0]).update(active=False)
    services.assignment_solve(acting_user=organiser, round=round_)
    assert not Assignment.objects.filter(round=round_, judge=judges[0]).exists()
    assert Assignment.objects.filter(round=round_).count() == 24


def test_a_refused_solve_keeps_the_earlier_plan(closed_contest, organiser, deadline, judges):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    services.assignment_solve(acting_user=organiser, round=round_)
    before = set(Assignment.objects.filter(round=round_).values_list("pk", "entry", "judge"))
    Round.objects.filter(pk=round_.pk).update(per_entry=5)
    with pytest.raises(JudgingRefused):
        services.assignment_solve(acting_user=organiser, round=round_)
    after = set(Assignment.objects.filter(round=round_).values_list("pk", "entry", "judge"))
    assert after == before


def test_work_is_not_solved_again_once_the_round_is_open(
    closed_contest, organiser, deadline, judges
):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    services.assignment_solve(acting_user=organiser, round=round_)
    services.round_open(acting_user=organiser, round=round_)
    before = set(Assignment.objects.filter(round=round_).values_list("pk", "entry", "judge"))
    with pytest.raises(JudgingRefused):
        services.assignment_solve(acting_user=organiser, round=round_, seed=5)
    after = set(Assignment.objects.filter(round=round_).values_list("pk", "entry", "judge"))
    assert after == before


@pytest.mark.parametrize("role", ["unit_admin", "judge"])
def test_only_organisers_solve(closed_contest, organiser, deadline, judges, users, role):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    with pytest.raises(JudgingRefused):
        services.assignment_solve(acting_user=users[role], round=round_)
    assert not Assignment.objects.exists()


# --- assignment_summary -------------------------------------------------------------------------


def test_the_summary_before_and_after_solving(closed_contest, organiser, deadline, judges):
    first, second = list(closed_contest.categories.all())[:2]
    round_ = score_round(closed_contest, organiser, deadline, per_entry=3)
    seated(round_, organiser, judges[:3])
    services.seat_add(acting_user=organiser, round=round_, judge=judges[3], categories=[first])
    summary = services.assignment_summary(round_)
    assert (summary.entries, summary.needed, summary.loads) == (12, 36, {})
    assert len(summary.short) == 12
    services.assignment_solve(acting_user=organiser, round=round_)
    summary = services.assignment_summary(round_)
    assert (summary.entries, summary.needed, summary.short) == (12, 36, [])
    assert sum(summary.loads.values()) == 36
    assert set(summary.loads) == {j.username for j in judges}
    assert summary.loads == {
        judge.username: count for judge, count in ((j, loads(round_)[j.pk]) for j in judges)
    }
    categories = {name: rest for name, *rest in summary.categories}
    assert categories == {first.name: [6, 18, 4], second.name: [6, 18, 3]}


def test_the_summary_counts_withdrawn_work_as_missing(closed_contest, organiser, deadline, judges):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    services.assignment_solve(acting_user=organiser, round=round_)
    gone = Assignment.objects.filter(round=round_).first()
    Assignment.objects.filter(pk=gone.pk).update(state="withdrawn", withdrawn_reason="moved")
    summary = services.assignment_summary(round_)
    assert [e.pk for e in summary.short] == [gone.entry_id]
    assert sum(summary.loads.values()) == 23


# --- round_open -----------------------------------------------------------------------------------


def test_a_round_with_entries_short_does_not_open(closed_contest, organiser, deadline, judges):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    with pytest.raises(JudgingRefused):
        services.round_open(acting_user=organiser, round=round_)  # nothing assigned yet
    services.assignment_solve(acting_user=organiser, round=round_)
    gone = Assignment.objects.filter(round=round_).first()
    Assignment.objects.filter(pk=gone.pk).update(state="withdrawn", withdrawn_reason="moved")
    with pytest.raises(JudgingRefused):
        services.round_open(acting_user=organiser, round=round_)
    assert Round.objects.get(pk=round_.pk).state == Round.State.PLANNED
    assert Contest.objects.get(pk=closed_contest.pk).state == Contest.State.CLOSED
    assert not Notification.objects.exists()


def test_opening_a_round_starts_judging_and_tells_each_judge(
    closed_contest, organiser, deadline, make_user, judges
):
    with_mobile = make_user("judge", mobile="13800001111")
    panel = [*judges[:3], with_mobile]
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, panel)
    services.assignment_solve(acting_user=organiser, round=round_)
    outgoing_before = OutgoingMessage.objects.count()
    opened = services.round_open(acting_user=organiser, round=round_)
    assert opened.state == Round.State.OPEN
    assert opened.opened_at is not None
    assert Round.objects.get(pk=round_.pk).state == Round.State.OPEN
    assert Contest.objects.get(pk=closed_contest.pk).state == Contest.State.JUDGING
    for judge in panel:
        [notification] = Notification.objects.filter(recipient=judge)
        assert notification.link == policy.workspace_link(round_)
        assert round_.name in notification.title
    sms = OutgoingMessage.objects.filter(channel="sms")
    assert OutgoingMessage.objects.count() == outgoing_before + 1
    assert list(sms.values_list("to", flat=True)) == ["13800001111"]
    [entry] = audited("judging.round.opened", round_)
    assert entry.data == {"entries": 12, "judges": 4}


def test_a_second_round_opens_in_a_contest_already_judging(
    closed_contest, organiser, deadline, judges
):
    contest = contest_transition(acting_user=organiser, contest=closed_contest, to="judging")
    round_ = score_round(contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    services.assignment_solve(acting_user=organiser, round=round_)
    services.round_open(acting_user=organiser, round=round_)
    assert Contest.objects.get(pk=contest.pk).state == Contest.State.JUDGING


def test_a_round_opens_once(closed_contest, organiser, deadline, judges):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    services.assignment_solve(acting_user=organiser, round=round_)
    services.round_open(acting_user=organiser, round=round_)
    with pytest.raises(JudgingRefused):
        services.round_open(acting_user=organiser, round=round_)
    assert Notification.objects.count() == 4
    assert len(audited("judging.round.opened", round_)) == 1


@pytest.mark.parametrize("role", ["unit_admin", "judge"])
def test_only_organisers_open_rounds(closed_contest, organiser, deadline, judges, users, role):
    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    services.assignment_solve(acting_user=organiser, round=round_)
    with pytest.raises(JudgingRefused):
        services.round_open(acting_user=users[role], round=round_)
    assert Round.objects.get(pk=round_.pk).state == Round.State.PLANNED


# --- what judges see, by policy ------------------------------------------------------------------


def test_judges_see_their_own_live_work_of_rounds_that_have_opened(
    closed_contest, organiser, deadline, judges, users
):
    from laurel.accounts.policy import access_for

    round_ = score_round(closed_contest, organiser, deadline, per_entry=2)
    seated(round_, organiser, judges)
    services.assignment_solve(acting_user=organiser, round=round_)
    judge = judges[0]
    assert not policy.assignments_of(access_for(judge)).exists()  # planned: nothing yet
    assert not policy.judge_rounds(access_for(judge)).exists()
    services.round_open(acting_user=organiser, round=round_)
    mine = policy.assignments_of(access_for(judge))
    assert set(mine.values_list("pk", flat=True)) == set(
        Assignment.objects.filter(round=round_, judge=judge).values_list("pk", flat=True)
    )
    gone = mine.first()
    Assignment.objects.filter(pk=gone.pk).update(state="withdrawn", withdrawn_reason="moved")
    assert not policy.assignments_of(access_for(judge)).filter(pk=gone.pk).exists()
    assert list(policy.judge_rounds(access_for(judge))) == [round_]
    for role in ("unit_admin", "member", "federation_admin"):
        assert not policy.assignments_of(access_for(users[role])).exists()
    assert list(policy.rounds_visible(access_for(organiser))) == [round_]
    assert not policy.rounds_visible(access_for(users["unit_admin"])).exists()
    assert not policy.rounds_visible(access_for(judge)).exists()
