"""Reads of a contest's outcome that several audiences share: the final ranking, the live
rows a snapshot is made of (each entry's entrant: a member, a team or a unit), the units'
own prizes and the standings that propose them, the latest publication, the exhibition's
phase, one entry's prize and the reviews every round gave it."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from laurel.awards import policy
from laurel.awards.models import Award, Publication, UnitAward
from laurel.contests import prize_tiers
from laurel.contests.entrants import (
    entrant_key_expression,
    entrant_name_expression,
    entrant_of,
    entrant_related,
)
from laurel.contests.models import Contest, Entry, Flag, PrizeTier
from laurel.contests.selectors import NO_ENTRY, PrizeSource
from laurel.core import prizes as core_prizes
from laurel.core import snapshots
from laurel.judging import modes as judging_modes
from laurel.judging.models import Assignment, Criterion, Result, Round
from laurel.orgs.models import Unit
from laurel.orgs.selectors import district_pk
from laurel.web.access import Access

# entries that can hold a prize (not withdrawn or disqualified since judging)
PRIZE_STATES = (Entry.State.ACCEPTED, Entry.State.QUALIFIED, Entry.State.AWARDED)


def final_round(contest: Contest) -> Round | None:
    """The contest's last closed round of a ranking mode (``judging.modes``): its ranking is
    the contest's result."""
    return (
        Round.objects.filter(
            contest=contest, mode__in=judging_modes.ranking_codes(), state=Round.State.CLOSED
        )
        .order_by("-position", "-pk")
        .first()
    )


def ranked_results(round: Round) -> QuerySet[Result]:
    """The round's ranked results in rank order, with entry, entrant, unit and category."""
    return (
        Result.objects.filter(round=round, rank__isnull=False)
        .select_related(*entrant_related("entry__"), "entry__category")
        .order_by("rank")
    )


def eligible(result: Result) -> bool:
    return result.entry.state in PRIZE_STATES


def prizes_of(contest: Contest) -> dict[int, str]:
    """Entry pk → the name of its prize tier, as awarded now."""
    return dict(Award.objects.filter(contest=contest).values_list("entry_id", "tier__name"))


def live_rows(contest: Contest, round: Round | None = None) -> list[dict]:
    """The snapshot rows the live data gives now (``core.snapshots.snapshot_row``): every
    ranked entry still eligible, in rank order, with its entrant's name as ``author``, the
    entrant's unit and its prize ("" : none)."""
    round = round or final_round(contest)
    if round is None:
        return []
    prizes = prizes_of(contest)
    return [
        snapshots.snapshot_row(
            rank=result.rank,
            entry=result.entry.code,
            title=result.entry.title,
            author=entrant_of(result.entry).name,
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
# (``entrant_name`` and ``entrant_key``: the entrant's name and key, annotated)
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
    "entrant_key",
    "entrant_name",
    "entry__unit__name",
    "entry__category__name",
)


def ranked_rows(round: Round) -> list:
    """``ranked_results`` as named tuples of ``RANKED_FIELDS`` (no model instances)."""
    results = ranked_results(round).annotate(
        entrant_name=entrant_name_expression("entry__"),
        entrant_key=entrant_key_expression("entry__"),
    )
    return list(results.values_list(*RANKED_FIELDS, named=True))


def core_ranked(rows) -> list[core_prizes.Ranked]:
    """The eligible entries of ``ranked_rows`` in rank order, for ``core.prizes`` (each with
    its entrant's key: two members of one name are two entrants, a team is one)."""
    return [
        core_prizes.Ranked(
            entry=str(r.entry_id),
            author=r.entrant_key,
            score=r.score,
            low=r.low,
            high=r.high,
        )
        for r in rows
        if r.entry__state in PRIZE_STATES
    ]


# --- the units' own prizes ----------------------------------------------------------------


def unit_tiers(contest: Contest) -> list[PrizeTier]:
    """The contest's tiers given to units (优秀组织奖), in order."""
    return list(contest.prize_tiers.filter(for_units=True).order_by("position", "pk"))


def entry_tiers(contest: Contest) -> list[PrizeTier]:
    """The contest's tiers given to entries, in order."""
    return list(contest.prize_tiers.filter(for_units=False).order_by("position", "pk"))


def unit_awards(contest: Contest) -> list[UnitAward]:
    """The units' prizes as given now: tier by tier, units by name."""
    return list(
        UnitAward.objects.filter(contest=contest)
        .select_related("tier", "unit", "set_by")
        .order_by("tier__position", "tier_id", "unit__name", "unit_id")
    )


def live_unit_prizes(contest: Contest) -> list[dict]:
    """The snapshot's ``unit_prizes`` the live data gives now (``core.snapshots``)."""
    return [
        snapshots.unit_prize_row(unit=award.unit.name, prize=award.tier.name)
        for award in unit_awards(contest)
    ]


def unit_standings(contest: Contest) -> list[core_prizes.UnitStanding]:
    """The district-level units (the federation root's children) as ``core.prizes`` ranks
    them for the units' prizes: the prizes their subtree's entries hold now (by tier name)
    and how many of those entries were accepted (still in the contest). Two queries."""
    districts = {
        unit.pk: core_prizes.UnitStanding(str(unit.pk), unit.name, {}, 0)
        for unit in Unit.objects.filter(depth=1).only("pk", "name")
    }
    prizes: dict[int, dict[str, int]] = {pk: {} for pk in districts}
    accepted = dict.fromkeys(districts, 0)
    entries = (
        Entry.objects.filter(contest=contest, state__in=PRIZE_STATES)
        .values_list("unit__path", "award__tier__name")
        .order_by()
    )
    for path, prize in entries:
        district = district_pk(path)
        if district not in districts:
            continue  # an entry of the federation itself belongs to no district
        accepted[district] += 1
        if prize:
            prizes[district][prize] = prizes[district].get(prize, 0) + 1
    return [
        core_prizes.UnitStanding(s.unit, s.name, prizes[pk], accepted[pk])
        for pk, s in districts.items()
    ]


def flags_undecided(contest: Contest) -> int:
    """The contest's screening flags still waiting for a decision (open, or the entrant
    asked): while any is, its results are not published."""
    return Flag.objects.filter(
        entry__contest=contest, state__in=(Flag.State.OPEN, Flag.State.ASKED)
    ).count()


def latest_publication(contest: Contest) -> Publication | None:
    return Publication.objects.filter(contest=contest).order_by("-version").first()


def statistics_prize_source(access: Access, contest: Contest) -> PrizeSource:
    """The prizes this viewer may count in a contest's figures by unit
    (``contests.selectors.prize_source``, registered in ``panels.register``): published ones
    once there are (read from the publication's snapshot, later changes not counted until a
    correction is published); before that the current awards, for those who decide them."""
    if not policy.may_export_results(access, contest):
        return PrizeSource(PrizeSource.HIDDEN)
    publication = latest_publication(contest)
    if publication is not None:
        numbers = [int(row["entry"]) for row in publication.snapshot["rows"] if row["prize"]]
        return PrizeSource(
            PrizeSource.PUBLISHED,
            Q(number__in=numbers) if numbers else NO_ENTRY,
            publication.version,
            publication.published_at,
        )
    if policy.may_decide_awards(access):
        return PrizeSource(PrizeSource.CURRENT, Q(award__isnull=False))
    return PrizeSource(PrizeSource.HIDDEN)


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
    problems += snapshots.unit_prizes_differences(
        publication.snapshot.get("unit_prizes", []), live_unit_prizes(contest)
    )
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


# --- one entry --------------------------------------------------------------------------


@dataclass
class EntryPrize:
    """An entry's prize as a page shows it: its tier's name and colour class, and the prize
    the latest published version gives it (None: no version is published)."""

    name: str
    tier_class: str
    published: str | None

    @property
    def as_published(self) -> bool:
        return self.published == self.name


def entry_prize(entry: Entry, *, live: bool) -> EntryPrize | None:
    """``entry``'s prize: as decided now (``live``: for the organisers, who decide it) or
    as the latest published version gives it (for anyone else); None when it has none."""
    publication = latest_publication(entry.contest)
    published = None
    if publication is not None:
        row = next((r for r in publication.snapshot["rows"] if r["entry"] == entry.code), None)
        published = row["prize"] if row else ""
    if live:
        award = Award.objects.filter(entry=entry).select_related("tier").first()
        name = award.tier.name if award else ""
    else:
        name = published or ""
    if not name:
        return None
    places = prize_tiers.tier_places(entry.contest_id)
    places.setdefault(name, len(places) + 1)  # a tier the contest no longer has: after
    return EntryPrize(name, prize_tiers.tier_class(places[name]), published)


@dataclass
class RoundReviews:
    """What one round made of an entry: each judge's review (in the order they came in)
    and the entry's result (rank and score, or passed)."""

    round: Round
    criteria: list[Criterion]
    reviews: list[dict] = field(default_factory=list)  # judge, scores, verdict, comment
    result: Result | None = None


def entry_reviews(entry: Entry) -> list[RoundReviews]:
    """Every round that has a finished review of ``entry``, in the rounds' order: each
    judge's scores per criterion (criteria in order) or verdict, and the round's result.
    Judges are named: the organisers' alone (``awards.policy.may_export_scores``)."""
    done = list(
        Assignment.objects.filter(entry=entry, state=Assignment.State.DONE)
        .select_related("judge", "round")
        .order_by("round__position", "round_id", "reviewed_at", "pk")
    )
    results = {result.round_id: result for result in Result.objects.filter(entry=entry)}
    criteria: dict[int, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(
        round_id__in={review.round_id for review in done}
    ).order_by("position", "pk"):
        criteria.setdefault(criterion.round_id, []).append(criterion)
    rounds: dict[int, RoundReviews] = {}
    for review in done:
        shown = rounds.setdefault(
            review.round_id,
            RoundReviews(
                review.round, criteria.get(review.round_id, []), result=results.get(review.round_id)
            ),
        )
        shown.reviews.append(
            {
                "judge": str(review.judge),
                "scores": [review.scores.get(str(c.pk)) for c in shown.criteria],
                "verdict": review.verdict,
                "comment": review.comment,
            }
        )
    return list(rounds.values())
