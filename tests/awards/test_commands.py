"""``laurel contest results SLUG [--out FILE.csv]`` and ``laurel contest verify SLUG``: the
final ranking with prizes as CSV, and the published snapshot checked against its digest and
the live data (a tampered prize, score or snapshot is named)."""

import csv
import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from laurel.awards import services
from laurel.awards.models import Award, Certificate, Publication
from laurel.contests.models import Contest, PrizeTier
from laurel.judging.models import Result

HEADER = "rank,entry,title,author,unit,category,score,low,high,prize"


def contest_command(*args: str) -> tuple[int, str, str]:
    """Run ``laurel contest ARGS``: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("contest", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def proposed(judged_contest, users):
    services.awards_propose(acting_user=users["federation_admin"], contest=judged_contest)
    return judged_contest


@pytest.fixture
def published(proposed, users):
    publication = services.results_publish(acting_user=users["federation_admin"], contest=proposed)
    proposed.test_publication = publication
    return proposed


def test_results_lists_every_ranked_entry_with_its_prize_and_no_personal_number(proposed):
    code, printed, _err = contest_command("results", proposed.slug)

    assert code == 0
    assert printed.splitlines()[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(printed)))
    results = {
        r.entry.code: r
        for r in Result.objects.filter(round=proposed.test_round).select_related(
            "entry__author", "entry__unit", "entry__category"
        )
    }
    awards = {a.entry.code: a.tier.name for a in Award.objects.select_related("entry", "tier")}
    assert [int(row["rank"]) for row in rows] == list(range(1, 13))
    assert {row["entry"] for row in rows} == set(results)
    for row in rows:
        result = results[row["entry"]]
        assert int(row["rank"]) == result.rank
        assert row["title"] == result.entry.title
        assert row["author"] == result.entry.author.name  # 作者n: the name, not a number
        assert row["unit"] == result.entry.unit.name
        assert row["category"] == result.entry.category.name
        assert row["score"] == f"{result.score:.4f}"
        assert (row["low"], row["high"]) == (f"{result.low:.4f}", f"{result.high:.4f}")
        assert row["prize"] == awards.get(row["entry"], "")
    assert Counter(row["prize"] for row in rows) == {"一等奖": 1, "二等奖": 2, "三等奖": 3, "": 6}
    assert rows[0]["prize"] == "一等奖"
    assert [row["prize"] for row in rows[6:]] == [""] * 6  # prizes go down the ranking

    for entry in proposed.test_entries:
        assert entry.author.id_card not in printed
        assert entry.author.mobile not in printed
    assert not re.search(r"\d{11}", printed)  # no mobile or ID-card number of any length


def test_results_out_writes_the_same_csv_to_the_file(proposed, tmp_path):
    _code, printed, _err = contest_command("results", proposed.slug)
    target = tmp_path / "results.csv"

    code, written, _err = contest_command("results", proposed.slug, "--out", str(target))

    assert (code, written) == (0, "")
    assert target.read_text(encoding="utf-8") == printed
    assert target.read_text(encoding="utf-8").startswith(HEADER + "\n")
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]  # no temporary file left


def test_results_out_into_a_missing_folder_is_a_usage_error(proposed, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("contest", "results", proposed.slug, "--out", str(tmp_path / "no" / "r.csv"))
    assert refused.value.returncode == 2
    assert not (tmp_path / "no").exists()


def test_results_of_a_contest_without_a_closed_scoring_round_exit_1(closed_contest):
    with pytest.raises(CommandError) as refused:
        call_command("contest", "results", closed_contest.slug, stdout=io.StringIO())
    assert refused.value.returncode == 1


@pytest.mark.parametrize("action", ["results", "verify"])
def test_an_unknown_contest_is_a_usage_error(db, action):
    with pytest.raises(CommandError) as refused:
        call_command("contest", action, "no-such-contest", stdout=io.StringIO())
    assert refused.value.returncode == 2


def test_verify_prints_ok_and_the_published_digest(published):
    code, printed, err = contest_command("verify", published.slug)

    publication = Publication.objects.get(contest=published)
    assert (code, err) == (0, "")
    assert printed == f"ok {publication.digest}\n"
    assert re.fullmatch(r"ok [0-9a-f]{64}\n", printed)


def test_verify_of_unpublished_results_exits_1(proposed):
    code, printed, err = contest_command("verify", proposed.slug)

    assert (code, printed) == (1, "")
    assert err.strip()


def test_verify_holds_for_results_published_with_a_date_as_the_demo_does(proposed, users):
    moment = timezone.make_aware(datetime.datetime(2024, 4, 30, 21, 0, 0, 123))  # noqa: DTZ001 - made aware
    publication = services.results_publish(
        acting_user=users["federation_admin"], contest=proposed, published_at=moment
    )

    assert publication.published_at == moment.replace(microsecond=0)
    assert publication.snapshot["published_at"] == "2024-04-30T13:00:00Z"  # UTC
    issued = set(Certificate.objects.filter(contest=proposed).values_list("issued_on", flat=True))
    assert issued == {datetime.date(2024, 4, 30)}
    code, printed, _err = contest_command("verify", proposed.slug)
    assert (code, printed) == (0, f"ok {publication.digest}\n")


def test_verify_names_an_entry_whose_prize_changed_after_publishing(published):
    award = Award.objects.select_related("entry").get(contest=published, tier__name="一等奖")
    other = PrizeTier.objects.get(contest=published, name="三等奖")
    Award.objects.filter(pk=award.pk).update(tier=other)

    code, printed, err = contest_command("verify", published.slug)

    assert (code, printed) == (1, "")
    [line] = err.splitlines()
    assert f"entry {award.entry.code}" in line
    assert "prize" in line
    assert "一等奖" in line
    assert "三等奖" in line


def test_verify_names_an_entry_whose_score_changed_after_publishing(published):
    result = Result.objects.select_related("entry").get(round=published.test_round, rank=5)
    Result.objects.filter(pk=result.pk).update(score=F("score") + 0.5)

    code, printed, err = contest_command("verify", published.slug)

    assert (code, printed) == (1, "")
    [line] = err.splitlines()
    assert f"entry {result.entry.code}" in line
    assert "score" in line


def test_verify_finds_a_snapshot_edited_in_the_database(published):
    publication = published.test_publication
    snapshot = dict(publication.snapshot)
    snapshot["title"] = snapshot["title"] + "（改）"
    Publication.objects.filter(pk=publication.pk).update(snapshot=snapshot)

    code, printed, err = contest_command("verify", published.slug)

    assert (code, printed) == (1, "")
    [line] = err.splitlines()  # the rows still agree: only the digest differs
    assert publication.digest in line
    assert "digest" in line


def test_verify_finds_an_edited_row_of_the_snapshot(published):
    publication = published.test_publication
    snapshot = dict(publication.snapshot)
    rows = [dict(row) for row in snapshot["rows"]]
    rows[0]["author"] = "别人"
    snapshot["rows"] = rows
    Publication.objects.filter(pk=publication.pk).update(snapshot=snapshot)

    code, _printed, err = contest_command("verify", published.slug)

    assert code == 1
    assert publication.digest in err
    assert f"entry {rows[0]['entry']}: author" in err


def test_verify_checks_the_latest_version(published, users):
    first = published.test_publication
    awards = Award.objects.select_related("entry").filter(contest=published)
    award = awards.filter(tier__name="三等奖").last()
    services.award_set(
        acting_user=users["federation_admin"], entry=award.entry, tier=None, reason="核实后取消"
    )
    assert contest_command("verify", published.slug)[0] == 1  # corrected, not yet published

    second = services.results_publish(
        acting_user=users["federation_admin"], contest=published, reason="更正：取消一项三等奖"
    )

    assert second.version == 2
    assert Contest.objects.get(pk=published.pk).state == Contest.State.PUBLISHED
    assert contest_command("verify", published.slug)[:2] == (0, f"ok {second.digest}\n")
    assert second.digest != first.digest
