"""A round's design: with one panel per category and no judge in common, nothing compares
the two categories' entries, and the organiser is told which groups stand apart; asked for
bridges, the assignment joins the panels through a few shared judges and says how many
reviews bridge."""

import pytest
from django.urls import reverse
from django.utils import translation

from laurel.audit.models import LogEntry
from laurel.judging import selectors, services
from laurel.judging.models import Assignment, Round
from laurel.judging.services import JudgingRefused
from tests.conftest import english_client


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


# --- over HTTP: the organiser's round page ------------------------------------------------------


def test_the_round_page_says_which_groups_stand_apart_and_offers_bridges(panels, organiser, users):
    round_, categories = panels
    services.assignment_solve(acting_user=organiser, round=round_)
    client = english_client()
    client.force_login(organiser)
    url = reverse("judging:round_detail", args=[round_.pk])

    page = client.get(url).content.decode()
    assert 'id="round-design" data-connected="false" data-parts="2"' in page
    assert "The entries fall into 2 groups that share no judge with one another." in page
    for category in categories[:2]:
        assert f"<td>{category.name}</td><td>6</td><td>2</td>" in page
    assert 'id="bridges-form"' in page

    response = client.post(reverse("judging:assignment_solve", args=[round_.pk]), {"bridges": "1"})
    assert response.status_code == 302
    assert Round.objects.get(pk=round_.pk).bridges == 1
    page = client.get(url).content.decode()
    assert 'id="round-design" data-connected="true" data-parts="1"' in page
    assert "Every entry can be compared with every other" in page
    assert 'id="bridges-form"' not in page


def test_an_assignment_without_bridges_asked_keeps_the_rounds(panels, organiser):
    round_, _categories = panels
    services.assignment_solve(acting_user=organiser, round=round_, bridges=1)
    client = english_client()
    client.force_login(organiser)
    for posted in ({}, {"bridges": "lots"}):
        client.post(reverse("judging:assignment_solve", args=[round_.pk]), posted)
        assert Round.objects.get(pk=round_.pk).bridges == 1
        assert selectors.round_design(round_).connected


def test_the_results_page_says_the_same_after_the_fact(panels, organiser):
    round_, _categories = panels
    services.assignment_solve(acting_user=organiser, round=round_)
    round_ = services.round_open(acting_user=organiser, round=round_)
    criterion = round_.criteria.get()
    for assignment in Assignment.objects.filter(round=round_).select_related("judge"):
        services.review_save(
            acting_user=assignment.judge, assignment=assignment, scores={criterion.pk: 7}
        )
    services.round_close(acting_user=organiser, round=round_)
    client = english_client()
    client.force_login(organiser)
    page = client.get(reverse("judging:round_detail", args=[round_.pk])).content.decode()
    assert 'id="round-design" data-connected="false" data-parts="2"' in page
    assert "each group was calibrated on its own" in page
    assert 'id="bridges-form"' not in page  # too late to bridge
