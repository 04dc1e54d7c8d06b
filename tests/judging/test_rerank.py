"""Ranking a closed scoring round again by another method, with the reason recorded
(``round_rerank``), and the judges' calibration kept by ``round_close``."""

from statistics import mean

import pytest

from laurel.audit.models import LogEntry
from laurel.contests.models import Entry
from laurel.judging import services
from laurel.judging.models import Assignment, JudgeCalibration, Result, Round
from laurel.judging.services import JudgingRefused
from tests.awards.conftest import SEVERITY, judged_contest  # noqa: F401 - the fixture


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


def results(round_) -> dict[int, tuple]:
    """Entry pk → (rank, score, low, high)."""
    return {
        r.entry_id: (r.rank, r.score, r.low, r.high) for r in Result.objects.filter(round=round_)
    }


def raw_means(round_) -> dict[int, float]:
    scores: dict[int, list[float]] = {}
    for entry_id, given in Assignment.objects.filter(
        round=round_, state=Assignment.State.DONE
    ).values_list("entry_id", "scores"):
        scores.setdefault(entry_id, []).extend(float(v) for v in given.values())
    return {entry_id: mean(values) for entry_id, values in scores.items()}


def footprint(round_) -> tuple:
    stored = Round.objects.get(pk=round_.pk)
    calibration = sorted(
        JudgeCalibration.objects.filter(round=round_).values_list("judge_id", "offset")
    )
    return stored.method, stored.method_reason, results(round_), calibration


# --- the calibration round_close keeps -----------------------------------------------------


def test_round_close_keeps_each_judges_calibration(judged_contest):  # noqa: F811
    round_, judges = judged_contest.test_round, judged_contest.test_judges
    calibration = {c.judge_id: c for c in JudgeCalibration.objects.filter(round=round_)}

    assert set(calibration) == {judge.pk for judge in judges}
    assert {c.reviews for c in calibration.values()} == {12}
    severe = judges[min(SEVERITY, key=SEVERITY.get)]  # judge 0: a point under the others
    lenient = judges[max(SEVERITY, key=SEVERITY.get)]  # judge 2: a point over
    assert SEVERITY[judges.index(severe)] < 0 < SEVERITY[judges.index(lenient)]
    assert calibration[severe.pk].offset < -0.5
    assert calibration[lenient.pk].offset > 0.5
    middle = judges[1]
    assert abs(calibration[middle.pk].offset) < 0.2
    # in the order of severity, as the severity chart lists them
    assert [c.judge_id for c in JudgeCalibration.objects.filter(round=round_)] == [
        severe.pk,
        middle.pk,
        lenient.pk,
    ]


# --- round_rerank --------------------------------------------------------------------------


def test_rerank_changes_the_method_and_rewrites_the_results(judged_contest, organiser):  # noqa: F811
    round_ = judged_contest.test_round
    assert round_.method == "calibrated"
    calibrated = results(round_)
    assert all(low is not None and high is not None for _, _, low, high in calibrated.values())

    reranked = services.round_rerank(
        acting_user=organiser, round=round_, method="mean", reason="评委人数少，用平均分"
    )

    stored = Round.objects.get(pk=round_.pk)
    assert reranked.method == stored.method == "mean"
    assert stored.method_reason == "评委人数少，用平均分"
    by_mean = results(round_)
    assert set(by_mean) == set(calibrated)
    assert by_mean != calibrated
    means = raw_means(round_)
    for entry_id, (_rank, score, low, high) in by_mean.items():
        assert score == pytest.approx(means[entry_id], abs=1e-9)
        assert low is None
        assert high is None
    # different scores than the calibrated ones: the calibrated fit is not the raw mean
    assert any(abs(by_mean[e][1] - calibrated[e][1]) > 1e-9 for e in calibrated), (
        "mean and calibrated gave the same scores"
    )
    ranks = sorted(rank for rank, *_ in by_mean.values())
    assert ranks == list(range(1, 13))
    best = min(by_mean, key=lambda e: by_mean[e][0])
    assert best == judged_contest.test_entries[0].pk


def test_rerank_back_to_calibrated_restores_intervals(judged_contest, organiser):  # noqa: F811
    round_ = judged_contest.test_round
    calibrated = results(round_)
    services.round_rerank(acting_user=organiser, round=round_, method="mean", reason="试一试")

    services.round_rerank(
        acting_user=organiser, round=round_, method="calibrated", reason="回到校准法"
    )

    again = results(round_)
    assert set(again) == set(calibrated)
    for entry_id, (rank, score, low, high) in again.items():
        assert rank == calibrated[entry_id][0]
        assert score == pytest.approx(calibrated[entry_id][1])
        assert low == pytest.approx(calibrated[entry_id][2])
        assert high == pytest.approx(calibrated[entry_id][3])
    assert JudgeCalibration.objects.filter(round=round_).count() == 3
    assert Round.objects.get(pk=round_.pk).method_reason == "回到校准法"


def test_rerank_is_audited(judged_contest, organiser):  # noqa: F811
    round_ = judged_contest.test_round

    services.round_rerank(acting_user=organiser, round=round_, method="zscore", reason="  对照  ")

    (entry,) = LogEntry.objects.filter(action="judging.round.reranked", object_id=str(round_.pk))
    assert entry.actor == organiser
    assert entry.data == {"from": "calibrated", "to": "zscore", "reason": "对照"}
    assert Round.objects.get(pk=round_.pk).method_reason == "对照"


@pytest.mark.parametrize("reason", ["", "   "])
def test_rerank_needs_a_reason(judged_contest, organiser, reason):  # noqa: F811
    round_ = judged_contest.test_round
    before = footprint(round_)

    with pytest.raises(JudgingRefused) as refused:
        services.round_rerank(acting_user=organiser, round=round_, method="mean", reason=reason)

    assert "reason" in refused.value.message_dict
    assert footprint(round_) == before
    assert not LogEntry.objects.filter(action="judging.round.reranked").exists()


@pytest.mark.parametrize("method", ["median", "bt", ""])
def test_rerank_refuses_an_unknown_method(judged_contest, organiser, method):  # noqa: F811
    round_ = judged_contest.test_round
    before = footprint(round_)

    with pytest.raises(JudgingRefused):
        services.round_rerank(acting_user=organiser, round=round_, method=method, reason="换")

    assert footprint(round_) == before


def test_rerank_refuses_an_open_round(judged_contest, organiser):  # noqa: F811
    round_ = judged_contest.test_round
    Round.objects.filter(pk=round_.pk).update(state=Round.State.OPEN)
    before = footprint(round_)

    with pytest.raises(JudgingRefused):
        services.round_rerank(acting_user=organiser, round=round_, method="mean", reason="换")

    assert footprint(round_) == before


def test_rerank_refuses_a_qualify_round(judged_contest, organiser, deadline):  # noqa: F811
    qualify = services.round_create(
        acting_user=organiser,
        contest=judged_contest,
        name="初评",
        mode="qualify",
        deadline=deadline,
        per_entry=1,
    )
    for judge in judged_contest.test_judges:
        services.seat_add(acting_user=organiser, round=qualify, judge=judge)
    services.assignment_solve(acting_user=organiser, round=qualify)
    services.round_open(acting_user=organiser, round=qualify)
    qualify = services.round_close(acting_user=organiser, round=qualify)
    assert qualify.state == Round.State.CLOSED
    before = footprint(qualify)

    with pytest.raises(JudgingRefused):
        services.round_rerank(acting_user=organiser, round=qualify, method="mean", reason="换")

    assert footprint(qualify) == before
    assert Round.objects.get(pk=qualify.pk).method == "calibrated"


@pytest.mark.parametrize("role", ["unit_admin", "judge", "member"])
def test_only_organisers_rerank(judged_contest, users, role):  # noqa: F811
    round_ = judged_contest.test_round
    before = footprint(round_)

    with pytest.raises(JudgingRefused):
        services.round_rerank(acting_user=users[role], round=round_, method="mean", reason="换")

    assert footprint(round_) == before


def test_rerank_after_an_entry_was_disqualified_ranks_the_others(judged_contest, organiser):  # noqa: F811
    """An entry disqualified after the judges scored it (screening goes on during judging)
    drops out of the new ranking; the others are ranked 1..N without a gap."""
    round_ = judged_contest.test_round
    dropped = judged_contest.test_entries[3]
    Entry.objects.filter(pk=dropped.pk).update(state=Entry.State.DISQUALIFIED)

    services.round_rerank(acting_user=organiser, round=round_, method="mean", reason="重排")

    after = results(round_)
    assert dropped.pk not in after
    assert sorted(rank for rank, *_ in after.values()) == list(range(1, 12))
