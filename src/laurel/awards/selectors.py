"""Reads of a contest's outcome that several audiences share: the final ranking, the live
rows a snapshot is made of, the latest publication, the exhibition's phase."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from laurel.awards.models import Award, Publication
from laurel.contests.models import Contest, Entry
from laurel.core import prizes as core_prizes
from laurel.core import snapshots
from laurel.judging.models import Result, Round

# entries that can hold a prize (not withdrawn or disqualified since judging)
PRIZE_STATES = (Entry.State.ACCEPTED, Entry.State.QUALIFIED, Entry.State.AWARDED)


def final_round(contest: Contest) -> Round | None:
    """The contest's last closed scoring round: its ranking is the contest's result."""
    return (
        Round.objects.filter(contest=contest, mode=Round.Mode.SCORE, state=Round.State.CLOSED)
        .order_by("-position", "-pk")
        .first()
    )


def ranked_results(round: Round) -> QuerySet[Result]:
    """The round's ranked results in rank order, with entry, author, unit and category."""
    return (
        Result.objects.filter(round=round, rank__isnull=False)
        .select_related("entry__author", "entry__unit", "entry__category")
        .order_by("rank")
    )


def eligible(result: Result) -> bool:
    return result.entry.state in PRIZE_STATES


def prizes_of(contest: Contest) -> dict[int, str]:
    """Entry pk → the name of its prize tier, as awarded now."""
    return dict(Award.objects.filter(contest=contest).values_list("entry_id", "tier__name"))


def live_rows(contest: Contest, round: Round | None = None) -> list[dict]:
    """The snapshot rows the live data gives now (``core.snapshots.snapshot_row``): every
    ranked entry still eligible, in rank order, with its prize ("" : none)."""
    round = round or final_round(contest)
    if round is None:
        return []
    prizes = prizes_of(contest)
    return [
        snapshots.snapshot_row(
            rank=result.rank,
            entry=result.entry.code,
            title=result.entry.title,
            author=result.entry.author.name,
            unit=result.entry.unit.name,
            category=result.entry.category.name,
            score=result.score,
            low=result.low,
            high=result.high,
            prize=prizes.get(result.entry_id, ""),
        )
        for result in ranked_results(round)
        if eligible(result)
    ]


# a ranked result as plain values: what the results page's table and the prize proposal read
RANKED_FIELDS = (
    "entry_id",
    "rank",
    "score",
    "low",
    "high",
    "reviews",
    "entry__number",
    "entry__title",
    "entry__state",
    "entry__author_id",
    "entry__author__name",
    "entry__unit__name",
    "entry__category__name",
)


def ranked_rows(round: Round) -> list:
    """``ranked_results`` as named tuples of ``RANKED_FIELDS`` (no model instances)."""
    return list(ranked_results(round).values_list(*RANKED_FIELDS, named=True))


def core_ranked(rows) -> list[core_prizes.Ranked]:
    """The eligible entries of ``ranked_rows`` in rank order, for ``core.prizes``."""
    return [
        core_prizes.Ranked(
            entry=str(r.entry_id),
            author=str(r.entry__author_id),
            score=r.score,
            low=r.low,
            high=r.high,
        )
        for r in rows
        if r.entry__state in PRIZE_STATES
    ]


def latest_publication(contest: Contest) -> Publication | None:
    return Publication.objects.filter(contest=contest).order_by("-version").first()


@dataclass
class Verification:
    publication: Publication | None
    digest: str  # recomputed from the stored snapshot
    problems: list[str]  # empty: the snapshot is intact and agrees with the live data

    @property
    def ok(self) -> bool:
        return self.publication is not None and not self.problems


def results_verify(contest: Contest) -> Verification:
    """Recompute the latest snapshot's digest and compare its rows with the live data."""
    publication = latest_publication(contest)
    if publication is None:
        return Verification(None, "", ["the results of this contest are not published"])
    digest = snapshots.snapshot_digest(publication.snapshot)
    problems = []
    if digest != publication.digest:
        problems.append(
            f"the stored snapshot's digest is {digest}, but {publication.digest} was published"
        )
    problems += snapshots.rows_differences(publication.snapshot["rows"], live_rows(contest))
    return Verification(publication, digest, problems)


class Phase:
    UNPUBLISHED = "unpublished"  # no results yet: nothing to show
    COMING = "coming"  # published; the exhibition has not opened
    OPEN = "open"
    ARCHIVE = "archive"  # the exhibition has closed


def exhibition_phase(contest: Contest, today: datetime.date | None = None) -> str:
    """Where the exhibition stands today (local date). Without dates, it opens on
    publication and stays open."""
    if contest.state != Contest.State.PUBLISHED:
        return Phase.UNPUBLISHED
    today = today or timezone.localdate()
    if contest.exhibition_opens_on and today < contest.exhibition_opens_on:
        return Phase.COMING
    if contest.exhibition_closes_on and today > contest.exhibition_closes_on:
        return Phase.ARCHIVE
    return Phase.OPEN
