"""The CSV files of ``laurel assign``: reading them strictly, writing the assignment.

ENTRIES.csv ``entry[,category][,unit]``; JUDGES.csv ``judge[,categories][,unit][,max_load]``
(categories ``|``-separated, empty = all; no max_load = no cap); CONFLICTS.csv
``judge,entry``; AFFINITY.csv ``judge,entry,affinity`` (higher is better, missing pairs 0).
Any problem raises ``AssignmentFileError`` naming the file and the row.
"""

import csv
import io
import math
from pathlib import Path

from laurel.core.assignment import Entry, Judge


class AssignmentFileError(ValueError):
    def __init__(self, path: Path, row: int | None, message: str):
        where = f"{path}, row {row}" if row else str(path)
        super().__init__(f"{where}: {message}")


def _rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...]):
    """Yield (row number, {column: text}) for each data row; the header is row 1."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise AssignmentFileError(path, None, f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise AssignmentFileError(path, None, "is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise AssignmentFileError(path, None, "is empty: it needs a header row")
    columns = [cell.strip().lower() for cell in header]
    missing = [name for name in required if name not in columns]
    if missing:
        raise AssignmentFileError(
            path, 1, f"missing column {', '.join(missing)} (the header has: {', '.join(columns)})"
        )
    known = {name: columns.index(name) for name in (*required, *optional) if name in columns}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for name, i in known.items()}
        for name in required:
            if not values[name]:
                raise AssignmentFileError(path, number, f"the {name} column is empty")
        yield number, values


def _unique(path: Path, number: int, seen: dict[str, int], identifier: str, what: str) -> None:
    if identifier in seen:
        raise AssignmentFileError(
            path, number, f"duplicate {what} {identifier!r} (also in row {seen[identifier]})"
        )
    seen[identifier] = number


def entries_read(path: Path) -> list[Entry]:
    entries, seen = [], {}
    for number, row in _rows(path, ("entry",), ("category", "unit")):
        _unique(path, number, seen, row["entry"], "entry")
        entries.append(Entry(row["entry"], row.get("category", ""), row.get("unit", "")))
    if not entries:
        raise AssignmentFileError(path, None, "has no entries")
    return entries


def judges_read(path: Path) -> list[Judge]:
    judges, seen = [], {}
    for number, row in _rows(path, ("judge",), ("categories", "unit", "max_load")):
        _unique(path, number, seen, row["judge"], "judge")
        cap = row.get("max_load", "")
        if cap:
            try:
                max_load = int(cap)
            except ValueError:
                raise AssignmentFileError(
                    path, number, f"max_load {cap!r} is not a whole number"
                ) from None
            if max_load < 0:
                raise AssignmentFileError(path, number, f"max_load {cap!r} is negative")
        else:
            max_load = None
        categories = frozenset(c.strip() for c in row.get("categories", "").split("|") if c.strip())
        judges.append(Judge(row["judge"], categories, row.get("unit", ""), max_load))
    if not judges:
        raise AssignmentFileError(path, None, "has no judges")
    return judges


def _pair(path, number, row, judge_ids, entry_ids) -> tuple[str, str]:
    if row["judge"] not in judge_ids:
        raise AssignmentFileError(path, number, f"unknown judge {row['judge']!r}")
    if row["entry"] not in entry_ids:
        raise AssignmentFileError(path, number, f"unknown entry {row['entry']!r}")
    return row["judge"], row["entry"]


def conflicts_read(path: Path, judge_ids: set[str], entry_ids: set[str]) -> set[tuple[str, str]]:
    return {
        _pair(path, number, row, judge_ids, entry_ids)
        for number, row in _rows(path, ("judge", "entry"), ())
    }


def affinity_read(
    path: Path, judge_ids: set[str], entry_ids: set[str]
) -> dict[tuple[str, str], float]:
    affinity: dict[tuple[str, str], float] = {}
    seen: dict[str, int] = {}
    for number, row in _rows(path, ("judge", "entry", "affinity"), ()):
        pair = _pair(path, number, row, judge_ids, entry_ids)
        _unique(path, number, seen, f"{pair[0]},{pair[1]}", "judge,entry pair")
        try:
            value = float(row["affinity"])
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise AssignmentFileError(path, number, f"affinity {row['affinity']!r} is not a number")
        affinity[pair] = value
    return affinity


def assignment_csv(pairs: list[tuple[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["entry", "judge"])
    writer.writerows(pairs)
    return buffer.getvalue()
