"""A contest whose final round ranked thousands of entries, written in bulk: the results page
at scale, for its query-count test and for ``bench/results_page.py`` (set-up, not product
code — nothing here goes through the services but publishing and two changes by hand)."""

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from laurel.accounts.models import User
from laurel.awards import services
from laurel.awards.models import Award
from laurel.contests.models import Category, Contest, Entry, PrizeTier
from laurel.judging.models import JudgeCalibration, Result, Round
from laurel.members.models import Member

CATEGORIES = ["自然风光", "人文风情", "生活场景", "都市建设"]
TIERS = [("一等奖", 5), ("二等奖", 15), ("三等奖", 30), ("优秀奖", 150)]
JUDGES = 30


def ranked_contest(*, organiser, units: list, size: int, slug: str) -> Contest:
    """``size`` entries (one author each, spread over ``units``) ranked 1..size with 90%
    intervals by a closed scoring round with calibrated judges; the 200 prizes given down
    the ranking, published as version 1, then the last prize moved to the next entry by
    hand (so the page has changes and a live difference to show)."""
    now = timezone.now()
    contest = Contest.objects.create(
        slug=slug,
        title="基准摄影展",
        organiser="市总工会",
        state=Contest.State.RESULTS,
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=30),
        prizes_per_author=2,
    )
    categories = Category.objects.bulk_create(
        Category(contest=contest, name=name, position=k) for k, name in enumerate(CATEGORIES)
    )
    tiers = PrizeTier.objects.bulk_create(
        PrizeTier(contest=contest, name=name, count=count, position=k)
        for k, (name, count) in enumerate(TIERS)
    )
    members = Member.objects.bulk_create(
        (
            Member(
                name=f"作者{n}",
                gender="M",
                id_card=f"{slug[-4:]}{n:014d}",
                unit=units[n % len(units)],
            )
            for n in range(size)
        ),
        batch_size=1000,
    )
    Entry.objects.bulk_create(
        (
            Entry(
                contest=contest,
                number=n + 1,
                category=categories[n % len(categories)],
                kind=Entry.Kind.SINGLE,
                author=members[n],
                unit=members[n].unit,
                title=f"作品{n + 1}",
                state=Entry.State.QUALIFIED,
            )
            for n in range(size)
        ),
        batch_size=500,
    )
    entries = list(Entry.objects.filter(contest=contest).order_by("number"))
    final = Round.objects.create(
        contest=contest,
        name="复评",
        mode=Round.Mode.SCORE,
        deadline=now,
        state=Round.State.CLOSED,
        closed_at=now,
    )
    Result.objects.bulk_create(
        (
            Result(
                round=final,
                entry=entry,
                rank=k + 1,
                score=9.0 - 6.0 * k / size,
                low=9.0 - 6.0 * k / size - 0.3,
                high=9.0 - 6.0 * k / size + 0.3,
                reviews=3,
                advanced=True,
            )
            for k, entry in enumerate(entries)
        ),
        batch_size=500,
    )
    judges = User.objects.bulk_create(
        User(username=f"{slug}-judge{j}", display_name=f"评委{j}", password=make_password(None))
        for j in range(JUDGES)
    )
    JudgeCalibration.objects.bulk_create(
        JudgeCalibration(
            round=final,
            judge=judge,
            reviews=size * 3 // JUDGES,
            offset=j / 10 - 1.5,
            scale=0.8 + j / 75,
            noise=0.6 + j / 50,
        )
        for j, judge in enumerate(judges)
    )
    slots = [tier for tier in tiers for _ in range(tier.count)]
    Award.objects.bulk_create(
        Award(contest=contest, entry=entry, tier=slot, set_by=organiser)
        for entry, slot in zip(entries, slots, strict=False)
    )
    services.results_publish(acting_user=organiser, contest=contest)
    last = len(slots)
    services.award_set(acting_user=organiser, entry=entries[last - 1], tier=None, reason="撤销")
    services.award_set(acting_user=organiser, entry=entries[last], tier=tiers[-1], reason="递补")
    return contest
