"""``laurel live aggregate [--drop N] [--places P] [--tolerance T] [--deduct X]... SCORE...``
(contract: other tools depend on this exact form).

``aggregate`` prints one team's final score from its judges' scores (one number each), by the
live round's own arithmetic (``core.live.panel_score``): the N highest and N lowest struck
when at least 2N + 1 judges scored, the kept scores' mean less each ``--deduct`` (a positive
amount), rounded once, half up, to P places. The first line is the score with exactly P
decimals (``laurel live aggregate --drop 1 --places 2 9.1 9.35 9.2 9.4 8.8`` → ``9.22``);
then ``no scores dropped`` when there were fewer than 2N + 1 scores (the plain mean), and
``tolerance exceeded`` when the kept scores' highest minus lowest is above T. Defaults:
``--drop 1 --places 2``, no tolerance, no deductions.

Exit codes: 0 in each of those cases; 2 on a usage error (no score, a score, tolerance or
deduction that is not a plain decimal, a deduction not above 0, N not 0–2, P not 0–4).
"""

from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from laurel.core.live import DROP_CHOICES, panel_score

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

    def handle(self, *args, action: str, **options):
        if action == "aggregate":
            self.aggregate(**options)

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
