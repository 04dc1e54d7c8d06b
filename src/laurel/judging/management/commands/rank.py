"""``laurel rank SCORES.csv [--method mean|trimmed|zscore|calibrated] [--scale MIN:MAX]
[--out RANKING.csv]`` and ``laurel rank PAIRS.csv --method bt [--out RANKING.csv]``.

Writes ``rank,entry,score,low,high,reviews`` (one row per entry, ranks 1..N) to standard
output or ``--out``. Standard error says where the judges fall into separate parts, which
entries a trimmed tolerance flags, and each judge's calibration. Bad input exits non-zero
naming the row, and ``--out`` is then left untouched.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from laurel.core.csv_files import write_atomically
from laurel.core.ranking import METHODS, rank_pairs, rank_scores
from laurel.core.ranking_files import (
    RankingFileError,
    pairs_read,
    ranking_csv,
    scale_parse,
    scores_read,
    weights_parse,
)


class Command(BaseCommand):
    help = "Rank entries from judges' scores (or pairwise choices with --method bt)."

    def add_arguments(self, parser):
        parser.add_argument("scores", type=Path, help="entry,judge,score (bt: judge,winner,loser)")
        parser.add_argument("--method", choices=[*METHODS, "bt"], default="calibrated")
        parser.add_argument("--scale", help="MIN:MAX of the scores, e.g. 1:10")
        parser.add_argument(
            "--weights",
            help="score = weighted mean of these criterion columns, e.g. 主题=30,构图=30,技术=20",
        )
        parser.add_argument("--trim", type=int, choices=(1, 2), default=1, help="trimmed: 1 or 2")
        parser.add_argument(
            "--tolerance", type=float, help="trimmed: flag entries whose kept scores differ more"
        )
        parser.add_argument("--out", type=Path, help="write the ranking here (CSV)")

    def handle(self, *args, **options):
        try:
            scale = scale_parse(options["scale"]) if options["scale"] is not None else None
            weights = weights_parse(options["weights"]) if options["weights"] is not None else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        out = options["out"]
        if out and not out.resolve().parent.is_dir():
            raise CommandError(f"{out}: its folder does not exist")
        try:
            if options["method"] == "bt":
                ranking = rank_pairs(pairs_read(options["scores"]))
            else:
                ranking = rank_scores(
                    scores_read(options["scores"], scale, weights),
                    options["method"],
                    scale=scale,
                    trim=options["trim"],
                    tolerance=options["tolerance"],
                )
        except RankingFileError as error:
            raise CommandError(str(error)) from None
        self.report(ranking)
        output = ranking_csv(ranking)
        if out:
            write_atomically(out, output)
        else:
            self.stdout.write(output, ending="")

    def report(self, ranking) -> None:
        if ranking.parts:
            self.stderr.write(
                f"the judges fall into {len(ranking.parts)} separate parts (no judge in "
                "common); each is calibrated on its own and placed by its raw mean:"
            )
            for number, part in enumerate(ranking.parts, start=1):
                self.stderr.write(
                    f"  part {number}: {part.entries} entries, judges {', '.join(part.judges)}"
                )
        if ranking.flagged:
            self.stderr.write(
                f"beyond the tolerance (kept scores differ too much): {', '.join(ranking.flagged)}"
            )
        for judge in ranking.judges:
            if ranking.method == "bt":
                line = (
                    f"judge {judge.judge}: {judge.reviews} choices, reliability {judge.scale:.2f}"
                )
            else:
                line = (
                    f"judge {judge.judge}: {judge.reviews} scores, offset {judge.offset:+.2f}, "
                    f"scale {judge.scale:.2f}, noise {judge.noise:.2f}"
                )
            self.stderr.write(line + (f" — {judge.note}" if judge.note else ""))
