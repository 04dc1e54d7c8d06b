"""Decimal scores through the score mode: a judge's review page follows each criterion's step
(a keypad of its values when there are at most 21, else the slider and a number field), a
judge posting a value off the step or past the maximum is told the criterion's name, range
and step and nothing is saved, decimals are kept as text, and a closed round's results keep
the points as shown and its ties as ties."""

import io
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from laurel.audit.models import LogEntry
from laurel.judging import services
from laurel.judging.models import Assignment, Criterion, Result, Round
from tests.conftest import english_client


@pytest.fixture
def decimal_round(closed_contest, users, deadline):
    """An open scoring round of the 12 entries, one judge: 动作规范 0–10 by 0.05 (201
    values), 艺术 0–10 by 0.5 (21 values) and 主题 0–10 by 1."""
    organiser, judge = users["federation_admin"], users["judge"]
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="决赛",
        mode="score",
        deadline=deadline,
        per_entry=1,
        criteria=[("动作规范", 1, 0, 10), ("艺术", 1, 0, 10), ("主题", 1, 0, 10)],
    )
    form, art, theme = round_.criteria.all()
    Criterion.objects.filter(pk=form.pk).update(step=D("0.05"))
    Criterion.objects.filter(pk=art.pk).update(step=D("0.5"))
    services.seat_add(acting_user=organiser, round=round_, judge=judge)
    services.assignment_solve(acting_user=organiser, round=round_)
    round_ = services.round_open(acting_user=organiser, round=round_)
    client = english_client()
    client.force_login(judge)
    mine = list(Assignment.objects.filter(round=round_).order_by("position", "pk"))
    return SimpleNamespace(
        round=round_, form=form, art=art, theme=theme, client=client, mine=mine, judge=judge
    )


def save(ns, assignment, fields):
    return ns.client.post(reverse("judging:judge_review_save", args=[assignment.pk]), fields)


def test_the_review_page_follows_each_criterions_step(decimal_round):
    ns = decimal_round
    html = ns.client.get(reverse("judging:judge_review", args=[ns.mine[0].pk])).content.decode()
    # 0–10 by 0.05: 201 values, too many keys: the slider on its step and a number field
    assert f'name="criterion_{ns.form.pk}" min="0" max="10" step="0.05"' in html
    assert f'data-criterion-typed="{ns.form.pk}" min="0" max="10" step="0.05"' in html
    assert f'data-criterion="{ns.form.pk}" data-value=' not in html
    # 0–10 by 0.5: 21 values, each a key (0, 0.5, 1, … 9.5, 10)
    for value in ("0", "0.5", "1", "7.5", "9.5", "10"):
        assert f'data-criterion="{ns.art.pk}" data-value="{value}"' in html
    assert html.count(f'data-criterion="{ns.art.pk}" data-value=') == 21
    assert f'data-criterion-typed="{ns.art.pk}"' not in html


@pytest.mark.parametrize(
    ("which", "value", "sentence"),
    [
        ("form", "9.37", "动作规范 is scored from 0 to 10 in steps of 0.05."),
        ("theme", "11", "主题 is scored from 0 to 10."),
        ("form", "11", "动作规范 is scored from 0 to 10 in steps of 0.05."),
        ("art", "seven", "艺术 is scored from 0 to 10 in steps of 0.5."),
    ],
)
def test_a_score_off_its_step_or_range_is_refused_over_http_and_nothing_saved(
    decimal_round, which, value, sentence
):
    ns = decimal_round
    assignment = ns.mine[0]
    criterion = getattr(ns, which)
    logged = LogEntry.objects.filter(action="judging.review.saved").count()
    response = save(ns, assignment, {f"criterion_{criterion.pk}": value})
    assert response.status_code == 400
    assert sentence in response.content.decode()
    assignment.refresh_from_db()
    assert (assignment.state, assignment.scores) == ("open", {})
    assert LogEntry.objects.filter(action="judging.review.saved").count() == logged


def test_decimal_scores_are_saved_as_text_and_whole_ones_as_ints(decimal_round):
    ns = decimal_round
    assignment = ns.mine[0]
    response = save(
        ns,
        assignment,
        {f"criterion_{ns.form.pk}": "9.35", f"criterion_{ns.art.pk}": "８.５"},
    )
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.scores == {
        str(ns.form.pk): "9.35",
        str(ns.art.pk): "8.5",
    }  # at the step's places
    save(ns, assignment, {f"criterion_{ns.theme.pk}": "7"})
    assignment.refresh_from_db()
    assert assignment.scores[str(ns.theme.pk)] == 7
    assert assignment.state == "done"
    html = ns.client.get(reverse("judging:judge_review", args=[assignment.pk])).content.decode()
    assert f'id="criterion-{ns.form.pk}-value" for="criterion-{ns.form.pk}">9.35<' in html


def test_a_closed_round_keeps_the_points_as_shown_and_its_ties(decimal_round, users):
    ns = decimal_round
    Round.objects.filter(pk=ns.round.pk).update(combine="total", method="mean")
    values = {
        # totals: 9.35 + 8.5 + 7 = 24.85 for the first two (a tie, no chain), 20 for the third
        0: ("9.35", "8.5", "7"),
        1: ("9.35", "8.5", "7"),
        2: ("5", "8", "7"),
    }
    for n, (form, art, theme) in values.items():
        services.review_save(
            acting_user=ns.judge,
            assignment=ns.mine[n],
            scores={ns.form.pk: D(form), ns.art.pk: D(art), ns.theme.pk: int(theme)},
        )
    services.round_close(acting_user=users["federation_admin"], round=ns.round)
    results = {
        r.entry_id: (r.points, r.tied)
        for r in Result.objects.filter(round=ns.round, entry_id__in=[a.entry_id for a in ns.mine])
    }
    assert results[ns.mine[0].entry_id] == (D("24.85"), True)
    assert results[ns.mine[1].entry_id] == (D("24.85"), True)
    assert results[ns.mine[2].entry_id] == (20, False)
    assert results[ns.mine[3].entry_id] == (None, False)  # not reviewed
    # the ranking method works on the same totals: one judge's mean is their total
    first = Result.objects.get(round=ns.round, entry_id=ns.mine[0].entry_id)
    assert first.score == pytest.approx(24.85)  # weighted, it would be 24.85 / 3 = 8.28
    # and the two tied on 24.85 share the first place: the mean method ranks the totals read
    ranks = {
        r.entry_id: r.rank
        for r in Result.objects.filter(round=ns.round, entry_id__in=[a.entry_id for a in ns.mine])
    }
    assert ranks[ns.mine[0].entry_id] == ranks[ns.mine[1].entry_id] == 1
    assert ranks[ns.mine[2].entry_id] == 3


def test_the_scores_workbook_lists_decimals_as_numbers_and_the_total(decimal_round, users):
    """The organiser's workbook of every review: 9.35 as a number (not the text it is kept
    as), and the review's score as the round combines it — here a total, 24.85."""
    ns = decimal_round
    Round.objects.filter(pk=ns.round.pk).update(combine="total")
    services.review_save(
        acting_user=ns.judge,
        assignment=ns.mine[0],
        scores={ns.form.pk: D("9.35"), ns.art.pk: D("8.5"), ns.theme.pk: 7},
    )
    client = english_client()
    client.force_login(users["federation_admin"])
    response = client.get(reverse("awards:console_export", args=[ns.round.contest.slug, "scores"]))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    header, *body = workbook.worksheets[0].iter_rows(values_only=True)
    (row,) = body
    by_header = dict(zip(header, row, strict=True))
    assert by_header["动作规范"] == pytest.approx(9.35)
    assert by_header["艺术"] == pytest.approx(8.5)
    assert by_header["主题"] == 7
    assert by_header["Review score"] == pytest.approx(24.85)
