"""Setting a panel up by picking: several judges at once, each with their own unit filled in
for conflicts (their judge role's unit, else their member record's), an outside expert only
when marked so; a batch refused whole, naming who and why; a panel copied from another
round — on the closed contest of ``tests/judging/conftest.py`` (12 entries, half 永川区,
half 奉节县)."""

import pytest
from django.urls import reverse

from laurel.audit.models import LogEntry
from laurel.contests.services import contest_transition
from laurel.core.assignment import units_conflict
from laurel.judging import services
from laurel.judging.models import Assignment, Seat
from laurel.members.services import member_user_link
from tests.conftest import make_member


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def round_(closed_contest, organiser, deadline):
    return services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="复评",
        mode="score",
        deadline=deadline,
        per_entry=3,
        criteria=[("主题", 100, 1, 10)],
    )


@pytest.fixture
def five_judges(world, make_user):
    """A judge of 永川区 (by their judge role), a judge who is a member in 奉节县 (by their
    member record), and three with no unit of their own."""
    yongchuan = make_user("judge", world.district, display_name="永川评委")
    fengjie = make_user("judge", display_name="奉节评委")
    member = make_member(world.other_grassroots, 900, name="奉节评委")
    member_user_link(acting_user=None, member=member, user=fengjie)
    others = [make_user("judge", display_name=f"外聘评委{n}") for n in range(3)]
    return [yongchuan, fengjie, *others]


def round_url(round_) -> str:
    return reverse("judging:round_detail", args=[round_.pk])


# --- a judge's own unit ---------------------------------------------------------------------


def test_a_judges_own_unit_is_a_conflict_once_the_work_is_shared_out(
    round_, organiser, five_judges, world
):
    yongchuan, fengjie, *_others = five_judges
    services.seats_add(acting_user=organiser, round=round_, judges=five_judges)

    seats = {seat.judge_id: seat for seat in Seat.objects.filter(round=round_)}
    assert seats[yongchuan.pk].unit == world.district  # from the judge role
    assert seats[fengjie.pk].unit == world.other_grassroots  # from the member record
    assert all(seats[judge.pk].unit is None for judge in five_judges[2:])

    services.assignment_solve(acting_user=organiser, round=round_)
    for judge, home in ((yongchuan, world.district), (fengjie, world.other_grassroots)):
        paths = list(
            Assignment.objects.filter(round=round_, judge=judge).values_list(
                "entry__unit__path", flat=True
            )
        )
        assert paths  # they judge, only never their own unit's entries
        assert not any(units_conflict(home.path, path) for path in paths)


def test_the_top_of_the_tree_is_no_judges_unit(round_, organiser, users):
    """A judge of the federation itself: every entry lies below it, so it is not filled in
    (it would leave them nothing to judge)."""
    (seat,) = services.seats_add(acting_user=organiser, round=round_, judges=[users["judge"]])
    assert seat.unit is None


def test_an_outside_expert_is_marked_so_and_another_unit_may_be_chosen(
    round_, organiser, five_judges, world
):
    yongchuan, fengjie, *_others = five_judges
    seats = services.seats_add(
        acting_user=organiser,
        round=round_,
        judges=[
            services.SeatChoice(judge=yongchuan, outside_expert=True),
            services.SeatChoice(judge=fengjie, unit=world.district),
        ],
    )
    assert [seat.unit for seat in seats] == [None, world.district]
    entries = LogEntry.objects.filter(action="judging.seat.added").order_by("pk")
    assert [entry.data.get("outside_expert") for entry in entries] == [True, None]


# --- several at once ------------------------------------------------------------------------


def test_five_judges_join_the_panel_in_one_post(
    client_as, round_, five_judges, world, closed_contest
):
    yongchuan, fengjie, *others = five_judges
    category = closed_contest.categories.first()
    response = client_as("federation_admin").post(
        reverse("judging:seats_add", args=[round_.pk]),
        {
            "judges": [judge.pk for judge in five_judges],
            "outside_experts": [others[0].pk],
            "categories": [category.pk],
            "cap": "8",
        },
    )
    assert response.status_code == 302
    seats = {seat.judge_id: seat for seat in Seat.objects.filter(round=round_)}
    assert set(seats) == {judge.pk for judge in five_judges}
    assert seats[yongchuan.pk].unit == world.district
    assert seats[fengjie.pk].unit == world.other_grassroots
    assert all(seat.cap == 8 for seat in seats.values())
    assert all(list(seat.categories.all()) == [category] for seat in seats.values())
    assert LogEntry.objects.filter(action="judging.seat.added").count() == 5


def test_one_refused_judge_refuses_the_whole_batch_and_is_named(
    client_as, round_, organiser, five_judges
):
    already = five_judges[3]
    services.seat_add(acting_user=organiser, round=round_, judge=already)
    response = client_as("federation_admin").post(
        reverse("judging:seats_add", args=[round_.pk]),
        {"judges": [judge.pk for judge in five_judges]},
    )
    assert response.status_code == 200
    assert list(Seat.objects.filter(round=round_).values_list("judge_id", flat=True)) == [
        already.pk
    ]
    errors = response.context["seats_form"].non_field_errors()
    assert len(errors) == 1
    assert already.display_name in errors[0]
    # the others stay ticked on the page that comes back
    assert response.context["picked"] == {str(judge.pk) for judge in five_judges}


def test_a_person_without_the_judge_role_refuses_the_batch_by_name(
    round_, organiser, five_judges, users
):
    with pytest.raises(services.JudgingRefused) as refused:
        services.seats_add(
            acting_user=organiser, round=round_, judges=[*five_judges, users["unit_admin"]]
        )
    assert [users["unit_admin"].display_name in message for message in refused.value.messages] == [
        True
    ]
    assert not Seat.objects.filter(round=round_).exists()


def test_the_candidates_are_searched_by_name_and_by_unit(
    client_as, round_, organiser, five_judges, world
):
    yongchuan, fengjie, *others = five_judges
    services.seat_add(acting_user=organiser, round=round_, judge=others[2])
    client = client_as("federation_admin")

    offered = client.get(round_url(round_)).context["candidates"]["rows"]
    shown = {row["judge"].pk for row in offered}
    assert {judge.pk for judge in five_judges[:4]} <= shown
    assert others[2].pk not in shown  # already on the panel
    by_pk = {row["judge"].pk: row for row in offered}
    assert by_pk[yongchuan.pk]["units"] == [world.district.name]
    assert by_pk[fengjie.pk]["units"] == [
        f"{world.other_grassroots.name} · {world.other_district.name}"
    ]

    by_name = client.get(round_url(round_), {"judge_q": "奉节"}).context["candidates"]["rows"]
    assert [row["judge"].pk for row in by_name] == [fengjie.pk]
    by_unit = client.get(round_url(round_), {"judge_unit": world.other_district.pk})
    assert [row["judge"].pk for row in by_unit.context["candidates"]["rows"]] == [fengjie.pk]


# --- copying a panel --------------------------------------------------------------------------


def test_a_panel_is_copied_from_last_years_contest(
    client_as, organiser, contest_factory, closed_contest, round_, world, make_user, deadline
):
    last_year = contest_factory("photo-2025", categories=["自然风光", "旧类别"])
    last_year = contest_transition(acting_user=organiser, contest=last_year, to="closed")
    earlier = services.round_create(
        acting_user=organiser,
        contest=last_year,
        name="复评",
        mode="score",
        deadline=deadline,
        criteria=[("主题", 100, 1, 10)],
    )
    nature, old = last_year.categories.get(name="自然风光"), last_year.categories.get(name="旧类别")
    local, expert, specialist, gone = (
        make_user("judge", display_name=name) for name in ("本地", "专家", "专项", "退出")
    )
    services.seat_add(
        acting_user=organiser,
        round=earlier,
        judge=local,
        unit=world.district,
        cap=9,
        conflict_units=[world.other_grassroots],
    )
    services.seat_add(acting_user=organiser, round=earlier, judge=expert, categories=[nature])
    services.seat_add(acting_user=organiser, round=earlier, judge=specialist, categories=[old])
    dropped = services.seat_add(acting_user=organiser, round=earlier, judge=gone)
    services.judge_drop(acting_user=organiser, seat=dropped)

    response = client_as("federation_admin").post(
        reverse("judging:panel_copy", args=[round_.pk]), {"source": earlier.pk}, follow=True
    )

    seats = {seat.judge_id: seat for seat in Seat.objects.filter(round=round_)}
    assert set(seats) == {local.pk, expert.pk}  # not who left, nor a category lost here
    assert (seats[local.pk].unit, seats[local.pk].cap) == (world.district, 9)
    assert list(seats[local.pk].conflict_units.all()) == [world.other_grassroots]
    assert list(seats[local.pk].categories.all()) == []
    assert list(seats[expert.pk].categories.all()) == [
        closed_contest.categories.get(name="自然风光")
    ]
    assert seats[expert.pk].unit is None
    levels = [message.level_tag for message in response.context["messages"]]
    assert levels == ["success", "warning"]
    assert [m for m in response.context["messages"]][1].message.count(specialist.display_name) == 1
    copied = LogEntry.objects.filter(action="judging.seat.added", data__copied_from=earlier.pk)
    assert copied.count() == 2


def test_a_panel_copied_twice_skips_who_is_already_there(round_, organiser, five_judges, deadline):
    other = services.round_create(
        acting_user=organiser,
        contest=round_.contest,
        name="终评",
        mode="score",
        deadline=deadline,
        criteria=[("主题", 100, 1, 10)],
    )
    services.seats_add(acting_user=organiser, round=other, judges=five_judges[:2])
    services.panel_copy(acting_user=organiser, round=round_, source=other)
    with pytest.raises(services.JudgingRefused):
        services.panel_copy(acting_user=organiser, round=round_, source=other)
    assert Seat.objects.filter(round=round_).count() == 2
