"""``laurel demo`` judges photo-2024: 初评 then 复评, both closed, through the services; then
its prizes are proposed from the 复评 ranking and its results published, dated 30 April
2024, and ``laurel contest verify`` finds them intact."""

import datetime
import io
import random
from collections import Counter, defaultdict

from django.core.management import call_command
from django.utils import timezone

from laurel.accounts.models import User
from laurel.audit.models import LogEntry
from laurel.awards.models import Award, Certificate, Publication
from laurel.awards.selectors import Phase, exhibition_phase
from laurel.contests.models import Contest, Entry
from laurel.core import ranking as core_ranking
from laurel.demo import judges as demo_judging
from laurel.demo import photos as demo_photos
from laurel.demo.loaders.photo_contest import DEFAULT_PHOTOS, PRIZE_TIERS
from laurel.judging.models import Assignment, Result, Round, Seat
from laurel.judging.services import JUDGED_STATES


def test_the_demo_judges_its_2024_contest_in_two_closed_rounds(db, capsys):
    call_command("demo", "--members", "300", "--photos", "40")

    contest = Contest.objects.get(slug="photo-2024")
    assert contest.state == Contest.State.PUBLISHED  # its results: below
    entries = contest.entries.filter(state__in=JUDGED_STATES)
    first, second = contest.rounds.order_by("position")
    assert (first.name, first.mode, first.per_entry) == ("初评", "qualify", 2)
    assert first.state == Round.State.CLOSED
    assert (second.name, second.mode, second.per_entry, second.state, second.method) == (
        "复评",
        "score",
        3,
        "closed",
        "calibrated",
    )
    assert (second.entrants, second.previous_id) == (Round.Entrants.PASSED, first.pk)
    assert [(c.name, c.weight, c.low, c.high) for c in second.criteria.all()] == [
        ("主题", 30, 1, 10),
        ("构图", 30, 1, 10),
        ("技术", 20, 1, 10),
        ("创意", 20, 1, 10),
    ]
    for round_ in (first, second):  # it reads as judged in late April 2024
        opened, closed = timezone.localtime(round_.opened_at), timezone.localtime(round_.closed_at)
        assert (opened.year, opened.month, closed.year, closed.month) == (2024, 4, 2024, 4)
        assert opened < closed
        for reviewed in Assignment.objects.filter(round=round_).values_list(
            "reviewed_at", flat=True
        ):
            assert round_.opened_at <= reviewed <= round_.deadline

    # 初评: every accepted entry, two judges each, a third where the two disagreed
    assert first.results.count() == entries.count() >= 30
    verdicts = defaultdict(list)
    for entry_id, verdict in (
        Assignment.objects.filter(round=first, state="done")
        .order_by("pk")
        .values_list("entry_id", "verdict")
    ):
        verdicts[entry_id].append(verdict)
    assert set(verdicts) == set(entries.values_list("pk", flat=True))
    assert {len(given) for given in verdicts.values()} == {2, 3}
    for given in verdicts.values():
        assert (len(given) == 3) == (given[0] != given[1])  # a third judge only to settle
    passed = set(first.results.filter(passed=True).values_list("entry_id", flat=True))
    assert passed == {e for e, given in verdicts.items() if sum(given) * 2 > len(given)}
    assert 0 < len(passed) < entries.count()
    assert not Assignment.objects.filter(round=first, state="open").exists()

    # 复评: the entries that passed, three judges each, all ranked, 20+ judges at work
    done = Assignment.objects.filter(round=second, state="done")
    assert Counter(done.values_list("entry_id", flat=True)) == dict.fromkeys(passed, 3)
    ranked = second.results.filter(rank__isnull=False)
    assert set(ranked.values_list("entry_id", flat=True)) == passed
    assert sorted(ranked.values_list("rank", flat=True)) == list(range(1, len(passed) + 1))
    assert done.values("judge").distinct().count() >= 20
    criteria = {str(c.pk): c.weight for c in second.criteria.all()}
    reviews = []
    for entry_id, judge_id, scores in done.values_list("entry_id", "judge_id", "scores"):
        assert set(scores) == set(criteria)
        assert all(isinstance(v, int) and 1 <= v <= 10 for v in scores.values())
        reviews.append(
            core_ranking.Review(
                str(entry_id), str(judge_id), core_ranking.weighted_score(scores, criteria)
            )
        )
    fitted = core_ranking.rank_scores(reviews, "calibrated", scale=(1, 10))
    offsets = [judge.offset for judge in fitted.judges]
    assert max(offsets) - min(offsets) > 1.0  # judges differ in severity, and it shows

    # through the services: every review saved is audited
    saved = LogEntry.objects.filter(action="judging.review.saved").count()
    assert saved == Assignment.objects.filter(state="done").count()

    # district judges never review their own district's entries; outside experts have no unit
    seats = Seat.objects.filter(round__contest=contest).select_related("unit")
    assert seats.filter(unit__isnull=True).exists()
    assert seats.filter(unit__isnull=False).exists()
    for seat in seats.filter(unit__isnull=False):
        mine = Assignment.objects.filter(round=seat.round, judge=seat.judge)
        assert not mine.filter(entry__unit__path__startswith=seat.unit.path).exists()
        assert mine.exists()
    judges = User.objects.filter(username__in=[j.username for j in demo_judging.judges()])
    assert judges.count() == 24
    assert all(judge.access.is_judge for judge in judges)

    printed = capsys.readouterr().out
    assert "judge01 to judge24" in printed
    logins = [line.split()[0] for line in printed.splitlines() if line.startswith("  ")]
    assert logins == ["admin", "yongchuan", "judge", "member", "checkin"]  # judges: one line

    # the prizes: proposed from the 复评 ranking in the tiers' order, as many as it ranks up
    # to the bulletin's 200, and published on the evening of 30 April 2024
    assert printed.count("/contests/photo-2024/results/") == 1
    assert printed.count("/contests/photo-2024/exhibition/") == 1
    ranked_entries = list(ranked.order_by("rank").values_list("entry_id", flat=True))
    awards = dict(Award.objects.filter(contest=contest).values_list("entry_id", "tier__name"))
    assert len(awards) == min(200, len(ranked_entries)) > 0
    tiers = [name for name, count in PRIZE_TIERS for _place in range(count)]
    assert [awards.get(entry) for entry in ranked_entries[:200]] == tiers[: len(awards)]
    assert set(contest.entries.filter(state=Entry.State.AWARDED).values_list("pk", flat=True)) == (
        set(awards)
    )
    [publication] = Publication.objects.filter(contest=contest)
    published = timezone.localtime(publication.published_at)
    assert (published.date(), published.hour) == (datetime.date(2024, 4, 30), 21)
    assert second.closed_at < publication.published_at
    assert publication.snapshot["published_at"] == "2024-04-30T13:00:00Z"
    assert [row["prize"] for row in publication.snapshot["rows"]] == [
        awards.get(entry, "") for entry in ranked_entries
    ]
    certificates = Certificate.objects.filter(contest=contest)
    assert certificates.count() == len(awards)
    assert set(certificates.values_list("issued_on", flat=True)) == {datetime.date(2024, 4, 30)}
    assert exhibition_phase(contest) == Phase.ARCHIVE  # the 文化宫, 1–20 May 2024
    out = io.StringIO()
    call_command("contest", "verify", "photo-2024", stdout=out)
    assert out.getvalue() == f"ok {publication.digest}\n"

    reviews_before = Assignment.objects.count()
    results_before = list(Result.objects.order_by("pk").values())
    err = io.StringIO()
    # a second run, even asked to move the story to today, judges and publishes nothing:
    # the contest keeps its dates, and the demo says so
    call_command("demo", "--members", "300", "--photos", "40", "--today", stderr=err)
    assert contest.rounds.count() == 2
    assert Assignment.objects.count() == reviews_before
    assert list(Result.objects.order_by("pk").values()) == results_before
    assert list(Publication.objects.filter(contest=contest)) == [publication]
    assert Award.objects.filter(contest=contest).count() == len(awards)
    contest.refresh_from_db()
    assert contest.exhibition_opens_on == datetime.date(2024, 5, 1)
    assert "photo-2024" in err.getvalue()
    assert str(timezone.localdate() - datetime.timedelta(days=3)) in err.getvalue()


def test_the_default_demo_sends_enough_entries_to_its_scoring_round_for_200_prizes():
    """With ``laurel demo``'s default photos, about three in four entries pass 初评: well
    over the 200 that 复评 must rank (two judges an entry, a third where they disagree)."""
    entries = demo_photos.contest_entries(DEFAULT_PHOTOS)
    judges = demo_judging.judges()
    pick = random.Random(1)  # noqa: S311 - a test's sample
    passed = 0
    for number in range(1, len(entries) + 1):
        quality = demo_judging.entry_quality(number, "")
        first, second, third = pick.sample(judges, 3)
        given = [demo_judging.verdict(judge, number, quality) for judge in (first, second)]
        if given[0] != given[1]:
            given.append(demo_judging.verdict(third, number, quality))
        passed += sum(given) * 2 > len(given)
    assert passed >= 210


def test_the_simulated_judges_differ_as_real_ones_do():
    judges = demo_judging.judges()
    assert len({j.username for j in judges}) == 24
    assert sum(j.scores for j in judges) >= 20
    assert all(-1.5 <= j.offset <= 1.5 and 0.7 <= j.scale <= 1.3 for j in judges)
    assert all(0.5 <= j.noise <= 1.2 for j in judges)
    severe, lenient = min(judges, key=lambda j: j.offset), max(judges, key=lambda j: j.offset)
    assert lenient.offset - severe.offset > 2
    given = [
        demo_judging.criteria_scores(judge, number, 0.5)["主题"]
        for number in range(200)
        for judge in (severe, lenient)
    ]
    assert sum(given[1::2]) > sum(given[0::2]) + 200  # the lenient judge gives more
    # the same entry and judge always give the same scores (one seed, one story)
    assert demo_judging.criteria_scores(severe, 7, 0.1) == demo_judging.criteria_scores(
        severe, 7, 0.1
    )
