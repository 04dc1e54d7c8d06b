"""Benchmark: closing a scoring round of 3,000 entries × 3 reviews, database work included.

    .venv/bin/python bench/rounds.py                      # SQLite (a fresh file in /tmp)
    LAUREL_DATABASE_URL=postgres://... .venv/bin/python bench/rounds.py   # PostgreSQL

Before any timing, a throwaway database (Django's test database: ``test_<name>`` on
PostgreSQL, a file in a temporary folder on SQLite) gets a closed contest with 3,000 accepted
entries, a scoring round with four criteria (主题 30 / 构图 30 / 技术 20 / 创意 20 on 1–10),
30 judges and 9,000 done reviews with simulated scores (each judge with their own offset,
scale and noise), all made with bulk_create: set-up, not product code. Then
``judging.services.round_close`` runs as the organiser would call it — lock the round, read
every review, rank, write 3,000 results, audit — once with the round's method ``calibrated``
(ours) and once with ``mean``, a plain average: the floor any close costs. Each is timed
``--repeat`` times (the round reopened in between, outside the timing); the best and the
median are printed, with the ratio and whether ours meets the target (≤ 2 s).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from laurel.accounts.models import User  # noqa: E402
from laurel.contests.models import Category, Contest, Entry  # noqa: E402
from laurel.core import ranking as core_ranking  # noqa: E402
from laurel.judging import services  # noqa: E402
from laurel.judging.models import Assignment, Result, Round, Seat  # noqa: E402
from laurel.members.models import Member  # noqa: E402
from laurel.orgs.services import unit_create  # noqa: E402

ENTRIES, JUDGES, PER_ENTRY = 3000, 30, 3
CRITERIA = [("主题", 30, 1, 10), ("构图", 30, 1, 10), ("技术", 20, 1, 10), ("创意", 20, 1, 10)]
CATEGORIES = ["自然风光", "人文风情", "生活场景", "都市建设"]
TARGET = 2.0


def build(seed: int = 2026) -> Round:
    """The contest, its round and 9,000 done reviews, made in bulk."""
    rng = random.Random(seed)
    now = timezone.now()
    federation = unit_create(acting_user=None, name="市总工会", code="b", kind="federation")
    units = [
        unit_create(
            acting_user=None,
            name=f"基层工会{n}",
            code=f"b/{n}",
            kind="grassroots",
            parent=federation,
        )
        for n in range(40)
    ]
    members = Member.objects.bulk_create(
        Member(name=f"作者{n}", gender="M", id_card=f"B{n:017d}", unit=units[n % len(units)])
        for n in range(ENTRIES // 10)
    )
    contest = Contest.objects.create(
        slug="bench-2024",
        title="基准摄影展",
        organiser="市总工会",
        state=Contest.State.CLOSED,
        opens_at=now - timezone.timedelta(days=30),
        closes_at=now - timezone.timedelta(days=1),
    )
    categories = Category.objects.bulk_create(
        Category(contest=contest, name=name, position=i) for i, name in enumerate(CATEGORIES)
    )
    Entry.objects.bulk_create(
        (
            Entry(
                contest=contest,
                number=n + 1,
                category=categories[n % len(categories)],
                kind=Entry.Kind.SINGLE,
                author=members[n % len(members)],
                unit=members[n % len(members)].unit,
                title=f"作品{n + 1}",
                state=Entry.State.ACCEPTED,
            )
            for n in range(ENTRIES)
        ),
        batch_size=1000,
    )
    entries = list(Entry.objects.filter(contest=contest).values_list("pk", flat=True))
    User.objects.bulk_create(
        User(username=f"bench-judge{j:02d}", display_name=f"评委{j}", password=make_password(None))
        for j in range(JUDGES)
    )
    judges = list(User.objects.filter(username__startswith="bench-judge").order_by("pk"))
    round_ = services.round_create(
        acting_user=None,
        contest=contest,
        name="复评",
        mode=Round.Mode.SCORE,
        deadline=now,
        per_entry=PER_ENTRY,
        criteria=CRITERIA,
    )
    Seat.objects.bulk_create(Seat(round=round_, judge=judge) for judge in judges)
    criteria = list(round_.criteria.all())
    offset = [rng.uniform(-1.5, 1.5) for _ in judges]
    scale = [rng.uniform(0.7, 1.3) for _ in judges]
    noise = [rng.uniform(0.5, 1.2) for _ in judges]
    loads = [0] * len(judges)
    reviews = []
    for entry in entries:
        quality = rng.gauss(0, 1)
        for j in sorted(rng.sample(range(len(judges)), PER_ENTRY)):
            seen = 5.5 + offset[j] + scale[j] * 1.5 * quality
            scores = {
                str(c.pk): int(min(max(round(seen + rng.gauss(0, noise[j])), c.low), c.high))
                for c in criteria
            }
            reviews.append(
                Assignment(
                    round=round_,
                    entry_id=entry,
                    judge=judges[j],
                    position=loads[j],
                    state=Assignment.State.DONE,
                    scores=scores,
                    reviewed_at=now,
                )
            )
            loads[j] += 1
    Assignment.objects.bulk_create(reviews, batch_size=1000)
    return round_


def close_timed(round_: Round, method: str) -> float:
    """One close by the service, the round reopened (and its method set) before, untimed."""
    Round.objects.filter(pk=round_.pk).update(state=Round.State.OPEN, method=method)
    started = time.perf_counter()
    services.round_close(acting_user=None, round=round_)
    seconds = time.perf_counter() - started
    ranked = Result.objects.filter(round=round_, rank__isnull=False).count()
    assert ranked == ENTRIES, f"{method}: {ranked} entries ranked"
    return seconds


def core_only(round_: Round) -> float:
    """The calibrated ranking alone, on reviews already in memory (no database)."""
    weights = {str(c.pk): float(c.weight) for c in round_.criteria.all()}
    reviews = [
        core_ranking.Review(
            str(e),
            str(j),
            core_ranking.weighted_score({k: float(v) for k, v in s.items()}, weights),
        )
        for e, j, s in Assignment.objects.filter(round=round_).values_list(
            "entry_id", "judge_id", "scores"
        )
    ]
    started = time.perf_counter()
    core_ranking.rank_scores(reviews, "calibrated", scale=(1, 10))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="closes timed per method")
    options = parser.parse_args()

    database = settings.DATABASES["default"]
    folder = None
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tempfile.TemporaryDirectory(prefix="laurel-bench-rounds-")
        database.setdefault("TEST", {})["NAME"] = str(Path(folder.name) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        vendor = connection.display_name
        if connection.vendor == "sqlite":
            vendor += " " + connection.Database.sqlite_version
        elif connection.vendor == "postgresql":
            vendor += f" {connection.pg_version // 10000}"
        started = time.perf_counter()
        round_ = build()
        print(
            f"database: {vendor}; set-up {time.perf_counter() - started:.1f} s: "
            f"{ENTRIES:,} entries × {PER_ENTRY} reviews ({Assignment.objects.count():,}), "
            f"{JUDGES} judges, {len(CRITERIA)} criteria"
        )
        times = {"calibrated": [], "mean": []}
        for _ in range(options.repeat):
            for method in times:
                times[method].append(close_timed(round_, method))
        ours, floor = times["calibrated"], times["mean"]
        print()
        print("| close | best s | median s |")
        print("|---|---:|---:|")
        for label, values in (("**ours** (calibrated)", ours), ("baseline (mean)", floor)):
            print(f"| {label} | {min(values):.3f} | {statistics.median(values):.3f} |")
        print()
        print(f"calibrated ranking alone (core, no database): {core_only(round_):.3f} s")
        print(
            f"ours / baseline (median): {statistics.median(ours) / statistics.median(floor):.2f}×"
        )
        met = statistics.median(ours) <= TARGET
        print(f"target ≤ {TARGET:.0f} s including database work: {'met' if met else 'NOT met'}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if folder is not None:
            folder.cleanup()


if __name__ == "__main__":
    main()
