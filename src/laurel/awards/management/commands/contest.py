"""``laurel contest results SLUG [--out FILE.csv]`` and ``laurel contest verify SLUG``
(contract: other tools depend on these exact forms).

``results`` writes ``rank,entry,title,author,unit,category,score,low,high,prize`` — one row
per entry ranked in the contest's final round (its last closed scoring round) and still
eligible for a prize, in rank order, as ``awards.selectors.live_rows`` gives them: the
``author`` column holds the entrant's name (a member's, a team's or a unit's), never an
ID-card or mobile number; scores to four decimals, no interval: empty; no
prize: empty. To standard output, or to ``--out`` written whole (a temporary file renamed:
never half a file).

``verify`` recomputes the SHA-256 digest of the latest published snapshot
(``core.snapshots``) and compares its rows with the live entries, scores and prizes (and its
units' own prizes, when it has any, with the units' prizes now). When
all agree it prints exactly one line, ``ok <digest>``, and exits 0; otherwise each
difference goes to standard error, naming the entry and the field, and it exits 1 (so does
a contest whose results are not published).

Exit codes, as ``laurel media``: 0 done; 1 the contest cannot give what was asked (no closed
scoring round, not published, the snapshot disagrees); 2 usage errors (no such contest, the
``--out`` folder does not exist).
"""

import sys
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from laurel.awards import selectors
from laurel.contests.models import Contest
from laurel.core.csv_files import write_atomically
from laurel.core.sheet_writer import csv_text
from laurel.core.snapshots import NUMBER_FIELDS, SNAPSHOT_FIELDS


def results_csv(rows: list[dict]) -> str:
    """The rows as CSV, header first; ``None`` (no score or interval) as an empty cell;
    scores as numbers (a negative one is not text to neutralise), as written."""
    body = ([_csv_value(name, row[name]) for name in SNAPSHOT_FIELDS] for row in rows)
    return csv_text([SNAPSHOT_FIELDS, *body], line_end="\n")


def _csv_value(name: str, value):
    if value is None:
        return ""
    return Decimal(value) if name in NUMBER_FIELDS else value


class Command(BaseCommand):
    help = (
        "A contest's results: the final ranking with prizes as CSV (results); the published "
        "snapshot checked against its digest and the live data (verify)."
    )
    # as `laurel media`: the system checks import every view (seconds) and decide nothing here
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        results = actions.add_parser(
            "results",
            help="write the final ranking with prizes as CSV",
            description="Write rank,entry,title,author,unit,category,score,low,high,prize "
            "for every entry ranked in the contest's final round.",
        )
        results.add_argument("slug", help="the contest's short name")
        results.add_argument("--out", type=Path, help="write the CSV here (default: stdout)")
        verify = actions.add_parser(
            "verify",
            help="check the published results: digest and live data",
            description="Print 'ok <digest>' when the latest published snapshot is intact and "
            "agrees with the live entries, scores and prizes; otherwise name each difference "
            "on standard error and exit 1.",
        )
        verify.add_argument("slug", help="the contest's short name")

    def handle(self, *args, **options):
        contest = Contest.objects.filter(slug=options["slug"]).first()
        if contest is None:
            raise CommandError(
                _("No contest has the short name %(slug)s.") % {"slug": options["slug"]},
                returncode=2,
            )
        if options["action"] == "verify":
            return self.verify(contest)
        return self.results(contest, options["out"])

    def results(self, contest: Contest, out: Path | None) -> None:
        if out is not None and not out.resolve().parent.is_dir():
            raise CommandError(
                _("%(path)s: its folder does not exist") % {"path": out}, returncode=2
            )
        round = selectors.final_round(contest)
        if round is None:
            raise CommandError(_("No scoring round of this contest has closed yet."))
        output = results_csv(selectors.live_rows(contest, round))
        if out is not None:
            write_atomically(out, output)
        else:
            self.stdout.write(output, ending="")

    def verify(self, contest: Contest) -> None:
        verification = selectors.results_verify(contest)
        if verification.ok:
            self.stdout.write(f"ok {verification.digest}")
            return
        for problem in verification.problems:
            self.stderr.write(f"{contest.slug}: {problem}")
        sys.exit(1)
