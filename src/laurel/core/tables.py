"""Reading spreadsheets as units really send them: .xlsx, .xls and .csv.

The format is decided by the file's content, never its name. A table is found by its header
row (title rows, merged title cells and blank rows above it are skipped), every cell becomes
trimmed text with full-width characters folded (NFKC), and merged cells inside the table give
their value to every cell they cover. Numbers are kept apart: a long number Excel stored as a
number has already lost its last digits, and callers must be able to say so.

Files are read safely (issue 18, workbook bombs). Before any XML is parsed, an .xlsx is
checked as the zip it is: its number of parts, their total size once unpacked and each
part's compression ratio; an .xls or a .csv by its size. Sheets are then read streaming
(openpyxl's read-only mode; its XML goes through defusedxml) and the row limit applies while
reading: a sheet over the limit is refused at the first row too many, never held whole.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import islice
from pathlib import Path

import openpyxl
import xlrd
from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import range_boundaries

MAX_HEADER_SEARCH_ROWS = 30
MAX_COLUMNS = 256  # columns read from the left; a roster is far narrower
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MB = 1024 * 1024
MAX_UNPACKED_BYTES = 50 * MB  # a file once opened: an .xlsx unzipped, a .csv as it is
MAX_XLS_BYTES = 10 * MB  # xlrd holds a whole .xls in memory, at ten times its size or more
MAX_ARCHIVE_PARTS = 1000  # a workbook of a hundred sheets has a few hundred
MAX_COMPRESSION_RATIO = 100  # sheet XML compresses 5–20 times; a bomb, hundreds or thousands
RATIO_CHECKED_FROM = 1 * MB  # a small part may compress as it likes
MAX_MERGED_RANGES = 10_000
# rows and cells in all the sheets' XML, blank ones included: openpyxl keeps a little of each
# row it has read, and spends time on every cell (a template formatted down to row 65,536
# has 65,536 rows; a full roster of 20,000 people, 20 columns, 400,000 cells)
MAX_ROW_ELEMENTS = 200_000
MAX_CELL_ELEMENTS = 2_000_000
MAX_CSV_LINE_CHARS = 100_000


class TableError(ValueError):
    """A file that cannot be read as a table at all. ``code`` is stable; ``detail`` is free;
    ``params`` are the values a message about the code names (sizes as ``size_text``)."""

    def __init__(self, code: str, detail: str = "", **params: object):
        super().__init__(f"{code}: {detail}" if detail else code)
        # empty | unreadable | not_a_table | no_header | too_many_rows | too_large |
        # too_large_unpacked | too_compressed | too_many_parts | too_many_sheet_rows |
        # too_many_sheet_cells | xls_too_large
        self.code = code
        self.detail = detail
        self.params = params


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


def size_text(size: int) -> str:
    """A size as a person reads it: ``'630 MB'``, ``'12.5 MB'``, ``'273 KB'``."""
    value, unit = (size / MB, "MB") if size >= MB else (size / 1024, "KB")
    text = f"{value:.0f}" if value >= 100 else f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"


def table_read(
    source: Path | str | bytes,
    columns: Sequence[Column],
    *,
    max_rows: int,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> Table:
    """Read the first sheet that has a header naming ``columns``; raise ``TableError``.

    ``source`` is a path or the file's bytes. Rows after the header become ``Record``s;
    blank rows are dropped. Unknown columns are ignored. A file larger than
    ``max_unpacked_bytes`` once opened is refused before it is parsed, and a sheet with more
    than ``max_rows`` records as soon as the reading passes them.
    """
    data = _source_bytes(source, max_unpacked_bytes)
    if not data or data.isspace():
        raise TableError("empty")
    no_header = TableError("no_header")
    for sheet in _sheets(data, max_unpacked_bytes):
        try:
            return _table_from_sheet(sheet, columns, max_rows)
        except TableError as error:
            if error.code != "no_header":
                raise
            no_header = error
    raise no_header


def _too_large(code: str, size: int, limit: int, what: str) -> TableError:
    return TableError(
        code,
        f"{what} {size_text(size)}; the limit is {size_text(limit)}",
        size=size_text(size),
        limit=size_text(limit),
    )


def _source_bytes(source: Path | str | bytes, limit: int) -> bytes:
    if isinstance(source, Path | str):
        path = Path(source)
        size = path.stat().st_size
        if size > limit:  # not even read
            raise _too_large("too_large", size, limit, "the file is")
        return path.read_bytes()
    if len(source) > limit:
        raise _too_large("too_large", len(source), limit, "the file is")
    return source


# --- a sheet, as every format gives it ---------------------------------------------------

Merge = tuple[
    int, int, int, int
]  # first row, end row, first column, end column: 0-based, ends excluded


@dataclass
class _Sheet:
    """A sheet being read: raw rows from the first (``None`` or ``""`` for an empty cell),
    how a raw value becomes a ``Cell``, and its merged ranges."""

    name: str
    rows: Iterator[Sequence[object]]
    convert: Callable[[object], Cell] = cell_text
    merges: list[Merge] = field(default_factory=list)


def _sheets(data: bytes, max_unpacked_bytes: int) -> Iterator[_Sheet]:
    if data.startswith(XLSX_MAGIC):
        yield from _xlsx_sheets(data, max_unpacked_bytes)
    elif data.startswith(XLS_MAGIC):
        yield from _xls_sheets(data, min(max_unpacked_bytes, MAX_XLS_BYTES))
    else:
        yield _csv_sheet(data)


# --- .xlsx --------------------------------------------------------------------------------


def archive_check(archive: zipfile.ZipFile, max_unpacked_bytes: int) -> frozenset[str]:
    """Refuse a zip that is a bomb, first from its directory alone: too many parts, too
    large once unpacked, a large part compressed beyond any spreadsheet; then, unpacking
    it a piece at a time without parsing, more rows or cells than a roster ever has.
    Returns the names of the parts that hold merged ranges (found on the same pass).

    The declared sizes bind: Python's zipfile never unpacks a part past its declared size
    (a part that holds more fails its CRC check, and the file is unreadable)."""
    parts = archive.infolist()
    if len(parts) > MAX_ARCHIVE_PARTS:
        raise TableError(
            "too_many_parts",
            f"{len(parts)} parts; the limit is {MAX_ARCHIVE_PARTS}",
            count=len(parts),
            limit=MAX_ARCHIVE_PARTS,
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked_bytes:
        raise _too_large(
            "too_large_unpacked", unpacked, max_unpacked_bytes, "expands when opened to"
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_CHECKED_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise TableError(
                "too_compressed",
                f"{part.filename} expands {ratio:.0f} times, to {size_text(part.file_size)}",
                part=part.filename,
                ratio=f"{ratio:.0f}",
                size=size_text(part.file_size),
                limit=MAX_COMPRESSION_RATIO,
            )
    rows, cells, with_merges = _elements_counted(archive)
    for count, limit, code in (
        (rows, MAX_ROW_ELEMENTS, "too_many_sheet_rows"),
        (cells, MAX_CELL_ELEMENTS, "too_many_sheet_cells"),
    ):
        if count > limit:
            detail = f"{count} (blank ones included); the limit is {limit}"
            raise TableError(code, detail, count=count, limit=limit)
    return with_merges


# a row, cell or merged range element's start tag, with or without a namespace prefix
ELEMENT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|mergeCell)[\s/>]")
LONGEST_START = 64  # bytes: a start tag that matches is shorter


def _elements_counted(archive: zipfile.ZipFile) -> tuple[int, int, frozenset[str]]:
    """Row and cell elements in every part (wherever the workbook says its sheets are),
    counted in the bytes as they are unpacked, never parsed; and the parts that hold a
    merged range."""
    counts = {b"row": 0, b"c": 0, b"mergeCell": 0}
    with_merges = set()
    for part in archive.infolist():
        merges_before = counts[b"mergeCell"]
        carried = b""
        with archive.open(part) as source:
            while block := source.read(MB):
                buffer = carried + block
                cut = buffer.rfind(b"<")
                if cut < 0 or len(buffer) - cut > LONGEST_START:
                    cut = len(buffer)
                for found in ELEMENT_START.finditer(buffer, 0, cut):
                    counts[found.group(1)] += 1
                carried = buffer[cut:]
        if carried and (found := ELEMENT_START.match(carried)):
            counts[found.group(1)] += 1
        if counts[b"mergeCell"] > merges_before:
            with_merges.add(part.filename)
    return counts[b"row"], counts[b"c"], frozenset(with_merges)


def _xlsx_sheets(data: bytes, max_unpacked_bytes: int) -> Iterator[_Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise TableError("unreadable", str(error)) from None
    with archive:
        with_merges = _unreadable_on_failure(lambda: archive_check(archive, max_unpacked_bytes))
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # any failure of the parser on a damaged file means the same
            raise TableError("unreadable", str(error)) from None
        try:
            for sheet in workbook.worksheets:
                # read-only sheets know no merged cells: their XML is read for them first
                # (at openpyxl 3.1's private _worksheet_path; the merged-cell tests of
                # tests/core/test_tables.py fail if that ever moves)
                path = sheet._worksheet_path.lstrip("/")
                merges = (
                    _unreadable_on_failure(lambda path=path: _xlsx_merges(archive, path))
                    if path in with_merges
                    else []
                )
                sheet.reset_dimensions()  # trust the cells, not the size the file declares
                rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
                yield _Sheet(sheet.title, _unreadable_while_reading(rows), merges=merges)
        finally:
            workbook.close()


def _unreadable_on_failure(read):
    try:
        return read()
    except TableError:
        raise
    except Exception as error:  # any failure of a parser on a damaged file means the same
        raise TableError("unreadable", str(error)) from None


def _unreadable_while_reading(rows: Iterator) -> Iterator:
    """``rows``, a parse failure on the way (a cut or hostile sheet) a ``TableError``."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:  # any failure of the parser on a damaged file
            raise TableError("unreadable", str(error)) from None
        yield row


def _xlsx_merges(archive: zipfile.ZipFile, path: str) -> list[Merge]:
    """The merged ranges of the sheet at ``path``, from its XML (streamed through defusedxml;
    row elements dropped as they end, so memory stays flat)."""
    merges: list[Merge] = []
    with archive.open(path) as source:
        sheet_data = None
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                if tag == "sheetData":
                    sheet_data = element
            elif tag == "row" and sheet_data is not None:
                sheet_data.clear()
            elif tag == "mergeCell":
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                merges.append((min_row - 1, max_row, min_col - 1, max_col))
                if len(merges) > MAX_MERGED_RANGES:
                    raise TableError("unreadable", f"over {MAX_MERGED_RANGES} merged ranges")
    return merges


def _xls_sheets(data: bytes, limit: int) -> Iterator[_Sheet]:
    if len(data) > limit:  # xlrd reads it whole: the size is all that can be checked first
        raise _too_large("xls_too_large", len(data), limit, "the .xls file is")
    try:  # xlrd writes its warnings to stdout unless given somewhere else to write them
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except Exception as error:  # any failure of the parser on a damaged file means the same
        raise TableError("unreadable", str(error)) from None
    for sheet in book.sheets():
        rows = (
            [
                None if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) else cell
                for cell in sheet.row(r)[:MAX_COLUMNS]
            ]
            for r in range(sheet.nrows)
        )

        def convert(cell, datemode=book.datemode) -> Cell:
            if cell.ctype == xlrd.XL_CELL_DATE:
                return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
            return cell_text(cell.value)

        if len(sheet.merged_cells) > MAX_MERGED_RANGES:
            raise TableError("unreadable", f"over {MAX_MERGED_RANGES} merged ranges")
        merges = [
            (first_row, end_row, first_col, min(end_col, MAX_COLUMNS))
            for first_row, end_row, first_col, end_col in sheet.merged_cells
            if first_col < MAX_COLUMNS
        ]
        yield _Sheet(sheet.name, rows, convert, merges)


# --- .csv ---------------------------------------------------------------------------------


def _csv_sheet(data: bytes) -> _Sheet:
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
    if not text or text.isspace():
        raise TableError("empty")
    if re.match(r"\s*(<|%PDF|\{)", text):
        raise TableError("not_a_table", "markup or document, not a table")
    delimiter = csv_delimiter(list(islice(_lines(text), MAX_HEADER_SEARCH_ROWS)))
    return _Sheet("", _csv_rows(csv.reader(_lines(text), delimiter=delimiter)))


LINE_END = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> Iterator[str]:
    """``text`` a line at a time, ends kept (never a copy of the whole); ``\\r\\n``, ``\\n``
    or an old Mac's ``\\r`` ends a line; an overlong line is refused."""
    start = 0
    while start < len(text):
        found = LINE_END.search(text, start)
        end = found.end() if found else len(text)
        if end - start > MAX_CSV_LINE_CHARS:
            raise TableError("not_a_table", f"a line longer than {MAX_CSV_LINE_CHARS} characters")
        yield text[start:end]
        start = end


def _csv_rows(reader) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as error:  # an overlong field, a stray quote at the end
        raise TableError("not_a_table", str(error)) from None


CSV_DELIMITERS = (",", "\t", ";", "，")  # the full-width comma: typed by hand in Chinese


def csv_delimiter(lines: list[str]) -> str:
    """The delimiter found on the most lines (title lines have none; ties go to the comma)."""
    counts = {d: sum(1 for line in lines if d in line) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


# --- from rows to a table -----------------------------------------------------------------


class _MergedCells:
    """A sheet's merged ranges applied to its rows as they stream past: a covered cell is a
    ``merged`` copy of its range's top-left value. Rows must be read in order."""

    def __init__(self, merges: list[Merge]):
        self.ranges = sorted(merges)
        self.top_left: list[Cell] = []  # the value of each range whose first row was read
        self.by_column: dict[int, list[int]] = {}  # column → ranges covering it, by first row
        for number, (_first_row, _end_row, first_col, end_col) in enumerate(self.ranges):
            for column in range(first_col, min(end_col, MAX_COLUMNS)):
                self.by_column.setdefault(column, []).append(number)
        self.seen: dict[int, int] = {}  # column → how many of its ranges have begun

    def row_read(self, index: int, raw: Sequence[object], convert) -> None:
        """Keep the top-left values of the ranges that begin on row ``index`` (or before)."""
        while len(self.top_left) < len(self.ranges) and self.ranges[len(self.top_left)][0] <= index:
            first_row, _end_row, first_col, _end_col = self.ranges[len(self.top_left)]
            value = raw[first_col] if first_row == index and first_col < len(raw) else None
            self.top_left.append(convert(value) if _filled(value) else Cell(""))

    def width(self, index: int) -> int:
        """How far right the ranges covering row ``index`` reach."""
        return max(
            (r[3] for r in self.ranges if r[0] <= index < r[1]),
            default=0,
        )

    def cell(self, index: int, column: int, raw: Sequence[object], convert) -> Cell:
        covering = self.by_column.get(column)
        if covering:
            begun = self.seen.get(column, 0)
            while begun < len(covering) and self.ranges[covering[begun]][0] <= index:
                begun += 1
            self.seen[column] = begun
            if begun:
                number = covering[begun - 1]
                first_row, end_row, first_col, _end_col = self.ranges[number]
                if index < end_row and (index, column) != (first_row, first_col):
                    return replace(self.top_left[number], merged=True)
        value = raw[column] if column < len(raw) else None
        return convert(value) if _filled(value) else Cell("")


def _filled(value: object) -> bool:
    return value is not None and value != ""


def _table_from_sheet(sheet: _Sheet, columns: Sequence[Column], max_rows: int) -> Table:
    aliases = {header_key(alias): column.key for column in columns for alias in column.aliases}
    merged = _MergedCells(sheet.merges)
    rows = enumerate(sheet.rows)
    head: list[list[Cell]] = []
    for index, raw in islice(rows, MAX_HEADER_SEARCH_ROWS):
        merged.row_read(index, raw, sheet.convert)
        width = min(MAX_COLUMNS, max(len(raw), merged.width(index)))
        head.append([merged.cell(index, c, raw, sheet.convert) for c in range(width)])
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(head):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = aliases.get(header_key(cell.text))
            if key and key not in found:
                found[key] = position
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (index, found)
    if best is None:
        raise TableError("no_header", sheet.name)
    header_index, positions = best
    missing = [c.key for c in columns if c.required and c.key not in positions]
    if missing:
        raise TableError("no_header", ", ".join(missing))
    header = head[header_index]
    table = Table(
        header_row_number=header_index + 1,
        columns={key: header[position].text for key, position in positions.items()},
        sheet_name=sheet.name,
    )

    def record_add(index: int, cells: dict[str, Cell]) -> None:
        if not any(cell.text and not cell.merged for cell in cells.values()):
            return  # blank, or only the overhang of a merged cell
        if len(table.records) >= max_rows:
            raise TableError("too_many_rows", str(max_rows))
        table.records.append(
            Record(
                row_number=index + 1,
                values={key: cell.text for key, cell in cells.items()},
                numeric=frozenset(key for key, cell in cells.items() if cell.numeric),
            )
        )

    for index in range(header_index + 1, len(head)):
        row = head[index]
        record_add(
            index, {key: row[p] if p < len(row) else Cell("") for key, p in positions.items()}
        )
    for index, raw in rows:  # the rest, streaming
        merged.row_read(index, raw, sheet.convert)
        if not any(p < len(raw) and _filled(raw[p]) for p in positions.values()):
            continue  # nothing typed in the table's columns: it cannot be a record
        cells = {key: merged.cell(index, p, raw, sheet.convert) for key, p in positions.items()}
        record_add(index, cells)
    return table
