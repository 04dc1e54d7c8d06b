"""Reading spreadsheets as units really send them: .xlsx, .xls and .csv.

The format is decided by the file's content, never its name. A table is found by its header
row (title rows, merged title cells and blank rows above it are skipped), every cell becomes
trimmed text with full-width characters folded (NFKC), and merged cells inside the table give
their value to every cell they cover. Numbers are kept apart: a long number Excel stored as a
number has already lost its last digits, and callers must be able to say so.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import xlrd

MAX_HEADER_SEARCH_ROWS = 30
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class TableError(ValueError):
    """A file that cannot be read as a table at all. ``code`` is stable; ``detail`` is free."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code  # empty | unreadable | not_a_table | no_header | too_many_rows
        self.detail = detail


@dataclass(frozen=True)
class Column:
    """A column a reader looks for: its key and the header texts that name it."""

    key: str
    aliases: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class Record:
    """One data row: its row number as the user sees it (1-based) and its cells by key."""

    row_number: int
    values: dict[str, str]
    numeric: frozenset[str] = frozenset()  # keys whose cell held a number, not text

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class Table:
    header_row_number: int
    columns: dict[str, str]  # key → the header text as written
    records: list[Record] = field(default_factory=list)
    sheet_name: str = ""


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    merged: bool = False  # a copy of a merged range's value, not typed in this row


def header_key(text: str) -> str:
    """Fold a header for comparison: ``' 身份证号码（必填）* '`` → ``'身份证号码'``."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = re.sub(r"\((必填|选填|可选|required|optional)\)", "", folded)
    return re.sub(r"[\s*_:：]", "", folded)


def cell_text(value: object) -> Cell:
    if value is None:
        return Cell("")
    if isinstance(value, bool):
        return Cell("1" if value else "0")
    if isinstance(value, int):
        return Cell(str(value), numeric=True)
    if isinstance(value, float):
        if value.is_integer():
            return Cell(f"{value:.0f}", numeric=True)
        return Cell(repr(value), numeric=True)
    if isinstance(value, datetime):
        return Cell(value.date().isoformat() if value.time() == datetime.min.time() else str(value))
    if isinstance(value, date):
        return Cell(value.isoformat())
    text = unicodedata.normalize("NFKC", str(value))
    return Cell(text.replace("\u200b", "").replace("\ufeff", "").strip())


def table_read(source: Path | str | bytes, columns: Sequence[Column], *, max_rows: int) -> Table:
    """Read the first sheet that has a header naming ``columns``; raise ``TableError``.

    ``source`` is a path or the file's bytes. Rows after the header become ``Record``s;
    blank rows are dropped. Unknown columns are ignored.
    """
    data = Path(source).read_bytes() if isinstance(source, Path | str) else source
    if not data.strip():
        raise TableError("empty")
    no_header = TableError("no_header")
    for name, grid in _sheets(data):
        try:
            return _table_from_grid(grid, columns, name, max_rows)
        except TableError as error:
            if error.code != "no_header":
                raise
            no_header = error
    raise no_header


def _sheets(data: bytes) -> Iterable[tuple[str, list[list[Cell]]]]:
    if data.startswith(XLSX_MAGIC):
        yield from _xlsx_sheets(data)
    elif data.startswith(XLS_MAGIC):
        yield from _xls_sheets(data)
    else:
        yield "", _csv_grid(data)


def _xlsx_sheets(data: bytes):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # any failure of the parser on a damaged file means the same
        raise TableError("unreadable", str(error)) from None
    for sheet in workbook.worksheets:
        grid = [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top_left = grid[merged.min_row - 1][merged.min_col - 1]
            _fill(
                grid,
                merged.min_row - 1,
                merged.max_row,
                merged.min_col - 1,
                merged.max_col,
                top_left,
            )
        yield sheet.title, grid


def _xls_sheets(data: bytes):
    try:  # xlrd writes its warnings to stdout unless given somewhere else to write them
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except Exception as error:  # any failure of the parser on a damaged file means the same
        raise TableError("unreadable", str(error)) from None
    for sheet in book.sheets():
        grid = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(Cell(""))
                else:
                    row.append(cell_text(cell.value))
            grid.append(row)
        for first_row, end_row, first_col, end_col in sheet.merged_cells:
            _fill(grid, first_row, end_row, first_col, end_col, grid[first_row][first_col])
        yield sheet.name, grid


def _fill(grid, first_row, end_row, first_col, end_col, value: Cell) -> None:
    for r in range(first_row, min(end_row, len(grid))):
        row = grid[r]
        while len(row) < end_col:
            row.append(Cell(""))
        for c in range(first_col, end_col):
            row[c] = value if (r, c) == (first_row, first_col) else replace(value, merged=True)


def _csv_grid(data: bytes) -> list[list[Cell]]:
    if b"\x00" in data[:4096]:
        raise TableError("not_a_table", "binary content")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("not_a_table", "unknown text encoding")
    if not text.strip():
        raise TableError("empty")
    if text.lstrip().startswith(("<", "%PDF", "{")):
        raise TableError("not_a_table", "markup or document, not a table")
    delimiter = csv_delimiter(text.splitlines()[:MAX_HEADER_SEARCH_ROWS])
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [[cell_text(value) for value in row] for row in rows]


CSV_DELIMITERS = (",", "\t", ";", "，")  # the full-width comma: typed by hand in Chinese


def csv_delimiter(lines: list[str]) -> str:
    """The delimiter found on the most lines (title lines have none; ties go to the comma)."""
    counts = {d: sum(1 for line in lines if d in line) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _table_from_grid(grid, columns: Sequence[Column], sheet_name: str, max_rows: int) -> Table:
    aliases = {header_key(alias): column.key for column in columns for alias in column.aliases}
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(grid[:MAX_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = aliases.get(header_key(cell.text))
            if key and key not in found:
                found[key] = position
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (index, found)
    if best is None:
        raise TableError("no_header", sheet_name)
    header_index, positions = best
    missing = [c.key for c in columns if c.required and c.key not in positions]
    if missing:
        raise TableError("no_header", ", ".join(missing))
    header = grid[header_index]
    table = Table(
        header_row_number=header_index + 1,
        columns={key: header[position].text for key, position in positions.items()},
        sheet_name=sheet_name,
    )
    for index in range(header_index + 1, len(grid)):
        row = grid[index]
        cells = {key: row[p] if p < len(row) else Cell("") for key, p in positions.items()}
        if not any(cell.text and not cell.merged for cell in cells.values()):
            continue  # blank, or only the overhang of a merged cell
        if len(table.records) >= max_rows:
            raise TableError("too_many_rows", str(max_rows))
        table.records.append(
            Record(
                row_number=index + 1,
                values={key: cell.text for key, cell in cells.items()},
                numeric=frozenset(key for key, cell in cells.items() if cell.numeric),
            )
        )
    return table
