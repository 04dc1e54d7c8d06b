"""The organiser's tie decisions on a closed round's results page: the ties the chain leaves
listed, each with a form where the chain ends with the organiser's decision; an order posted
with its reason places the entries at once (the results written again), and can be decided
again; a missing reason or entries that are not a tie refused on the form; a round whose
chain has no decision shows its ties as ties, with no form."""

import pytest
from django.urls import reverse

from laurel.audit.models import LogEntry
from laurel.judging import services
from laurel.judging.forms import tie_key
from laurel.judging.models import Assignment, Result, TieDecision
from tests.conftest import english_client

REASON = "现场加赛，乙队胜"


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def console(organiser):
    client = english_client()
    client.force_login(organiser)
    return client


@pytest.fixture
def make_closed_round(closed_contest, organiser, users, deadline):
    """A closed round ranked by the mean, one judge, with ``tie_breaks`` as given: the first
    two entries reviewed 9 (a tie), the third 8."""

    def make(tie_breaks):
        round_ = services.round_create(
            acting_user=organiser,
            contest=closed_contest,
            name="决赛",
            mode="score",
            deadline=deadline,
            per_entry=1,
            method="mean",
            criteria=[("动作规范", 1, 0, 10)],
            tie_breaks=tie_breaks,
        )
        services.seat_add(acting_user=organiser, round=round_, judge=users["judge"])
        services.assignment_solve(acting_user=organiser, round=round_)
        services.round_open(acting_user=organiser, round=round_)
        criterion = round_.criteria.get()
        for entry, value in zip(closed_contest.test_entries[:3], (9, 9, 8), strict=False):
            services.review_save(
                acting_user=users["judge"],
                assignment=Assignment.objects.get(round=round_, entry=entry),
                scores={criterion.pk: value},
            )
        return services.round_close(acting_user=organiser, round=round_)

    return make


def places(round_, entries) -> list[tuple[int, bool]]:
    rows = {r.entry_id: (r.rank, r.tied) for r in Result.objects.filter(round=round_)}
    return [rows[entry.pk] for entry in entries]


def page_of(console, round_) -> str:
    return console.get(reverse("judging:round_detail", args=[round_.pk])).content.decode()


def decide(console, round_, group, order, reason=REASON):
    data = {"group": tie_key(entry.pk for entry in group), "reason": reason}
    data |= {f"place_{n}": entry.pk for n, entry in enumerate(order, start=1)}
    return console.post(reverse("judging:tie_decide", args=[round_.pk]), data)


def test_the_organiser_orders_a_tie_left_and_the_results_place_it_at_once(
    console, make_closed_round, closed_contest
):
    round_ = make_closed_round([("decision",)])
    a, b, c = closed_contest.test_entries[:3]
    assert places(round_, [a, b, c]) == [(1, True), (1, True), (3, False)]
    page = page_of(console, round_)
    key = tie_key([a.pk, b.pk])
    assert f'id="tie-form-{key}"' in page
    assert f'data-tied-entry="{a.code}"' in page
    assert f'data-tied-entry="{b.code}"' in page
    assert f'data-tied-entry="{c.code}"' not in page
    assert "ends with your decision" in page

    response = decide(console, round_, [a, b], [b, a])
    assert response.status_code == 302
    assert places(round_, [b, a, c]) == [(1, False), (2, False), (3, False)]
    decision = TieDecision.objects.get()
    assert (decision.entries, decision.reason) == ([b.pk, a.pk], REASON)
    (logged,) = LogEntry.objects.filter(action="judging.tie.decided")
    assert logged.data["entries"] == [b.pk, a.pk]

    page = page_of(console, round_)
    assert 'data-tied="true"' not in page  # the results table: the tie is gone
    assert f'data-decision="{decision.pk}"' in page
    assert f'<span data-decided-entry="{b.code}" data-rank="1">' in page
    assert f'<span data-decided-entry="{a.code}" data-rank="2">' in page
    assert REASON in page

    # the latest decision for the group counts: it may be decided again
    assert decide(console, round_, [a, b], [a, b], reason="复核录像").status_code == 302
    assert places(round_, [a, b]) == [(1, False), (2, False)]


def test_a_decision_without_a_reason_is_refused_on_the_form(
    console, make_closed_round, closed_contest
):
    round_ = make_closed_round([("decision",)])
    a, b = closed_contest.test_entries[:2]
    response = decide(console, round_, [a, b], [b, a], reason="  ")
    assert response.status_code == 200
    html = response.content.decode()
    form = html[html.index(f'id="tie-form-{tie_key([a.pk, b.pk])}"') :]
    assert "Say why the tie goes this way; it is recorded." in form[: form.index("</form>")]
    assert not TieDecision.objects.exists()
    assert places(round_, [a, b]) == [(1, True), (1, True)]


def test_entries_that_are_not_a_tie_are_refused_on_the_form(
    console, make_closed_round, closed_contest
):
    round_ = make_closed_round([("decision",)])
    a, _, c = closed_contest.test_entries[:3]
    response = decide(console, round_, [a, c], [c, a])
    assert response.status_code == 200
    html = response.content.decode()
    form = html[html.index(f'id="tie-form-{tie_key([a.pk, c.pk])}"') :]
    assert "These entries are not a tie the round&#x27;s results keep" in form
    assert not TieDecision.objects.exists()
    assert places(round_, [a, c]) == [(1, True), (3, False)]


def test_a_chain_without_the_decision_shows_the_tie_without_a_form(
    console, make_closed_round, closed_contest
):
    round_ = make_closed_round([])
    a, b = closed_contest.test_entries[:2]
    page = page_of(console, round_)
    assert f'data-tied-entry="{a.code}"' in page
    assert f'data-tied-entry="{b.code}"' in page
    assert "The round's tie-break chain leaves these entries tied" in page
    assert 'class="contest-form tie-form"' not in page

    response = decide(console, round_, [a, b], [b, a])  # posted all the same: refused
    assert response.status_code == 200
    assert "does not end with the organiser&#x27;s decision" in response.content.decode()
    assert not TieDecision.objects.exists()
    assert places(round_, [a, b]) == [(1, True), (1, True)]
