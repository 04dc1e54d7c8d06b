from laurel.contests.models import Entry
from laurel.judging import services
from laurel.judging.models import Assignment, Result, Round


def test_a_scoring_round_from_panel_to_results(closed_contest, users, make_user, world, deadline):
    organiser = users["federation_admin"]
    judges = [
        users["judge"],
        make_user("judge"),
        make_user("judge"),
        make_user("judge", world.district),
    ]
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="评审",
        mode="score",
        deadline=deadline,
        per_entry=3,
        criteria=[
            ("主题", 30, 1, 10),
            ("构图", 30, 1, 10),
            ("技术", 20, 1, 10),
            ("创意", 20, 1, 10),
        ],
    )
    for judge in judges:
        services.seat_add(
            acting_user=organiser,
            round=round_,
            judge=judge,
            unit=world.district if judge == judges[-1] else None,
        )
    made = services.assignment_solve(acting_user=organiser, round=round_)
    assert made == 12 * 3
    services.round_open(acting_user=organiser, round=round_)
    criteria = list(round_.criteria.all())
    for a in Assignment.objects.filter(round=round_):
        services.review_save(
            acting_user=a.judge,
            assignment=a,
            scores={c.pk: 1 + (a.entry_id + c.pk) % 10 for c in criteria},
        )
    services.round_close(acting_user=organiser, round=round_)
    assert Result.objects.filter(round=round_, rank__isnull=False).count() == 12
    assert Round.objects.get(pk=round_.pk).state == "closed"
    # the district judge never reviews 永川区's entries
    district_judge = judges[-1]
    assert not Assignment.objects.filter(
        judge=district_judge, entry__unit__path__startswith=world.district.path
    ).exists()
    assert Entry.objects.filter(contest=closed_contest, state="accepted").count() == 12
