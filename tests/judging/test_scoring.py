"""A round's scores through ``judging.scoring``: decimal values read on each criterion's
range and step, refused with the criterion's name, range and step; how they are kept in
``Assignment.scores``; and the round's standings — totals with deductions, the round's
rounding rule, ties broken by its chain or left as ties. Every expected value is worked out
by hand in the comments."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from laurel.judging import scoring, services
from laurel.judging.models import Criterion, Round
from laurel.judging.services import JudgingRefused


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def make_round(closed_contest, organiser, deadline):
    """A scoring round with ``criteria`` as (name, weight, low, high, step) and the round's
    settings (``combine``, ``places``, ``rounding``, ``tie_breaks``) as given."""

    def make(criteria, **settings) -> Round:
        round_ = services.round_create(
            acting_user=organiser,
            contest=closed_contest,
            name="决赛",
            mode="score",
            deadline=deadline,
            criteria=[(name, weight, low, high) for name, weight, low, high, _ in criteria],
        )
        for criterion, (*_, step) in zip(round_.criteria.all(), criteria, strict=True):
            Criterion.objects.filter(pk=criterion.pk).update(step=D(step))
        Round.objects.filter(pk=round_.pk).update(**settings)
        return Round.objects.get(pk=round_.pk)

    return make


def keys(round_) -> list[str]:
    return [str(c.pk) for c in round_.criteria.all()]


def refusal(round_, values) -> str:
    with translation.override("en"), pytest.raises(JudgingRefused) as refused:
        scoring.review_scores_parse(round_, values)
    return " ".join(refused.value.messages)


# --- reading and keeping scores ---------------------------------------------------------------


def test_decimal_scores_on_a_tenth_and_a_twentieth_step_are_read(make_round):
    round_ = make_round([("技术", 1, 0, 10, "0.1"), ("动作规范", 1, 0, 10, "0.05")])
    tech, form = keys(round_)
    # 9.3 = 93 × 0.1 and 9.35 = 187 × 0.05: both on their steps.
    assert scoring.review_scores_parse(round_, {tech: "9.3", form: "9.35"}) == {
        tech: D("9.3"),
        form: D("9.35"),
    }
    # typed on a Chinese keyboard: full-width digits and the ideographic full stop
    assert scoring.review_scores_parse(round_, {form: "９。３５"}) == {form: D("9.35")}
    # 10 on the 0.05 step is kept at its two places (10.00), the maximum itself
    assert str(scoring.review_scores_parse(round_, {int(form): 10})[form]) == "10.00"


def test_9_37_on_a_twentieth_step_and_11_on_ten_points_are_refused_by_name(make_round):
    round_ = make_round([("动作规范", 1, 0, 10, "0.05"), ("主题", 1, 0, 10, "1")])
    form, theme = keys(round_)
    # 9.37 = 187.4 steps of 0.05: off the step.
    assert refusal(round_, {form: "9.37"}) == "动作规范 is scored from 0 to 10 in steps of 0.05."
    # 11 is past the maximum 10, on either criterion.
    assert refusal(round_, {form: "11"}) == "动作规范 is scored from 0 to 10 in steps of 0.05."
    assert refusal(round_, {theme: "11"}) == "主题 is scored from 0 to 10."
    assert refusal(round_, {theme: "7.5"}) == "主题 is scored from 0 to 10."
    assert refusal(round_, {"999999": "5"}) == "Unknown criterion."


def test_a_service_is_given_numbers_never_text_or_floats(make_round):
    round_ = make_round([("动作规范", 1, 0, 10, "0.05")])
    (form,) = keys(round_)
    assert scoring.review_scores_check(round_, {form: D("9.35")}) == {form: D("9.35")}
    assert scoring.review_scores_check(round_, {form: 9}) == {form: D("9.00")}
    # what the judge typed in the review form is read as text, as review_scores_parse does
    typed = scoring.TypedScore("９。３５")
    assert scoring.review_scores_check(round_, {form: typed}) == {form: D("9.35")}
    for value in ("9.35", 9.35, True):
        with translation.override("en"), pytest.raises(JudgingRefused) as refused:
            scoring.review_scores_check(round_, {form: value})
        assert refused.value.messages == ["动作规范 is scored from 0 to 10 in steps of 0.05."]


def test_whole_steps_are_kept_as_ints_and_decimal_ones_as_text(make_round):
    round_ = make_round([("主题", 1, 1, 10, "1"), ("动作规范", 1, 0, 10, "0.05")])
    theme, form = scoring.round_criteria(round_)
    # a whole step keeps today's ints, so rows saved before decimal steps read the same
    assert scoring.score_stored(theme, D("7")) == 7
    assert type(scoring.score_stored(theme, D("7"))) is int
    assert scoring.score_stored(form, D("9.35")) == "9.35"
    assert scoring.score_stored(form, D("9")) == "9.00"
    assert scoring.score_read(7) == D(7)
    assert scoring.score_read("9.35") == D("9.35")
    with pytest.raises(TypeError):
        scoring.score_read(9.35)


# --- standings ----------------------------------------------------------------------------------


def test_a_total_of_four_criteria_less_two_deductions(make_round, closed_contest, organiser):
    # The 100-point drill of issue 23: 动作规范 40 + 整齐划一 30 + 精神风貌 20 + 队形与服装 10.
    round_ = make_round(
        [
            ("动作规范", 1, 0, 40, "0.5"),
            ("整齐划一", 1, 0, 30, "0.5"),
            ("精神风貌", 1, 0, 20, "0.5"),
            ("队形与服装", 1, 0, 10, "0.5"),
        ],
        combine="total",
    )
    form, unison, spirit, dress = keys(round_)
    team, other = closed_contest.test_entries[:2]
    reviews = [
        # judge 1: 36 + 27.5 + 18 + 9 = 90.5; judge 2: 38 + 28 + 17.5 + 9.5 = 93
        (team.pk, {form: 36, unison: "27.5", spirit: 18, dress: 9}),
        (team.pk, {form: 38, unison: 28, spirit: "17.5", dress: "9.5"}),
        # one judge: 30 + 25 + 15 + 8 = 78
        (other.pk, {form: 30, unison: 25, spirit: 15, dress: 8}),
    ]
    services.deduction_add(
        acting_user=organiser, round=round_, entry=team, points=1, reason="缺席一人"
    )
    services.deduction_add(
        acting_user=organiser, round=round_, entry=team, points=D("0.5"), reason="超时10秒"
    )
    first, second = scoring.round_standings(round_, reviews)
    # (90.5 + 93) / 2 = 91.75, less 1 + 0.5 = 90.25
    assert (first.entry_id, first.points, first.shown, first.place) == (
        team.pk,
        D("90.25"),
        D("90.25"),
        1,
    )
    assert (first.reviews, first.deducted) == (2, D("1.5"))
    assert (second.entry_id, second.points, second.deducted, second.place) == (
        other.pk,
        D(78),
        D(0),
        2,
    )


def test_the_mean_of_8_and_8_25_reads_8_13_half_up_where_floats_give_8_12(
    make_round, closed_contest
):
    round_ = make_round([("技术", 1, 0, 10, "0.25")])  # places 2, half up: the defaults
    (tech,) = keys(round_)
    entry = closed_contest.test_entries[0]
    reviews = [(entry.pk, {tech: "8.00"}), (entry.pk, {tech: "8.25"})]
    (standing,) = scoring.round_standings(round_, reviews)
    # (8.00 + 8.25) / 2 = 8.125 exactly; half up → 8.13
    assert standing.points == D("8.125")
    assert str(standing.shown) == "8.13"
    assert round((8.00 + 8.25) / 2, 2) == 8.12  # noqa: RUF046 (the float rounding it avoids)
    Round.objects.filter(pk=round_.pk).update(rounding="half_even")
    (standing,) = scoring.round_standings(Round.objects.get(pk=round_.pk), reviews)
    assert str(standing.shown) == "8.12"  # the round's rule decides, not the arithmetic


def test_one_tie_is_broken_by_the_chain_and_one_is_left_as_a_tie(make_round, closed_contest):
    round_ = make_round([("主题", 1, 0, 10, "1"), ("技术", 1, 0, 10, "1")])
    theme, tech = keys(round_)
    Round.objects.filter(pk=round_.pk).update(
        tie_breaks=[["criterion", theme], ["fewer_deductions"]]
    )
    round_ = Round.objects.get(pk=round_.pk)
    e1, e2, e3, e4 = (e.pk for e in closed_contest.test_entries[:4])
    reviews = [
        (e2, {theme: 7, tech: 9}),  # (7 + 9) / 2 = 8
        (e1, {theme: 9, tech: 7}),  # (9 + 7) / 2 = 8: tied on 8.00, 主题 9 > 7 breaks it
        (e3, {theme: 6, tech: 6}),  # 6
        (e4, {theme: 6, tech: 6}),  # 6: equal on 主题 and on deductions (none): a tie
    ]
    placed = [
        (s.entry_id, s.place, s.tied_with, s.decided_by)
        for s in scoring.round_standings(round_, reviews)
    ]
    assert placed == [
        (e1, 1, (), f"criterion:{theme}"),
        (e2, 2, (), f"criterion:{theme}"),
        (e3, 3, (e4,), None),
        (e4, 3, (e3,), None),
    ]


def test_the_organisers_decision_settles_the_tie_left(make_round, closed_contest, organiser, users):
    round_ = make_round([("主题", 1, 0, 10, "1")])
    (theme,) = keys(round_)
    Round.objects.filter(pk=round_.pk).update(tie_breaks=[["criterion", theme], ["decision"]])
    round_ = Round.objects.get(pk=round_.pk)
    a, b = closed_contest.test_entries[:2]
    reviews = [(a.pk, {theme: 6}), (b.pk, {theme: 6})]
    assert [s.place for s in scoring.round_standings(round_, reviews)] == [1, 1]

    with translation.override("en"), pytest.raises(JudgingRefused) as refused:
        services.tie_decide(acting_user=organiser, round=round_, entries=[b, a], reason=" ")
    assert "Say why" in refused.value.messages[0]
    with pytest.raises(JudgingRefused):
        services.tie_decide(acting_user=users["judge"], round=round_, entries=[b, a], reason="x")

    services.tie_decide(
        acting_user=organiser, round=round_, entries=[b, a], reason="现场加赛，乙队胜"
    )
    placed = [(s.entry_id, s.place, s.decided_by) for s in scoring.round_standings(round_, reviews)]
    assert placed == [(b.pk, 1, "decision"), (a.pk, 2, "decision")]


def test_a_decision_is_refused_where_the_chain_does_not_end_with_one(
    make_round, closed_contest, organiser
):
    round_ = make_round([("主题", 1, 0, 10, "1")])  # no chain: ties are left as ties
    a, b = closed_contest.test_entries[:2]
    with translation.override("en"), pytest.raises(JudgingRefused) as refused:
        services.tie_decide(acting_user=organiser, round=round_, entries=[b, a], reason="加赛")
    assert "does not end with the organiser's decision" in refused.value.messages[0]
    assert not round_.tie_decisions.exists()


# --- places by the round's ranking method ------------------------------------------------------


def ranked(entry_id, score, reviews=2, low=None, high=None):
    from laurel.core.ranking import RankedEntry

    return RankedEntry(
        rank=0, entry=str(entry_id), score=score, low=low, high=high, reviews=reviews
    )


def test_a_methods_exact_tie_goes_through_the_chain_instead_of_the_entry_id(
    make_round, closed_contest
):
    """By a statistical method, entries equal on its score, their number of reviews and
    their raw mean go through the round's chain; what the chain leaves equal shares a
    place — the core's last resort, the entry's id, never decides."""
    round_ = make_round([("主题", 1, 0, 10, "1"), ("技术", 1, 0, 10, "1")])
    theme, tech = keys(round_)
    Round.objects.filter(pk=round_.pk).update(
        method="calibrated", tie_breaks=[["criterion", theme]]
    )
    round_ = Round.objects.get(pk=round_.pk)
    e1, e2, e3, e4, e5 = (e.pk for e in closed_contest.test_entries[:5])
    reviews = [
        (e1, {theme: 7, tech: 9}),  # raw mean 8, 主题 7
        (e2, {theme: 9, tech: 7}),  # raw mean 8, 主题 9: above e1 by the chain
        (e3, {theme: 6, tech: 6}),
        (e4, {theme: 6, tech: 6}),  # equal to e3 on everything: a tie left
        (e5, {theme: 5, tech: 5}),
    ]
    standings = scoring.round_standings(round_, reviews)
    # the core's order among equals is by entry id: e1 before e2, e3 before e4
    core_order = [
        ranked(e1, 8.0, 1),
        ranked(e2, 8.0, 1),
        ranked(e3, 6.5, 1),
        ranked(e4, 6.5, 1),
        ranked(e5, 6.5, 2),  # same score, more reviews: above the tie of e3 and e4
    ]
    places = {
        p.entry_id: (p.place, p.tied_with)
        for p in scoring.method_places(round_, core_order, standings)
    }
    assert places == {
        e2: (1, ()),
        e1: (2, ()),
        e5: (3, ()),
        e3: (4, (e4,)),
        e4: (4, (e3,)),
    }


def test_a_deduction_comes_off_the_methods_score_and_its_interval(
    make_round, closed_contest, organiser
):
    round_ = make_round([("主题", 1, 0, 10, "0.1")])
    Round.objects.filter(pk=round_.pk).update(method="calibrated")
    round_ = Round.objects.get(pk=round_.pk)
    (theme,) = keys(round_)
    a, b = closed_contest.test_entries[:2]
    services.deduction_add(
        acting_user=organiser, round=round_, entry=a, points=D("1.5"), reason="超时"
    )
    reviews = [(a.pk, {theme: "9.0"}), (b.pk, {theme: "8.0"})]
    standings = scoring.round_standings(round_, reviews)
    placed = scoring.method_places(
        round_, [ranked(a.pk, 9.0, 1, 8.5, 9.5), ranked(b.pk, 8.0, 1, 7.5, 8.5)], standings
    )
    # 9.0 − 1.5 = 7.5 falls below 8.0: b first
    assert [(p.entry_id, p.place, p.score, p.low, p.high) for p in placed] == [
        (b.pk, 1, 8.0, 7.5, 8.5),
        (a.pk, 2, 7.5, 7.0, 8.0),
    ]


def test_by_the_mean_the_place_is_the_points_as_read(make_round, closed_contest):
    """By the mean, 8.125 and 8.13 both read 8.13: tied, whatever the float scores say."""
    round_ = make_round([("技术", 1, 0, 10, "0.005")])
    Round.objects.filter(pk=round_.pk).update(method="mean")
    round_ = Round.objects.get(pk=round_.pk)
    (tech,) = keys(round_)
    a, b = closed_contest.test_entries[:2]
    reviews = [(a.pk, {tech: "8.125"}), (b.pk, {tech: "8.13"})]
    standings = scoring.round_standings(round_, reviews)
    placed = scoring.method_places(
        round_, [ranked(b.pk, 8.13, 1), ranked(a.pk, 8.125, 1)], standings
    )
    assert {p.entry_id: (p.place, p.tied_with) for p in placed} == {
        a.pk: (1, (b.pk,)),
        b.pk: (1, (a.pk,)),
    }
