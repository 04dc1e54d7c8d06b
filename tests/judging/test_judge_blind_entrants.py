"""Judges stay blind whatever the entrant: a team's entry and a unit's entry reach the judge
workspace without the team's name, the unit's name or anything else of the entrant."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurel.contests.services import Upload, contest_transition, entry_submit
from laurel.judging import services
from laurel.judging.models import Assignment
from laurel.members.services import team_create
from laurel.orgs.services import unit_create
from tests.conftest import make_member
from tests.contests.conftest import ALL_DECLARATIONS
from tests.judging.conftest import small_jpeg

TEAM_NAME = "晨光舞蹈队"
UNIT_NAME = "金凤凰精密铸造厂工会"  # distinctive: nowhere else on a judge's page
LEADER_NAME = "欧阳明月"


def judged_entry(contest_factory, users, capture, slug: str, seed: int, **entrant_of):
    """A contest of ``entrants`` with one accepted entry, closed and in an open scoring round
    whose one judge is the ``judge`` user; that judge's assignment."""
    kind, make = entrant_of.popitem()
    organiser = users["federation_admin"]
    contest = contest_factory(slug, entrants=kind, min_long_edge=100)
    with capture(execute=True):  # processed: accepted
        entry = entry_submit(
            acting_user=organiser,
            contest=contest,
            category=contest.categories.first(),
            title=f"作品{seed}",
            uploads=[Upload(f"photo-{seed}.jpg", [small_jpeg(seed)])],
            declarations=ALL_DECLARATIONS,
            **make(),
        )
    contest = contest_transition(acting_user=organiser, contest=contest, to="closed")
    round_ = services.round_create(
        acting_user=organiser,
        contest=contest,
        name="初评",
        mode="score",
        deadline=timezone.now() + datetime.timedelta(days=3),
        per_entry=1,
        criteria=[("主题", 100, 1, 10)],
    )
    services.seat_add(acting_user=organiser, round=round_, judge=users["judge"])
    services.assignment_solve(acting_user=organiser, round=round_)
    services.round_open(acting_user=organiser, round=round_)
    return Assignment.objects.get(round=round_, entry=entry)


@pytest.fixture
def entrant_unit(world):
    return unit_create(
        acting_user=None, name=UNIT_NAME, code="cq/yc/jfh", kind="grassroots", parent=world.district
    )


@pytest.mark.parametrize("kind", ["teams", "units"])
def test_a_judge_sees_neither_the_team_nor_the_unit(
    kind, contest_factory, users, world, entrant_unit, django_capture_on_commit_callbacks
):
    def team():
        leader = make_member(entrant_unit, 41, name=LEADER_NAME)
        return {
            "team": team_create(
                acting_user=None,
                unit=entrant_unit,
                name=TEAM_NAME,
                leader=leader,
                members=[leader],
            )
        }

    def unit():
        return {"unit": entrant_unit}

    assignment = judged_entry(
        contest_factory,
        users,
        django_capture_on_commit_callbacks,
        f"blind-{kind}",
        700,
        **{kind: team if kind == "teams" else unit},
    )
    entry = assignment.entry
    assert entry.entrant_kind == kind[:-1]
    client = Client()
    client.force_login(users["judge"])

    review = client.get(reverse("judging:judge_review", args=[assignment.pk]))
    assert review.status_code == 200
    assert entry.title in review.content.decode()  # the page is the entry's
    pages = [
        review,
        client.get(reverse("judging:judge_home")),
        client.post(
            reverse("judging:judge_review_save", args=[assignment.pk]),
            {f"criterion_{c.pk}": "7" for c in assignment.round.criteria.all()},
        ),
    ]
    for response in pages:
        html = response.content.decode()
        for secret in (TEAM_NAME, UNIT_NAME, LEADER_NAME, entry.entrant.key):
            assert secret not in html, (secret, response.request["PATH_INFO"])
