"""The demo contest's timeline: the bulletin's spring 2024, or moved to around today.

Pure Python, no Django: the loaders make the moments aware. ``photo-2024`` took
place as the bulletin tells: entries from 1 to 25 April 2024 (``photos``), 初评 on
26–28 April and 复评 on 29–30 April (``judges``), prizes proposed from the 复评
ranking and the results published on the evening of 30 April, the exhibition at the 文化宫
from 1 to 20 May. Seen today that exhibition is the archive.

``laurel demo --today`` moves the whole story by one ``Timeline.offset``, a whole number
of days, so that the exhibition opened ``OPEN_FOR_DAYS`` days before today: the open
gallery can be seen, and every earlier stage lies in the weeks before. Both are the same
code: the loader passes every moment of the story through ``Timeline.at`` (local times)
or ``Timeline.on`` (dates), with an offset of zero for the bulletin's dates. Whole days
keep every moment at its hour of the day (Asia/Shanghai keeps no summer time).

What moves: when the contest was set up; the submission window and when each entry was
submitted, and with it when its declarations were made, its photos uploaded and processed,
screening's flags raised and its entrant told; when the rounds opened (their judges told),
their deadlines, when they closed, and when each review was given; when the prizes were
proposed; the publication (its snapshot carries the time and is digested, so the results
are *published* at the moved time, never moved afterwards) and with it the certificates'
date and the winners' notifications; the exhibition's dates. What stays: the photos' own
EXIF dates (the pictures carry them) and so the date-taken window screening checks them
against; the audit log, which records when the demo itself was loaded; and the people
(members, logins), who are today's.

The small contest judged now (``judging_now``) keeps to the days around today: its entries
came in over the last four weeks and its round opened two days ago.

The dates are set when the scenario is first loaded: a database that already holds
``photo-2024`` keeps the dates it was loaded with (its published snapshot cannot change),
and whatever of it is still to load (judging, results: after an interrupted run, say)
follows those dates (``timeline_of``), whether or not ``--today`` is given again.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from laurel.demo import judges, photos

# local times, as photos and judges give them (the loaders make them aware)
CONTEST_CREATED = datetime(2024, 3, 20, 10)  # noqa: DTZ001 - local, made aware by the loaders
ENTRIES_OPEN = photos.OPENS
ENTRIES_CLOSE = photos.CLOSES
AWARDS_PROPOSED = datetime(2024, 4, 30, 20, 30)  # noqa: DTZ001 - local, made aware by the loaders
RESULTS_PUBLISHED = datetime(2024, 4, 30, 21, 0)  # noqa: DTZ001 - as above
EXHIBITION_OPENS = date(2024, 5, 1)
EXHIBITION_CLOSES = date(2024, 5, 20)
# photos taken in the year before the contest (their EXIF dates: these never move)
TAKEN_FROM = date(2023, 5, 1)
TAKEN_UNTIL = date(2024, 4, 25)
OPEN_FOR_DAYS = 3  # --today: the exhibition opened this many days before today

# the story in order: each stage after the one before (tests/demo/test_demo.py)
STAGES = [
    CONTEST_CREATED,
    ENTRIES_OPEN,
    ENTRIES_CLOSE,
    judges.QUALIFY_OPENS,
    judges.QUALIFY_DEADLINE,
    judges.QUALIFY_CLOSED,
    judges.SCORE_OPENS,
    judges.SCORE_DEADLINE,
    judges.SCORE_CLOSED,
    AWARDS_PROPOSED,
    RESULTS_PUBLISHED,
    datetime.combine(EXHIBITION_OPENS, datetime.min.time()),
    datetime.combine(EXHIBITION_CLOSES, datetime.max.time()),
]


@dataclass(frozen=True)
class Timeline:
    """The story's moments, moved by ``offset`` (zero: as in the bulletin)."""

    offset: timedelta = timedelta(0)

    def at(self, moment: datetime) -> datetime:
        """A local time of the story, moved."""
        return moment + self.offset

    def on(self, day: date) -> date:
        """A date of the story, moved."""
        return day + self.offset


def timeline(today: date | None = None) -> Timeline:
    """The bulletin's dates; or, given ``today``, the story moved by whole days so that
    its exhibition opened ``OPEN_FOR_DAYS`` days before ``today`` and is open now."""
    if today is None:
        return Timeline()
    return Timeline(today - timedelta(days=OPEN_FOR_DAYS) - EXHIBITION_OPENS)


def timeline_of(exhibition_opens_on: date | None) -> Timeline:
    """The timeline a contest was loaded with, found from its exhibition's opening."""
    if exhibition_opens_on is None:
        return Timeline()
    return Timeline(exhibition_opens_on - EXHIBITION_OPENS)


@dataclass(frozen=True)
class JudgingNow:
    """The small contest being judged now (local times): set up, open for entries, closed,
    its round opened, and the round's deadline."""

    created: datetime
    opens: datetime
    closes: datetime
    round_opens: datetime
    deadline: datetime


def judging_now(today: date) -> JudgingNow:
    """Around ``today``: entries from four weeks to six days ago, the round opened two days
    ago (the panel's simulated judges have been at work since), due in five days."""

    def at(days: int, hour: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), datetime.min.time()).replace(
            hour=hour
        )

    return JudgingNow(
        created=at(-30, 10),
        opens=at(-28, 9),
        closes=at(-6, 18),
        round_opens=at(-2, 9),
        deadline=at(5, 18),
    )
