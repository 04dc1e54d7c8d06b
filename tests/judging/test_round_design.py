"""A round's design: with one panel per category and no judge in common, nothing compares
the two categories' entries, and the organiser is told which groups stand apart; asked for
bridges, the assignment joins the panels through a few shared judges and says how many
reviews bridge."""

import pytest
from django.utils import translation

from laurel.audit.models import LogEntry
from laurel.judging import selectors, services
from laurel.judging.models import Assignment, Round
from laurel.judging.services import JudgingRefused


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def panels(closed_contest, organiser, make_user, deadline):
    """A planned round of the 12 entries (6 风光, 6 人文), two judges for each category."""
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="初评",
        mode="score",
        deadline=deadline,
        per_entry=2,
        criteria=[("总分", 1, 1, 10)],
    )
    categories = list(closed_contest.categories.all())
    for n in range(4):
        judge = make_user("judge", display_name=f"评委{n}")
        services.seat_add(
            acting_user=organiser, round=round_, judge=judge, categories=[categories[n % 2]]
        )
    return round_, categories


def test_category_panels_without_a_shared_judge_stand_apart(panels, organiser):
    round_, categories = panels
    assert selectors.round_design(round_) is None  # nothing assigned yet

    services.assignment_solve(acting_user=organiser, round=round_)

    design = selectors.round_design(round_)
    assert not design.connected
    assert design.bridging == 0
    assert sorted((p.entries, p.judges, tuple(p.categories)) for p in design.parts) == sorted(
        [(6, 2, (categories[0].name,)), (6, 2, (categories[1].name,))]
    )


def test_bridges_join_the_panels_and_are_kept_as_the_rounds(panels, organiser):
    round_, _categories = panels

    created = services.assignment_solve(acting_user=organiser, round=round_, bridges=1)

    assert created == 12 * 2  # bridging reviews replace, never add
    assert Round.objects.get(pk=round_.pk).bridges == 1
    design = selectors.round_design(round_)
    assert design.connected
    assert [p.entries for p in design.parts] == [12]
    assert 0 < design.bridging < design.reviews
    assert LogEntry.objects.filter(action="judging.assignment.solved").last().data["bridges"] == 1
    # solved again without saying: the round keeps its bridges
    services.assignment_solve(acting_user=organiser, round=round_)
    assert selectors.round_design(round_).connected
    assert Assignment.objects.filter(round=round_).count() == 24


def test_a_panel_too_small_to_bridge_is_refused_naming_why(panels, organiser):
    round_, categories = panels
    with translation.override("en"), pytest.raises(JudgingRefused) as refused:
        services.assignment_solve(acting_user=organiser, round=round_, bridges=3)
    said = " ".join(refused.value.messages)
    for category in categories[:2]:  # the two categories the entries and panels are in
        assert f"category {category.name}: 3 bridging judges asked, its panel has 2" in said
    assert not Assignment.objects.filter(round=round_).exists()
    assert Round.objects.get(pk=round_.pk).bridges == 0  # nothing of the refused plan kept
