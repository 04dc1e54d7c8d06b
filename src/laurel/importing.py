"""What every spreadsheet import shares: row outcomes, the summary line, reasons in the
reader's language, the .xlsx report of rejected rows, and the blank template to fill in
(``ImportTemplate``: the header row made from the importer's own column definitions, so the
two never drift; ``MEMBER_TEMPLATE``, ``UNIT_TEMPLATE``, and the contests' bulk sheet).

The imports themselves live with their data (``orgs.services.unit_file_import``,
``members.services.member_file_import``); both read files with ``core.tables`` and check rows
with ``core.roster``.
"""

import sys
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from laurel.core.roster import MEMBER_COLUMNS, UNIT_COLUMNS, Problem
from laurel.core.sheet_writer import Sheet, xlsx_write
from laurel.core.tables import Column, Table, TableError, table_read

STATUSES = ("imported", "updated", "unchanged", "rejected")

# Stable problem codes (core.roster and the apps) → the sentence a person reads.
PROBLEM_MESSAGES = {
    "required": gettext_lazy("This field is required."),
    "too_long": gettext_lazy("Longer than %(limit)s characters."),
    "id_card_empty": gettext_lazy("This field is required."),
    "id_card_legacy_15": gettext_lazy(
        "A 15-digit ID number (issued before 1999) is no longer accepted; "
        "give the 18-character number."
    ),
    "id_card_length": gettext_lazy("An ID number has 18 characters."),
    "id_card_characters": gettext_lazy("An ID number is 17 digits followed by a digit or X."),
    "id_card_birth_date": gettext_lazy("The date of birth in this ID number does not exist."),
    "id_card_check_digit": gettext_lazy(
        "The check digit does not match: a character of this ID number is mistyped."
    ),
    "stored_as_number": gettext_lazy(
        "Excel stored this ID number as a number and lost its last digits; "
        "format the column as text and type the number again."
    ),
    "gender_unknown": gettext_lazy("Gender must be 男 or 女, not “%(value)s”."),
    "gender_contradicts_id_card": gettext_lazy(
        "The gender contradicts the ID number (its 17th digit is odd for men, even for women)."
    ),
    "landline": gettext_lazy("This is a landline; give a mainland mobile number."),
    "mobile_invalid": gettext_lazy("Not a mainland mobile number (11 digits starting with 1)."),
    "unit_unknown": gettext_lazy("No unit you administer has the code or name “%(value)s”."),
    "unit_ambiguous": gettext_lazy(
        "Several units are called “%(value)s”; give one of their codes: %(codes)s."
    ),
    "duplicate_in_file": gettext_lazy("The same ID number is already in row %(row)s."),
    # An ID number held by someone the importer may not see: the words never say so.
    "not_importable_here": gettext_lazy(
        "This row cannot be imported into your units; if this person belongs there, "
        "ask the federation."
    ),
    "unit_code_invalid": gettext_lazy(
        "A unit code is letters, digits and / - _ . only, at most 64 characters."
    ),
    "unit_parent_is_itself": gettext_lazy("A unit cannot be its own parent."),
    "unit_parent_unknown": gettext_lazy("No unit has the parent code “%(value)s”."),
    "unit_parent_required": gettext_lazy(
        "Give the parent unit's code: the federation already has its top unit."
    ),
    "unit_parent_cycle": gettext_lazy(
        "The parent codes go round in a circle; a unit cannot be inside itself."
    ),
    "unit_kind_unknown": gettext_lazy("Unknown unit kind “%(value)s”."),
    "duplicate_code_in_file": gettext_lazy("The same unit code is already in row %(row)s."),
}

FILE_ERRORS = {
    "empty": gettext_lazy("The file is empty."),
    "unreadable": gettext_lazy("The file cannot be opened as an .xlsx, .xls or .csv sheet."),
    "not_a_table": gettext_lazy("This is not a spreadsheet: use .xlsx, .xls or .csv."),
    "no_header": gettext_lazy(
        "No header row found: the sheet needs a row naming its columns (%(columns)s)."
    ),
    "too_many_rows": gettext_lazy("Too many rows: at most %(limit)s per file."),
    "too_large": gettext_lazy("The file is %(size)s; the limit is %(limit)s."),
    "too_large_unpacked": gettext_lazy(
        "The file expands to %(size)s when opened; the limit is %(limit)s."
    ),
    "too_compressed": gettext_lazy(
        "Part of the file (%(part)s) expands %(ratio)s times when opened, to %(size)s; "
        "no spreadsheet is made like that, so the file is refused."
    ),
    "too_many_parts": gettext_lazy(
        "The file holds %(count)s parts; a spreadsheet has at most %(limit)s."
    ),
    "too_many_sheet_rows": gettext_lazy(
        "The file's sheets hold %(count)s rows, blank ones included; at most %(limit)s are "
        "read. Delete the empty rows below the table."
    ),
    "too_many_sheet_cells": gettext_lazy(
        "The file's sheets hold %(count)s cells, blank ones included; at most %(limit)s are "
        "read. Delete the empty rows and columns below and beside the table."
    ),
    "xls_too_large": gettext_lazy(
        "The .xls file is %(size)s; an .xls may be at most %(limit)s. "
        "Save it as .xlsx and send that."
    ),
}


class ImportRefused(ValueError):
    """The whole file is refused (unreadable, no header, ...). ``str()`` says why."""


MAX_ROWS = 20_000  # rows per file: a city's whole roster fits, a runaway file does not


def sheet_read(source, columns: tuple[Column, ...], filename: str = "") -> Table:
    """Read an import file, or raise ``ImportRefused`` saying why the whole file is refused."""
    try:
        return table_read(source, columns, max_rows=MAX_ROWS)
    except TableError as error:
        params = {
            "columns": "、".join(c.aliases[0] for c in columns if c.required),
            "limit": error.detail,
            **error.params,
        }
        prefix = f"{filename}: " if filename else ""
        raise ImportRefused(prefix + str(FILE_ERRORS[error.code]) % params) from None


@dataclass
class RowProblem:
    column: str  # the header as written in the file (or the column's usual name)
    code: str
    reason: str


@dataclass
class RowOutcome:
    row_number: int
    status: str  # one of STATUSES
    label: str  # who or what the row is, as a person may see it (personal numbers masked)
    problems: list[RowProblem] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


def status_counts(outcomes, statuses: tuple[str, ...]) -> dict[str, int]:
    """How many ``outcomes`` have each of ``statuses`` (in that order; zeros included)."""
    counted = Counter(outcome.status for outcome in outcomes)
    return {status: counted[status] for status in statuses}


@dataclass
class ImportResult:
    outcomes: list[RowOutcome]
    dry_run: bool

    @property
    def counts(self) -> dict[str, int]:
        return status_counts(self.outcomes, STATUSES)

    def summary_line(self) -> str:
        """The contract other tools read: ``imported N, updated N, unchanged N, rejected N``."""
        return ", ".join(f"{status} {count}" for status, count in self.counts.items())

    @property
    def rejected(self) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "rejected"]

    def as_json(self) -> list[dict]:
        return [asdict(outcome) for outcome in self.outcomes]

    @classmethod
    def from_json(cls, rows: list[dict], *, dry_run: bool) -> "ImportResult":
        outcomes = [
            RowOutcome(**{**row, "problems": [RowProblem(**p) for p in row["problems"]]})
            for row in rows
        ]
        return cls(outcomes=outcomes, dry_run=dry_run)


def row_problems(problems: list[Problem], headers: dict[str, str], columns) -> list[RowProblem]:
    """Turn core problems into what a person reads, naming columns as their file does."""
    usual = {column.key: column.aliases[0] for column in columns}
    return [
        RowProblem(
            column=headers.get(p.column) or usual.get(p.column, p.column),
            code=p.code,
            reason=str(PROBLEM_MESSAGES[p.code]) % p.params,
        )
        for p in problems
    ]


# --- blank templates -----------------------------------------------------------------------

REQUIRED_MARK = "（必填）"  # after a required column's header; the reader ignores it


@dataclass(frozen=True)
class ImportTemplate:
    """A blank sheet for an importer: ``columns`` are the importer's own (``core.tables.
    Column``); ``explanations`` and ``examples`` say, by column key, what each holds."""

    columns: tuple[Column, ...]
    explanations: Mapping[str, object]
    examples: Mapping[str, str]

    def header(self) -> list[str]:
        """Each column's first name, as the reader finds it (required ones marked)."""
        return [
            column.aliases[0] + (REQUIRED_MARK if column.required else "")
            for column in self.columns
        ]

    def xlsx(self) -> bytes:
        """The first sheet is the header alone, to fill in below (the importer reads the
        first sheet with a header it knows); the second explains each column, with an
        example, in the reader's language."""
        fill_in = Sheet(title=_("Fill in"), header=self.header(), rows=[])
        explained = Sheet(
            title=_("How to fill in"),
            header=[_("Column"), _("Required"), _("What it holds"), _("Example")],
            rows=[
                [
                    header,
                    _("yes") if column.required else _("no"),
                    str(self.explanations.get(column.key, "")),
                    self.examples.get(column.key, ""),
                ]
                for header, column in zip(self.header(), self.columns, strict=True)
            ],
        )
        return xlsx_write([fill_in, explained])


MEMBER_TEMPLATE = ImportTemplate(
    columns=MEMBER_COLUMNS,
    explanations={
        "name": gettext_lazy("The member's name."),
        "gender": gettext_lazy("男 or 女; may be left blank (the ID number tells it)."),
        "id_card": gettext_lazy(
            "The 18-character ID number. Format the column as text first: Excel loses the "
            "last digits of a long number."
        ),
        "mobile": gettext_lazy("A mainland mobile number (11 digits)."),
        "unit": gettext_lazy(
            "The unit's code or exact name; blank: the unit chosen when importing."
        ),
        "industry": gettext_lazy("Free text, at most 100 characters."),
        "job_title": gettext_lazy("Free text, at most 100 characters."),
    },
    examples={
        "name": "张三",
        "gender": "男",
        "id_card": "11010519491231002X",
        "mobile": "13800138000",
        "unit": "机关工会",
        "industry": "制造业",
        "job_title": "车间主任",
    },
)

UNIT_TEMPLATE = ImportTemplate(
    columns=UNIT_COLUMNS,
    explanations={
        "name": gettext_lazy("The unit's name."),
        "code": gettext_lazy("A code of its own: letters, digits and / - _ . only."),
        "parent": gettext_lazy(
            "The code of the unit it belongs to: an existing unit or another row of the sheet."
        ),
        "kind": gettext_lazy(
            "市总工会, 区县工会, 经开区工会, 产业工会, 基层工会 or 工作单位; "
            "blank: guessed from the name and the parent."
        ),
        "industry": gettext_lazy("Free text, at most 100 characters."),
    },
    examples={
        "name": "机关工会",
        "code": "cq/yongchuan/jiguan",
        "parent": "cq/yongchuan",
        "kind": "基层工会",
        "industry": "机关",
    },
)


def template_response(template: ImportTemplate, filename: str) -> HttpResponse:
    """``template`` as a download named ``filename`` (ASCII)."""
    response = HttpResponse(template.xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """The default progress callback: report nothing."""


def report_xlsx(result: ImportResult, *, source_name: str) -> bytes:
    """The rejected rows, one line per problem: row, column, reason (and a summary sheet)."""
    rejected = Sheet(
        title=_("Rejected rows"),
        header=[_("Row"), _("Record"), _("Column"), _("Reason")],
        rows=(
            [outcome.row_number, outcome.label, problem.column, problem.reason]
            for outcome in result.rejected
            for problem in outcome.problems
        ),
        widths=(8, 32, 16, 80),
    )
    summary = Sheet(
        title=_("Summary"),
        rows=[
            [_("File"), source_name],
            [_("Dry run"), _("yes") if result.dry_run else _("no")],
            *([status, count] for status, count in result.counts.items()),
        ],
    )
    return xlsx_write([rejected, summary])


STDERR_ROWS = 50  # rejected rows printed; the report has them all


class ImportCommand(BaseCommand):
    """``laurel import-… FILE [--dry-run] [--report REPORT.xlsx] [--as-user NAME]``, or
    ``laurel import-… --template BLANK.xlsx`` for the blank sheet to fill in.

    Standard output carries exactly one line, the summary; rejected rows go to standard
    error and to the report; a bar on standard error shows progress on a terminal.
    """

    template: ImportTemplate | None = None  # what ``--template`` writes

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?")
        if self.template is not None:
            parser.add_argument(
                "--template",
                type=Path,
                metavar="BLANK.xlsx",
                help="Write a blank sheet to fill in (the columns this command reads) and stop.",
            )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, write nothing."
        )
        parser.add_argument(
            "--report", type=Path, help="Write the rejected rows and reasons to this .xlsx."
        )
        parser.add_argument(
            "--as-user",
            help="Import as this user, with their reach (default: the federation itself).",
        )

    def run_import(self, *, acting_user, source: Path, dry_run: bool, progress) -> ImportResult:
        raise NotImplementedError

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        if options.get("template"):
            options["template"].write_bytes(self.template.xlsx())
            return
        source: Path | None = options["file"]
        if source is None:
            raise CommandError(_("Name the file to import."))
        if not source.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": source})
        acting_user = None
        if options["as_user"]:
            acting_user = get_user_model().objects.filter(username=options["as_user"]).first()
            if acting_user is None:
                raise CommandError(_("No such user: %(name)s") % {"name": options["as_user"]})
        with tqdm(
            total=0, unit=_("rows"), file=sys.stderr, disable=not sys.stderr.isatty(), leave=False
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                result = self.run_import(
                    acting_user=acting_user,
                    source=source,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
            except ImportRefused as error:
                raise CommandError(str(error)) from None
        for outcome in result.rejected[:STDERR_ROWS]:
            for problem in outcome.problems:
                self.stderr.write(
                    _("row %(row)s, %(column)s: %(reason)s (%(label)s)")
                    % {
                        "row": outcome.row_number,
                        "column": problem.column,
                        "reason": problem.reason,
                        "label": outcome.label,
                    }
                )
        if len(result.rejected) > STDERR_ROWS:
            more = len(result.rejected) - STDERR_ROWS
            self.stderr.write(
                _("… and %(n)s more rejected rows; --report REPORT.xlsx lists them all.")
                % {"n": more}
            )
        if options["report"]:
            options["report"].write_bytes(report_xlsx(result, source_name=source.name))
        self.stdout.write(result.summary_line())
