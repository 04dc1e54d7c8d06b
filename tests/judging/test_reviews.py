"""Judges' reviews: ``review_save`` (scores per criterion on its own scale, verdicts, saved as
they go, every change audited, locked once the round closes) and the qualifying round's
disagreements, which go to one more judge automatically."""

from collections import Counter

import pytest
from django.utils import translation

from laurel.audit.models import LogEntry
from laurel.judging import services
from laurel.judging.models import Assignment, Round
from laurel.judging.services import JudgingRefused

CRITERIA = [("主题", 30, 1, 10), ("技术", 20, 0, 5)]  # two scales


def live(round_):
    return Assignment.objects.filter(round=round_).exclude(state=Assignment.State.WITHDRAWN)


def audited(action: str, obj) -> list[LogEntry]:
    return list(LogEntry.objects.filter(action=action, object_id=str(obj.pk)).order_by("pk"))


def snapshot(assignment) -> tuple:
    row = Assignment.objects.get(pk=assignment.pk)
    return row.state, row.scores, row.verdict, row.comment, row.reviewed_at


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def make_round(closed_contest, organiser, deadline, users, make_user):
    def make(*, mode: str = "score", judges: int = 4, per_entry: int = 2, open_it: bool = True):
        round_ = services.round_create(
            acting_user=organiser,
            contest=closed_contest,
            name="评审" if mode == "score" else "初评",
            mode=mode,
            deadline=deadline,
            per_entry=per_entry,
            criteria=CRITERIA if mode == "score" else (),
        )
        panel = [users["judge"], *(make_user("judge") for _ in range(judges - 1))]
        for judge in panel:
            services.seat_add(acting_user=organiser, round=round_, judge=judge)
        services.assignment_solve(acting_user=organiser, round=round_)
        if open_it:
            services.round_open(acting_user=organiser, round=round_)
        return Round.objects.get(pk=round_.pk), panel

    return make


@pytest.fixture
def scored(make_round):
    """An open scoring round, one of the first judge's reviews, and the two criteria."""
    round_, panel = make_round()
    theme, skill = round_.criteria.all()
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    return round_, panel, assignment, theme, skill


# --- scoring -------------------------------------------------------------------------------------


def test_scores_saved_in_part_keep_the_review_open_and_complete_ones_finish_it(scored):
    round_, panel, assignment, theme, skill = scored
    saved = services.review_save(acting_user=panel[0], assignment=assignment, scores={theme.pk: 8})
    row = Assignment.objects.get(pk=assignment.pk)
    assert (row.state, row.scores) == ("open", {str(theme.pk): 8})
    assert row.reviewed_at is not None
    assert saved.state == "open"
    services.review_save(acting_user=panel[0], assignment=assignment, scores={str(skill.pk): 0})
    row = Assignment.objects.get(pk=assignment.pk)
    assert (row.state, row.scores) == ("done", {str(theme.pk): 8, str(skill.pk): 0})
    # a score taken back opens the review again
    services.review_save(acting_user=panel[0], assignment=assignment, scores={theme.pk: None})
    row = Assignment.objects.get(pk=assignment.pk)
    assert (row.state, row.scores) == ("open", {str(skill.pk): 0})


def test_every_change_is_audited_with_before_and_after(scored):
    round_, panel, assignment, theme, skill = scored
    services.review_save(
        acting_user=panel[0], assignment=assignment, scores={theme.pk: 6, skill.pk: 3}
    )
    services.review_save(acting_user=panel[0], assignment=assignment, scores={theme.pk: 9})
    first, second = audited("judging.review.saved", round_)
    assert first.actor == second.actor == panel[0]
    assert first.data["assignment"] == second.data["assignment"] == assignment.pk
    assert first.data["before"] == {"scores": {}, "verdict": None}
    assert first.data["scores"] == {str(theme.pk): 6, str(skill.pk): 3}
    assert second.data["before"] == {
        "scores": {str(theme.pk): 6, str(skill.pk): 3},
        "verdict": None,
    }
    assert second.data["scores"] == {str(theme.pk): 9, str(skill.pk): 3}


def test_a_comment_alone_is_saved_and_keeps_the_state(scored):
    round_, panel, assignment, theme, skill = scored
    services.review_save(acting_user=panel[0], assignment=assignment, comment="构图好" * 1000)
    row = Assignment.objects.get(pk=assignment.pk)
    assert row.state == "open"
    assert row.comment == ("构图好" * 1000)[:2000]
    services.review_save(
        acting_user=panel[0], assignment=assignment, scores={theme.pk: 5, skill.pk: 5}
    )
    services.review_save(acting_user=panel[0], assignment=assignment, comment="")
    row = Assignment.objects.get(pk=assignment.pk)
    assert (row.state, row.comment) == ("done", "")


@pytest.mark.parametrize(
    ("which", "value"),
    [
        ("theme", 0),
        ("theme", 11),
        ("skill", 6),
        ("skill", -1),
        ("theme", 7.5),
        ("theme", "7"),
        ("theme", True),
    ],
)
def test_scores_outside_their_scale_are_refused_and_nothing_changes(scored, which, value):
    round_, panel, assignment, theme, skill = scored
    services.review_save(acting_user=panel[0], assignment=assignment, scores={theme.pk: 4})
    before = snapshot(assignment)
    logged = len(audited("judging.review.saved", round_))
    criterion = theme if which == "theme" else skill
    with translation.override("en"), pytest.raises(JudgingRefused) as refused:
        services.review_save(
            acting_user=panel[0],
            assignment=assignment,
            scores={skill.pk: 2, criterion.pk: value}
            if which == "theme"
            else {criterion.pk: value},
        )
    assert f"from {criterion.low} to {criterion.high}" in " ".join(refused.value.messages)
    assert snapshot(assignment) == before
    assert len(audited("judging.review.saved", round_)) == logged


def test_the_ends_of_each_scale_are_accepted(scored):
    round_, panel, assignment, theme, skill = scored
    for low_or_high in ((1, 0), (10, 5)):
        services.review_save(
            acting_user=panel[0],
            assignment=assignment,
            scores={theme.pk: low_or_high[0], skill.pk: low_or_high[1]},
        )
        assert Assignment.objects.get(pk=assignment.pk).scores == {
            str(theme.pk): low_or_high[0],
            str(skill.pk): low_or_high[1],
        }


def test_a_criterion_of_another_round_is_refused(scored, closed_contest, organiser, deadline):
    round_, panel, assignment, theme, skill = scored
    elsewhere = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="复评",
        mode="score",
        deadline=deadline,
        criteria=[("主题", 1, 1, 10)],
    )
    stranger = elsewhere.criteria.get()
    before = snapshot(assignment)
    with pytest.raises(JudgingRefused):
        services.review_save(
            acting_user=panel[0], assignment=assignment, scores={theme.pk: 5, stranger.pk: 5}
        )
    assert snapshot(assignment) == before


def test_only_the_judge_of_the_review_saves_it(scored, users, organiser):
    round_, panel, assignment, theme, skill = scored
    before = snapshot(assignment)
    for someone in (panel[1], organiser, users["unit_admin"], None):
        with pytest.raises(JudgingRefused):
            services.review_save(acting_user=someone, assignment=assignment, scores={theme.pk: 5})
    assert snapshot(assignment) == before
    assert not audited("judging.review.saved", round_)


def test_a_closed_round_refuses_changes_and_logs_nothing(scored, organiser):
    round_, panel, assignment, theme, skill = scored
    services.review_save(
        acting_user=panel[0], assignment=assignment, scores={theme.pk: 5, skill.pk: 2}
    )
    services.round_close(acting_user=organiser, round=round_)
    before = snapshot(assignment)
    with translation.override("en"), pytest.raises(JudgingRefused) as refused:
        services.review_save(acting_user=panel[0], assignment=assignment, scores={theme.pk: 9})
    assert "closed" in " ".join(refused.value.messages)
    assert snapshot(assignment) == before
    assert len(audited("judging.review.saved", round_)) == 1


def test_a_planned_round_takes_no_reviews(make_round):
    round_, panel = make_round(open_it=False)
    assignment = Assignment.objects.filter(round=round_, judge=panel[0]).first()
    theme = round_.criteria.first()
    with pytest.raises(JudgingRefused):
        services.review_save(acting_user=panel[0], assignment=assignment, scores={theme.pk: 5})
    assert Assignment.objects.get(pk=assignment.pk).scores == {}


def test_a_withdrawn_review_takes_no_scores(scored):
    round_, panel, assignment, theme, skill = scored
    services.conflict_declare(acting_user=panel[0], assignment=assignment)
    with translation.override("en"), pytest.raises(JudgingRefused) as refused:
        services.review_save(acting_user=panel[0], assignment=assignment, scores={theme.pk: 5})
    assert "withdrawn" in " ".join(refused.value.messages)
    row = Assignment.objects.get(pk=assignment.pk)
    assert (row.state, row.scores) == ("withdrawn", {})


# --- qualifying ---------------------------------------------------------------------------------


def test_a_verdict_finishes_a_qualifying_review(make_round):
    round_, panel = make_round(mode="qualify")
    first, second = Assignment.objects.filter(round=round_, judge=panel[0])[:2]
    services.review_save(acting_user=panel[0], assignment=first, verdict=True)
    services.review_save(acting_user=panel[0], assignment=second, verdict=False, comment="偏题")
    assert Assignment.objects.get(pk=first.pk).state == "done"
    assert Assignment.objects.get(pk=first.pk).verdict is True
    row = Assignment.objects.get(pk=second.pk)
    assert (row.state, row.verdict, row.comment) == ("done", False, "偏题")
    # a comment alone leaves the verdict as it was
    services.review_save(acting_user=panel[0], assignment=second, comment="再看")
    row = Assignment.objects.get(pk=second.pk)
    assert (row.state, row.verdict, row.comment) == ("done", False, "再看")
    third = Assignment.objects.filter(round=round_, judge=panel[0])[2]
    services.review_save(acting_user=panel[0], assignment=third, comment="稍后")
    assert Assignment.objects.get(pk=third.pk).state == "open"


def both_judges(round_, entry_id):
    return list(live(round_).filter(entry_id=entry_id).select_related("judge").order_by("pk"))


def least_loaded_other(round_, entry_id, panel, excluded=()):
    """The judge the rules say breaks a tie: least loaded, then lowest id, not on the entry."""
    loads = Counter(live(round_).values_list("judge_id", flat=True))
    on_entry = set(live(round_).filter(entry_id=entry_id).values_list("judge_id", flat=True))
    candidates = [j for j in panel if j.pk not in on_entry and j not in excluded]
    return min(candidates, key=lambda j: (loads[j.pk], j.pk))


def test_a_disagreement_goes_to_exactly_one_more_judge_the_least_loaded(make_round):
    round_, panel = make_round(mode="qualify", judges=5)  # loads 5, 5, 5, 5, 4
    entry_id = Assignment.objects.filter(round=round_).first().entry_id
    first, second = both_judges(round_, entry_id)
    services.review_save(acting_user=first.judge, assignment=first, verdict=True)
    assert live(round_).filter(entry_id=entry_id).count() == 2  # one verdict: nothing yet
    expected = least_loaded_other(round_, entry_id, panel)
    services.review_save(acting_user=second.judge, assignment=second, verdict=False)
    reviews = both_judges(round_, entry_id)
    assert len(reviews) == 3
    [extra] = [a for a in reviews if a.pk not in (first.pk, second.pk)]
    assert (extra.judge, extra.state, extra.verdict) == (expected, "open", None)
    [entry] = audited("judging.assignment.tiebreak", round_)
    assert entry.data == {"entry": entry_id, "judge": expected.pk}
    # the third verdict decides; changing one's mind afterwards adds nobody
    services.review_save(acting_user=extra.judge, assignment=extra, verdict=True)
    services.review_save(acting_user=second.judge, assignment=second, verdict=True)
    services.review_save(acting_user=second.judge, assignment=second, verdict=False)
    assert live(round_).filter(entry_id=entry_id).count() == 3
    assert len(audited("judging.assignment.tiebreak", round_)) == 1


@pytest.mark.parametrize("verdict", [True, False])
def test_agreement_adds_nobody(make_round, verdict):
    round_, panel = make_round(mode="qualify")
    entry_id = Assignment.objects.filter(round=round_).first().entry_id
    for assignment in both_judges(round_, entry_id):
        services.review_save(acting_user=assignment.judge, assignment=assignment, verdict=verdict)
    assert live(round_).filter(entry_id=entry_id).count() == 2
    assert live(round_).count() == 24
    assert not audited("judging.assignment.tiebreak", round_)


def test_the_tiebreaker_respects_unit_conflicts(make_round, organiser, make_user, world):
    """A judge from 永川区 with no work at all is the least loaded, yet never breaks a tie
    on a 永川区 entry; on a 奉节县 entry they are the one chosen."""
    round_, panel = make_round(mode="qualify", open_it=False)
    local = make_user("judge", world.district)
    services.seat_add(acting_user=organiser, round=round_, judge=local, unit=world.district)
    services.round_open(acting_user=organiser, round=round_)
    for unit, chosen in ((world.grassroots, None), (world.other_grassroots, local)):
        entry_id = live(round_).filter(entry__unit=unit).first().entry_id
        expected = chosen or least_loaded_other(round_, entry_id, panel)
        first, second = both_judges(round_, entry_id)
        services.review_save(acting_user=first.judge, assignment=first, verdict=False)
        services.review_save(acting_user=second.judge, assignment=second, verdict=True)
        [extra] = live(round_).filter(entry_id=entry_id).exclude(pk__in=[first.pk, second.pk])
        assert extra.judge == expected
        assert (unit == world.grassroots) == (extra.judge != local)


def test_a_judge_who_declared_a_conflict_never_breaks_the_tie(make_round):
    round_, panel = make_round(mode="qualify", judges=3)  # each entry: 2 of 3 judges
    entry_id = Assignment.objects.filter(round=round_, judge=panel[0]).first().entry_id
    # panel[0] leaves the entry; the third judge takes it, then the two disagree
    mine = live(round_).get(entry_id=entry_id, judge=panel[0])
    services.conflict_declare(acting_user=panel[0], assignment=mine)
    first, second = both_judges(round_, entry_id)
    assert panel[0] not in (first.judge, second.judge)
    services.review_save(acting_user=first.judge, assignment=first, verdict=True)
    services.review_save(acting_user=second.judge, assignment=second, verdict=False)
    assert live(round_).filter(entry_id=entry_id).count() == 2  # nobody left to decide
    assert not audited("judging.assignment.tiebreak", round_)


@pytest.mark.parametrize("how", ["conflict", "drop"])
def test_a_tiebreaker_who_withdraws_is_replaced(make_round, organiser, how):
    from laurel.judging.models import Seat

    round_, panel = make_round(mode="qualify", judges=5)
    entry_id = Assignment.objects.filter(round=round_).first().entry_id
    first, second = both_judges(round_, entry_id)
    services.review_save(acting_user=first.judge, assignment=first, verdict=True)
    services.review_save(acting_user=second.judge, assignment=second, verdict=False)
    [extra] = live(round_).filter(entry_id=entry_id).exclude(pk__in=[first.pk, second.pk])
    if how == "conflict":
        services.conflict_declare(acting_user=extra.judge, assignment=extra)
    else:
        seat = Seat.objects.get(round=round_, judge=extra.judge)
        services.judge_drop(acting_user=organiser, seat=seat)
    [replacement] = live(round_).filter(entry_id=entry_id).exclude(pk__in=[first.pk, second.pk])
    assert replacement.judge not in (first.judge, second.judge, extra.judge)
    assert (replacement.state, replacement.verdict) == ("open", None)
    assert len(audited("judging.assignment.tiebreak", round_)) == 2
