"""Changing who reviews what once a plan exists: ``assignment_move`` by hand (the rules still
checked), ``conflict_declare`` by a judge and ``judge_drop`` by the organiser — freed work
goes to other judges, every other pair stays as it was."""

from collections import Counter, defaultdict

import pytest
from django.utils import translation

from laurel.audit.models import LogEntry
from laurel.judging import services
from laurel.judging.models import Assignment, Round, Seat
from laurel.judging.services import JudgingRefused

CRITERIA = [("主题", 30, 1, 10), ("构图", 30, 1, 10), ("技术", 20, 1, 10), ("创意", 20, 1, 10)]


def live(round_):
    return Assignment.objects.filter(round=round_).exclude(state=Assignment.State.WITHDRAWN)


def live_pairs(round_) -> set[tuple[int, int]]:
    return set(live(round_).values_list("entry_id", "judge_id"))


def judges_per_entry(round_) -> dict[int, set[int]]:
    result = defaultdict(set)
    for entry_id, judge_id in live(round_).values_list("entry_id", "judge_id"):
        result[entry_id].add(judge_id)
    return dict(result)


def assert_k_each(round_, entries, k: int) -> None:
    counted = Counter(live(round_).values_list("entry_id", flat=True))
    assert counted == {entry.pk: k for entry in entries}, counted
    assert len(live_pairs(round_)) == live(round_).count()  # no pair twice


def refusal(call, **kwargs) -> str:
    """The English reason ``call`` is refused with; nothing may have happened."""
    with translation.override("en"), pytest.raises(JudgingRefused) as refused:
        call(**kwargs)
    return " ".join(refused.value.messages)


def full_scores(round_, value: int = 7) -> dict:
    return {str(c.pk): value for c in round_.criteria.all()}


def audited(action: str, obj) -> list[LogEntry]:
    return list(LogEntry.objects.filter(action=action, object_id=str(obj.pk)))


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def make_round(closed_contest, organiser, deadline, users, make_user):
    """A scoring round with ``judges`` (seated, no unit), assigned ``per_entry`` each,
    opened unless ``open_it`` is false."""

    def make(*, judges: int = 4, per_entry: int = 2, open_it: bool = True):
        round_ = services.round_create(
            acting_user=organiser,
            contest=closed_contest,
            name="评审",
            mode="score",
            deadline=deadline,
            per_entry=per_entry,
            criteria=CRITERIA,
        )
        panel = [users["judge"], *(make_user("judge") for _ in range(judges - 1))]
        for judge in panel:
            services.seat_add(acting_user=organiser, round=round_, judge=judge)
        services.assignment_solve(acting_user=organiser, round=round_)
        if open_it:
            services.round_open(acting_user=organiser, round=round_)
        return Round.objects.get(pk=round_.pk), panel

    return make


def other_judge_for(round_, assignment, panel):
    """A judge of the panel who does not review the assignment's entry."""
    busy = judges_per_entry(round_)[assignment.entry_id]
    return next(j for j in panel if j.pk not in busy)


# --- assignment_move --------------------------------------------------------------------------


def test_moving_a_review_withdraws_it_and_gives_it_to_the_new_judge(
    make_round, organiser, closed_contest
):
    round_, panel = make_round()
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    target = other_judge_for(round_, assignment, panel)
    before = live_pairs(round_)
    moved = services.assignment_move(acting_user=organiser, assignment=assignment, judge=target)
    old = Assignment.objects.get(pk=assignment.pk)
    assert (old.state, old.withdrawn_reason) == ("withdrawn", "moved")
    moved = Assignment.objects.get(pk=moved.pk)
    assert (moved.entry_id, moved.judge, moved.state) == (assignment.entry_id, target, "open")
    assert moved.position == 6  # after the target's own six
    assert live_pairs(round_) == before - {(assignment.entry_id, panel[0].pk)} | {
        (assignment.entry_id, target.pk)
    }
    assert_k_each(round_, closed_contest.test_entries, 2)
    [entry] = audited("judging.assignment.moved", round_)
    assert entry.data == {"entry": assignment.entry_id, "from": panel[0].pk, "to": target.pk}


def test_a_review_moved_back_comes_back_rather_than_twice(make_round, organiser):
    round_, panel = make_round()
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    target = other_judge_for(round_, assignment, panel)
    moved = services.assignment_move(acting_user=organiser, assignment=assignment, judge=target)
    back = services.assignment_move(acting_user=organiser, assignment=moved, judge=panel[0])
    assert back.pk == assignment.pk
    assert Assignment.objects.get(pk=assignment.pk).state == "open"
    pairs = Assignment.objects.filter(round=round_, entry_id=assignment.entry_id)
    assert pairs.filter(judge=panel[0]).count() == 1


def test_moves_work_before_the_round_opens(make_round, organiser):
    round_, panel = make_round(open_it=False)
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    target = other_judge_for(round_, assignment, panel)
    services.assignment_move(acting_user=organiser, assignment=assignment, judge=target)
    assert not services.assignment_summary(round_).short
    services.round_open(acting_user=organiser, round=round_)


def test_a_move_to_a_judge_of_another_category_is_refused(
    make_round, organiser, make_user, closed_contest
):
    round_, panel = make_round()
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    other = next(c for c in closed_contest.categories.all() if c.pk != assignment.entry.category_id)
    specialist = make_user("judge")
    services.seat_add(acting_user=organiser, round=round_, judge=specialist, categories=[other])
    reason = refusal(
        services.assignment_move, acting_user=organiser, assignment=assignment, judge=specialist
    )
    assert "category" in reason
    assert Assignment.objects.get(pk=assignment.pk).state == "open"
    assert not Assignment.objects.filter(judge=specialist).exists()
    # the same judge may take an entry of their own category
    mine = Assignment.objects.filter(round=round_, entry__category=other).first()
    services.assignment_move(acting_user=organiser, assignment=mine, judge=specialist)
    assert Assignment.objects.filter(judge=specialist, state="open").count() == 1


@pytest.mark.parametrize("how", ["seat unit", "declared unit"])
def test_a_move_across_a_unit_conflict_is_refused(make_round, organiser, make_user, world, how):
    round_, panel = make_round()
    local = make_user("judge", world.district)
    fields = (
        {"unit": world.district} if how == "seat unit" else {"conflict_units": [world.grassroots]}
    )
    services.seat_add(acting_user=organiser, round=round_, judge=local, **fields)
    from_district = Assignment.objects.filter(
        round=round_, judge=panel[0], entry__unit=world.grassroots
    ).first()
    reason = refusal(
        services.assignment_move, acting_user=organiser, assignment=from_district, judge=local
    )
    assert "conflict" in reason
    assert Assignment.objects.get(pk=from_district.pk).state == "open"
    elsewhere = Assignment.objects.filter(
        round=round_, judge=panel[0], entry__unit=world.other_grassroots
    ).first()
    services.assignment_move(acting_user=organiser, assignment=elsewhere, judge=local)
    assert Assignment.objects.filter(judge=local, entry=elsewhere.entry).exists()


def test_a_move_beyond_a_cap_is_refused(make_round, organiser, make_user):
    round_, panel = make_round()
    capped = make_user("judge")
    services.seat_add(acting_user=organiser, round=round_, judge=capped, cap=1)
    first, second = Assignment.objects.filter(round=round_, judge=panel[0])[:2]
    services.assignment_move(acting_user=organiser, assignment=first, judge=capped)
    reason = refusal(
        services.assignment_move, acting_user=organiser, assignment=second, judge=capped
    )
    assert "the most allowed" in reason
    assert Assignment.objects.get(pk=second.pk).state == "open"
    assert live(round_).filter(judge=capped).count() == 1


def test_a_move_to_a_judge_already_on_the_entry_is_refused(make_round, organiser):
    round_, panel = make_round()
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    [partner] = judges_per_entry(round_)[assignment.entry_id] - {panel[0].pk}
    partner = next(j for j in panel if j.pk == partner)
    before = live_pairs(round_)
    for judge in (partner, panel[0]):
        reason = refusal(
            services.assignment_move, acting_user=organiser, assignment=assignment, judge=judge
        )
        assert "already reviews" in reason
    assert live_pairs(round_) == before


def test_a_move_to_someone_off_the_panel_is_refused(make_round, organiser, make_user):
    round_, panel = make_round()
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    before = live_pairs(round_)
    outsider = make_user("judge")
    reason = refusal(
        services.assignment_move, acting_user=organiser, assignment=assignment, judge=outsider
    )
    assert "not on the panel" in reason
    dropped = other_judge_for(round_, assignment, panel)
    Seat.objects.filter(round=round_, judge=dropped).update(active=False)
    reason = refusal(
        services.assignment_move, acting_user=organiser, assignment=assignment, judge=dropped
    )
    assert "not on the panel" in reason
    assert live_pairs(round_) == before


def test_done_withdrawn_and_closed_reviews_do_not_move(make_round, organiser):
    round_, panel = make_round()
    done, withdrawn = Assignment.objects.filter(round=round_, judge=panel[0])[:2]
    services.review_save(acting_user=panel[0], assignment=done, scores=full_scores(round_))
    Assignment.objects.filter(pk=withdrawn.pk).update(state="withdrawn", withdrawn_reason="moved")
    for assignment in (done, withdrawn):
        target = other_judge_for(round_, assignment, panel)
        with pytest.raises(JudgingRefused):
            services.assignment_move(acting_user=organiser, assignment=assignment, judge=target)
    still_open = Assignment.objects.filter(round=round_, judge=panel[0], state="open").first()
    Round.objects.filter(pk=round_.pk).update(state="closed")
    target = other_judge_for(round_, still_open, panel)
    with pytest.raises(JudgingRefused):
        services.assignment_move(acting_user=organiser, assignment=still_open, judge=target)
    assert Assignment.objects.get(pk=done.pk).state == "done"
    assert Assignment.objects.get(pk=still_open.pk).state == "open"
    assert not audited("judging.assignment.moved", round_)


@pytest.mark.parametrize("role", ["unit_admin", "judge"])
def test_only_organisers_move_reviews(make_round, users, role):
    round_, panel = make_round()
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    target = other_judge_for(round_, assignment, panel)
    with pytest.raises(JudgingRefused):
        services.assignment_move(acting_user=users[role], assignment=assignment, judge=target)
    assert Assignment.objects.get(pk=assignment.pk).state == "open"


# --- conflict_declare ---------------------------------------------------------------------------


def test_a_declared_conflict_moves_the_entry_to_another_judge_and_nothing_else(
    make_round, closed_contest
):
    round_, panel = make_round()
    judge = panel[0]
    assignment = Assignment.objects.filter(round=round_, judge=judge).first()
    # someone else's finished review, which must stay exactly as it is
    other_done = Assignment.objects.filter(round=round_).exclude(judge=judge).first()
    services.review_save(
        acting_user=other_done.judge, assignment=other_done, scores=full_scores(round_, 4)
    )
    services.review_save(acting_user=judge, assignment=assignment, scores={})
    before = live_pairs(round_)
    short = services.conflict_declare(acting_user=judge, assignment=assignment, reason="我认识作者")
    assert short == []
    withdrawn = Assignment.objects.get(pk=assignment.pk)
    assert (withdrawn.state, withdrawn.withdrawn_reason) == ("withdrawn", "conflict")
    assert (withdrawn.scores, withdrawn.verdict) == ({}, None)
    after = live_pairs(round_)
    gained = after - before
    assert before - after == {(assignment.entry_id, judge.pk)}
    [(entry_id, new_judge)] = gained
    assert entry_id == assignment.entry_id
    assert new_judge != judge.pk
    assert new_judge in {j.pk for j in panel}
    assert_k_each(round_, closed_contest.test_entries, 2)
    kept = Assignment.objects.get(pk=other_done.pk)
    assert (kept.state, kept.scores) == ("done", full_scores(round_, 4))
    [entry] = audited("judging.assignment.conflict", round_)
    assert entry.actor == judge
    assert entry.data["entry"] == assignment.entry_id
    assert entry.data["moved_to"] == [new_judge]
    assert entry.data["reason"] == "我认识作者"


def test_a_finished_review_may_be_declared_a_conflict_too(make_round):
    round_, panel = make_round()
    assignment = Assignment.objects.filter(round=round_, judge=panel[1]).first()
    services.review_save(acting_user=panel[1], assignment=assignment, scores=full_scores(round_))
    services.conflict_declare(acting_user=panel[1], assignment=assignment)
    withdrawn = Assignment.objects.get(pk=assignment.pk)
    assert (withdrawn.state, withdrawn.scores) == ("withdrawn", {})


def test_a_judge_declares_conflicts_on_their_own_reviews_only(make_round, organiser):
    round_, panel = make_round()
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    before = live_pairs(round_)
    for someone in (panel[1], organiser, None):
        with pytest.raises(JudgingRefused):
            services.conflict_declare(acting_user=someone, assignment=assignment)
    assert Assignment.objects.get(pk=assignment.pk).state == "open"
    assert live_pairs(round_) == before
    assert not audited("judging.assignment.conflict", round_)


def test_conflicts_are_declared_only_in_open_rounds_and_once(make_round, organiser):
    round_, panel = make_round(open_it=False)
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    with pytest.raises(JudgingRefused):
        services.conflict_declare(acting_user=panel[0], assignment=assignment)
    services.round_open(acting_user=organiser, round=round_)
    services.conflict_declare(acting_user=panel[0], assignment=assignment)
    after = live_pairs(round_)
    with pytest.raises(JudgingRefused):
        services.conflict_declare(acting_user=panel[0], assignment=assignment)
    assert live_pairs(round_) == after
    Round.objects.filter(pk=round_.pk).update(state="closed")
    other = Assignment.objects.filter(round=round_, judge=panel[0], state="open").first()
    with pytest.raises(JudgingRefused):
        services.conflict_declare(acting_user=panel[0], assignment=other)
    assert Assignment.objects.get(pk=other.pk).state == "open"


def test_a_judge_is_never_given_an_entry_they_declared_a_conflict_with(make_round, organiser):
    round_, panel = make_round()
    judge = panel[0]
    assignment = Assignment.objects.filter(round=round_, judge=judge).first()
    services.conflict_declare(acting_user=judge, assignment=assignment)
    entry_id = assignment.entry_id
    # by hand
    someone_elses = live(round_).filter(entry_id=entry_id).first()
    reason = refusal(
        services.assignment_move, acting_user=organiser, assignment=someone_elses, judge=judge
    )
    assert "declared a conflict" in reason
    # nor when the entry's other judges drop out, leaving ``judge`` as a natural taker
    for other in list(live(round_).filter(entry_id=entry_id).select_related("judge")):
        services.judge_drop(
            acting_user=organiser, seat=Seat.objects.get(round=round_, judge=other.judge)
        )
    assert not live(round_).filter(entry_id=entry_id, judge=judge).exists()
    assert (
        not Assignment.objects.filter(round=round_, entry_id=entry_id, judge=judge)
        .exclude(withdrawn_reason="conflict")
        .exists()
    )
    # that entry is short; the leavers' other work found judges all the same
    assert [e.pk for e in services.assignment_summary(round_).short] == [entry_id]
    assert live(round_).count() == 23


def test_when_nobody_can_take_the_entry_the_organiser_is_told(make_round, closed_contest):
    round_, panel = make_round(judges=2)
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    short = services.conflict_declare(acting_user=panel[0], assignment=assignment)
    assert short
    assert any(str(assignment.entry_id) in message for message in short)
    assert [e.pk for e in services.assignment_summary(round_).short] == [assignment.entry_id]
    assert assignment.entry_id in services.round_progress(round_)["short"]
    assert Assignment.objects.get(pk=assignment.pk).state == "withdrawn"
    assert live(round_).filter(entry_id=assignment.entry_id).count() == 1
    assert live(round_).count() == 23
    [entry] = audited("judging.assignment.conflict", round_)
    assert entry.data["short"] == short
    assert entry.data["moved_to"] == []


# --- judge_drop ---------------------------------------------------------------------------------


def test_a_judge_dropping_out_leaves_done_reviews_and_hands_on_open_ones(
    make_round, organiser, closed_contest
):
    round_, panel = make_round()
    leaver = panel[0]
    theirs = list(Assignment.objects.filter(round=round_, judge=leaver))
    done, still_open = theirs[:3], theirs[3:]
    for assignment in done:
        services.review_save(acting_user=leaver, assignment=assignment, scores=full_scores(round_))
    before = live_pairs(round_)
    short = services.judge_drop(
        acting_user=organiser, seat=Seat.objects.get(round=round_, judge=leaver)
    )
    assert short == []
    assert Seat.objects.get(round=round_, judge=leaver).active is False
    for assignment in done:
        kept = Assignment.objects.get(pk=assignment.pk)
        assert (kept.state, kept.scores) == ("done", full_scores(round_))
    for assignment in still_open:
        gone = Assignment.objects.get(pk=assignment.pk)
        assert (gone.state, gone.withdrawn_reason) == ("withdrawn", "dropped")
    after = live_pairs(round_)
    assert before - after == {(a.entry_id, leaver.pk) for a in still_open}
    gained = after - before
    assert sorted(e for e, _j in gained) == sorted(a.entry_id for a in still_open)
    assert all(j != leaver.pk for _e, j in gained)
    assert_k_each(round_, closed_contest.test_entries, 2)
    [entry] = audited("judging.seat.dropped", round_)
    assert (entry.data["judge"], entry.data["moved"], entry.data["short"]) == (leaver.pk, 3, [])


def test_reviews_done_by_a_judge_who_left_still_count_later(make_round, organiser, closed_contest):
    """A later re-assignment (a conflict) does not top up entries the leaver finished."""
    round_, panel = make_round()
    leaver = panel[0]
    for assignment in Assignment.objects.filter(round=round_, judge=leaver):
        services.review_save(acting_user=leaver, assignment=assignment, scores=full_scores(round_))
    services.judge_drop(acting_user=organiser, seat=Seat.objects.get(round=round_, judge=leaver))
    assert_k_each(round_, closed_contest.test_entries, 2)  # nothing was open: nothing moved
    declared = Assignment.objects.filter(round=round_, judge=panel[1], state="open").first()
    services.conflict_declare(acting_user=panel[1], assignment=declared)
    assert_k_each(round_, closed_contest.test_entries, 2)


def test_a_drop_nobody_can_cover_is_reported(make_round, organiser):
    round_, panel = make_round(judges=2)
    short = services.judge_drop(
        acting_user=organiser, seat=Seat.objects.get(round=round_, judge=panel[0])
    )
    assert short
    assert len(services.assignment_summary(round_).short) == 12
    assert not live(round_).filter(judge=panel[0]).exists()


def test_a_judge_who_left_takes_no_more_work(make_round, organiser):
    round_, panel = make_round()
    services.judge_drop(acting_user=organiser, seat=Seat.objects.get(round=round_, judge=panel[0]))
    assignment = live(round_).first()
    with pytest.raises(JudgingRefused):
        services.assignment_move(acting_user=organiser, assignment=assignment, judge=panel[0])
    declared = live(round_).filter(judge=panel[1]).first()
    services.conflict_declare(acting_user=panel[1], assignment=declared)
    assert not live(round_).filter(judge=panel[0]).exists()


@pytest.mark.parametrize("role", ["unit_admin", "judge"])
def test_only_organisers_drop_judges(make_round, users, role):
    round_, panel = make_round()
    seat = Seat.objects.get(round=round_, judge=panel[1])
    with pytest.raises(JudgingRefused):
        services.judge_drop(acting_user=users[role], seat=seat)
    assert Seat.objects.get(pk=seat.pk).active is True
    assert live(round_).filter(judge=panel[1]).count() == 6


def test_nobody_drops_out_of_a_closed_round(make_round, organiser):
    round_, panel = make_round()
    services.round_close(acting_user=organiser, round=round_)
    seat = Seat.objects.get(round=round_, judge=panel[1])
    before = set(Assignment.objects.filter(round=round_).values_list("pk", "state", "judge"))
    with pytest.raises(JudgingRefused):
        services.judge_drop(acting_user=organiser, seat=seat)
    assert Seat.objects.get(pk=seat.pk).active is True
    after = set(Assignment.objects.filter(round=round_).values_list("pk", "state", "judge"))
    assert after == before
