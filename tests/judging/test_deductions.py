"""Deductions: points taken off an entry in a round, with a reason, by an organiser or the
round's head judge (a seat role), never by a plain judge, never once the round is closed;
every one audited, taken back the same way."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from laurel.audit.models import LogEntry
from laurel.judging import policy, services
from laurel.judging.models import Deduction, Round, Seat
from laurel.judging.services import JudgingRefused
from laurel.web.access import Access


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def panel(closed_contest, organiser, deadline, users, make_user):
    """An open scoring round with two judges seated: the head judge and a plain judge."""
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="决赛",
        mode="score",
        deadline=deadline,
        per_entry=1,
        criteria=[("动作规范", 1, 0, 40)],
    )
    head, plain = users["judge"], make_user("judge")
    for judge in (head, plain):
        services.seat_add(acting_user=organiser, round=round_, judge=judge)
    Seat.objects.filter(round=round_, judge=head).update(role="head")
    return round_, head, plain


def refused(call, **kwargs) -> str:
    with translation.override("en"), pytest.raises(JudgingRefused) as refusal:
        call(**kwargs)
    return " ".join(refusal.value.messages)


def logged(action: str) -> list[LogEntry]:
    return list(LogEntry.objects.filter(action=action).order_by("pk"))


def test_the_head_judge_deducts_with_a_reason_and_it_is_audited(panel, closed_contest):
    round_, head, _ = panel
    entry = closed_contest.test_entries[0]
    deduction = services.deduction_add(
        acting_user=head, round=round_, entry=entry, points=D("0.5"), reason=" 超时10秒 "
    )
    row = Deduction.objects.get(pk=deduction.pk)
    assert (row.round_id, row.entry_id, row.points, row.reason, row.created_by_id) == (
        round_.pk,
        entry.pk,
        D("0.5"),
        "超时10秒",
        head.pk,
    )
    (entry_log,) = logged("judging.deduction.added")
    assert entry_log.actor_id == head.pk
    assert entry_log.data == {
        "deduction": row.pk,
        "entry": entry.pk,
        "points": "0.5",
        "reason": "超时10秒",
    }


def test_a_plain_judge_may_not_deduct_nor_take_one_back(panel, closed_contest, organiser):
    round_, _, plain = panel
    entry = closed_contest.test_entries[0]
    assert refused(
        services.deduction_add, acting_user=plain, round=round_, entry=entry, points=1, reason="x"
    ) == ("Only organisers and the round's head judge enter deductions.")
    deduction = services.deduction_add(
        acting_user=organiser, round=round_, entry=entry, points=1, reason="缺席一人"
    )
    assert "head judge" in refused(
        services.deduction_remove, acting_user=plain, deduction=deduction
    )
    assert list(Deduction.objects.values_list("pk", flat=True)) == [deduction.pk]
    assert not logged("judging.deduction.removed")


def test_a_head_judge_of_another_round_or_dropped_is_a_plain_judge_here(panel, users):
    round_, head, _ = panel
    access = Access(user_id=head.pk, is_judge=True)
    assert policy.may_enter_deductions(access, round_)
    Seat.objects.filter(round=round_, judge=head).update(active=False)
    assert not policy.may_enter_deductions(access, round_)
    Seat.objects.filter(round=round_, judge=head).update(active=True, role="judge")
    assert not policy.may_enter_deductions(access, round_)


def test_deductions_are_refused_once_the_round_is_closed(panel, closed_contest, organiser):
    round_, head, _ = panel
    entry = closed_contest.test_entries[0]
    deduction = services.deduction_add(
        acting_user=organiser, round=round_, entry=entry, points=1, reason="缺席一人"
    )
    Round.objects.filter(pk=round_.pk).update(state=Round.State.CLOSED)
    for who in (organiser, head):
        assert "closed" in refused(
            services.deduction_add, acting_user=who, round=round_, entry=entry, points=1, reason="x"
        )
        assert "closed" in refused(services.deduction_remove, acting_user=who, deduction=deduction)
    assert Deduction.objects.count() == 1
    assert len(logged("judging.deduction.added")) == 1
    assert not logged("judging.deduction.removed")


@pytest.mark.parametrize(
    ("points", "reason"),
    [(0, "缺席"), (D("-1"), "缺席"), (D("0.005"), "缺席"), (0.5, "缺席"), ("1", "缺席"), (1, "  ")],
    ids=["zero", "negative", "thousandths", "float", "text", "no-reason"],
)
def test_a_deduction_needs_points_above_0_and_a_reason(
    panel, closed_contest, organiser, points, reason
):
    round_, _, _ = panel
    with pytest.raises(JudgingRefused):
        services.deduction_add(
            acting_user=organiser,
            round=round_,
            entry=closed_contest.test_entries[0],
            points=points,
            reason=reason,
        )
    assert not Deduction.objects.exists()
    assert not logged("judging.deduction.added")


def test_an_entry_this_round_does_not_judge_is_refused(panel, closed_contest, organiser):
    round_, _, _ = panel
    entry = closed_contest.test_entries[0]
    entry.state = "withdrawn"
    entry.save(update_fields=["state"])
    assert "not judged in this round" in refused(
        services.deduction_add,
        acting_user=organiser,
        round=round_,
        entry=entry,
        points=1,
        reason="x",
    )


def test_a_deduction_taken_back_is_audited_with_what_it_was(panel, closed_contest):
    round_, head, _ = panel
    entry = closed_contest.test_entries[1]
    deduction = services.deduction_add(
        acting_user=head, round=round_, entry=entry, points=2, reason="服装不符"
    )
    services.deduction_remove(acting_user=head, deduction=deduction)
    assert not Deduction.objects.exists()
    (removed,) = logged("judging.deduction.removed")
    assert removed.data == {
        "deduction": deduction.pk,
        "entry": entry.pk,
        "points": "2",
        "reason": "服装不符",
    }
