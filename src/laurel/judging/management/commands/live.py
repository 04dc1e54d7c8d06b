"""``laurel live aggregate [--drop N] [--places P] [--tolerance T] [--deduct X]... SCORE...``
and ``laurel live draw SLUG --seed SEED`` (contract: other tools depend on this exact form).

``aggregate`` prints one team's final score from its judges' scores (one number each), by the
live round's own arithmetic (``core.live.panel_score``): the N highest and N lowest struck
when at least 2N + 1 judges scored, the kept scores' mean less each ``--deduct`` (a positive
amount), rounded once, half up, to P places. The first line is the score with exactly P
decimals (``laurel live aggregate --drop 1 --places 2 9.1 9.35 9.2 9.4 8.8`` → ``9.22``);
then ``no scores dropped`` when there were fewer than 2N + 1 scores (the plain mean), and
``tolerance exceeded`` when the kept scores' highest minus lowest is above T. Defaults:
``--drop 1 --places 2``, no tolerance, no deductions.

``draw`` prints the running order SEED (any text) gives the contest's entrants — its teams —
one a line: place, entry number and name (``1 0007 奉节县教育工会代表队``). The order is
``core.live.running_order`` over the entry numbers of the entries still in the contest
(withdrawn, refused and disqualified ones are not drawn): anyone with the seed and the numbers
recomputes it with SHA-256 (the rule is written beside its code).

Exit codes: 0 in each of those cases; 2 on a usage error (no score, a score, tolerance or
deduction that is not a plain decimal, a deduction not above 0, N not 0–2, P not 0–4; no
contest of that short name).
"""

from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from laurel.contests.entrants import entrant_of
from laurel.contests.models import Contest, Entry
from laurel.core.live import DROP_CHOICES, panel_score, running_order

PLACES_CHOICES = (0, 1, 2, 3, 4)


def plain_decimal(text: str, what: str) -> Decimal:
    """``text`` as a finite decimal, else a usage error naming ``what``."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or "e" in text.lower():
        raise CommandError(f"{what} is not a plain decimal: {text!r}", returncode=2)
    return value


class Command(BaseCommand):
    help = "A live round's arithmetic: one team's score from its judges' scores."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        aggregate = actions.add_parser(
            "aggregate", help="one team's final score from its judges' scores"
        )
        aggregate.add_argument("scores", nargs="+", metavar="SCORE", help="one a judge")
        aggregate.add_argument("--drop", type=int, choices=DROP_CHOICES, default=1)
        aggregate.add_argument("--places", type=int, choices=PLACES_CHOICES, default=2)
        aggregate.add_argument("--tolerance", help="flag kept scores spread wider than this")
        aggregate.add_argument(
            "--deduct", action="append", default=[], help="an amount taken off (repeatable)"
        )
        draw = actions.add_parser("draw", help="the running order a seed gives the teams")
        draw.add_argument("slug", metavar="SLUG", help="the contest's short name")
        draw.add_argument("--seed", required=True, help="any text: the draw's recorded seed")

    def handle(self, *args, action: str, **options):
        if action == "aggregate":
            self.aggregate(**options)
        elif action == "draw":
            self.draw(**options)

    def draw(self, *, slug, seed, **_options):
        contest = Contest.objects.filter(slug=slug).first()
        if contest is None:
            raise CommandError(f"no contest has the short name {slug}", returncode=2)
        entries = Entry.objects.filter(contest=contest, state__in=Entry.LIVE_STATES)
        entries = {entry.code: entry for entry in entries.select_related("author", "team", "unit")}
        for place, code in enumerate(running_order(entries, seed), start=1):
            self.stdout.write(f"{place} {code} {entrant_of(entries[code]).name}")

    def aggregate(self, *, scores, drop, places, tolerance, deduct, **_options):
        judged = {
            index: plain_decimal(text, f"score {index + 1}") for index, text in enumerate(scores)
        }
        deductions = [plain_decimal(text, "a deduction") for text in deduct]
        if any(amount <= 0 for amount in deductions):
            raise CommandError("a deduction takes off more than 0 points", returncode=2)
        result = panel_score(
            judged,
            drop=drop,
            places=places,
            tolerance=plain_decimal(tolerance, "the tolerance") if tolerance else None,
            deductions=deductions,
        )
        self.stdout.write(str(result.score))
        if not result.dropped and drop > 0:
            self.stdout.write("no scores dropped")
        if result.tolerance_exceeded:
            self.stdout.write("tolerance exceeded")
