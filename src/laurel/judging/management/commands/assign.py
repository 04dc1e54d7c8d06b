"""``laurel assign ENTRIES.csv JUDGES.csv --per-entry K [--conflicts CONFLICTS.csv]
[--affinity AFFINITY.csv] [--bridges N [--bridge-reviews R]] [--seed N] [--out ASSIGNMENT.csv]``:
the judging core on files.

Writes ``entry,judge`` rows (K per entry) to standard output or ``--out``, and one summary
line to standard error: sizes, loads, affinity, time, then how many reviews went to bridging
(an entry outside its judge's categories) and whether the design is connected — every entry
comparable with every other through shared judges — or which parts it falls into. With
``--bridges N``, N judges of every category panel also review R entries of another category
(``core.assignment``). Bad input or an infeasible problem exits non-zero with the reason, and
``--out`` is then left untouched.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from laurel.core.assignment import (
    BRIDGE_REVIEWS,
    AssignmentProblem,
    InfeasibleAssignment,
    assign,
)
from laurel.core.assignment_files import (
    AssignmentFileError,
    affinity_read,
    assignment_csv,
    conflicts_read,
    entries_read,
    judges_read,
)
from laurel.core.csv_files import write_atomically
from laurel.core.design import Design, design_check

PARTS_LISTED = 5  # parts of a disconnected design named in the summary


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def whole_number(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def design_summary(design: Design) -> str:
    """Bridging reviews and connectedness, for the summary line."""
    share = f"bridging reviews {design.bridging} ({100 * design.bridging_share:.1f}%)"
    if design.connected:
        return f"{share}, design connected"
    parts = [
        f"{len(part.entries)} entries, {len(part.judges)} judges"
        + (f" ({'/'.join(part.categories)})" if part.categories else "")
        for part in design.parts[:PARTS_LISTED]
    ]
    more = len(design.parts) - PARTS_LISTED
    listed = " | ".join(parts) + (f" | {more} more" if more > 0 else "")
    return f"{share}, design not connected: {len(design.parts)} parts share no judge: {listed}"


class Command(BaseCommand):
    help = "Assign K judges to every entry: conflicts, categories, caps, even loads, affinity."

    def add_arguments(self, parser):
        parser.add_argument("entries", type=Path, help="entry[,category][,unit]")
        parser.add_argument("judges", type=Path, help="judge[,categories][,unit][,max_load]")
        parser.add_argument("--per-entry", type=positive_int, required=True, metavar="K")
        parser.add_argument("--conflicts", type=Path, help="judge,entry")
        parser.add_argument("--affinity", type=Path, help="judge,entry,affinity")
        parser.add_argument(
            "--bridges",
            type=whole_number,
            default=0,
            metavar="N",
            help="judges of every category panel who also review another category",
        )
        parser.add_argument(
            "--bridge-reviews",
            type=positive_int,
            default=BRIDGE_REVIEWS,
            metavar="R",
            help=f"reviews each bridging judge gives there (default {BRIDGE_REVIEWS})",
        )
        parser.add_argument("--seed", type=int, default=0, help="breaks ties only")
        parser.add_argument("--out", type=Path, help="write the assignment here (CSV)")

    def handle(self, *args, **options):
        try:
            problem = self.problem(options)
        except AssignmentFileError as error:
            raise CommandError(str(error)) from None
        try:
            result = assign(problem, seed=options["seed"])
        except InfeasibleAssignment as error:
            lines = "\n".join(f"  - {shortfall.message}" for shortfall in error.shortfalls)
            raise CommandError(f"no assignment is possible:\n{lines}") from None
        output = assignment_csv(result.pairs)
        if options["out"] and not options["out"].resolve().parent.is_dir():
            raise CommandError(f"{options['out']}: its folder does not exist")
        if options["out"]:
            write_atomically(options["out"], output)
        else:
            self.stdout.write(output, ending="")
        low, high = result.load_range
        design = design_check(result.pairs, entries=problem.entries, judges=problem.judges)
        self.stderr.write(
            f"entries {len(problem.entries)}, judges {len(problem.judges)}, "
            f"reviews {len(result.pairs)}, load {low}–{high}, "
            f"total affinity {result.total_affinity:.3f}, {result.seconds:.2f} s"
            + (" (pruned candidates)" if result.pruned else "")
            + f"; {design_summary(design)}"
        )

    def problem(self, options) -> AssignmentProblem:
        entries = entries_read(options["entries"])
        judges = judges_read(options["judges"])
        entry_ids = {e.id for e in entries}
        judge_ids = {j.id for j in judges}
        conflicts = (
            conflicts_read(options["conflicts"], judge_ids, entry_ids)
            if options["conflicts"]
            else set()
        )
        affinity = (
            affinity_read(options["affinity"], judge_ids, entry_ids) if options["affinity"] else {}
        )
        return AssignmentProblem(
            entries,
            judges,
            options["per_entry"],
            conflicts,
            affinity,
            bridges=options["bridges"],
            bridge_reviews=options["bridge_reviews"],
        )
