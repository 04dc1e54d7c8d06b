"""The CSV files of ``laurel assign``: reading them strictly, writing the assignment.

ENTRIES.csv ``entry[,category][,unit]``; JUDGES.csv ``judge[,categories][,unit][,max_load]``
(categories ``|``-separated, empty = all; no max_load = no cap); CONFLICTS.csv
``judge,entry``; AFFINITY.csv ``judge,entry,affinity`` (higher is better, missing pairs 0).
Any problem raises ``AssignmentFileError`` naming the file and the row.
"""

import math
from pathlib import Path

from laurel.core.assignment import Entry, Judge
from laurel.core.csv_files import CsvFileError, csv_rows
from laurel.core.sheet_writer import csv_text


class AssignmentFileError(CsvFileError):
    """A file of ``laurel assign`` that cannot be used."""


def _rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...]):
    return csv_rows(path, required, optional, error=AssignmentFileError)


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
    """``entry,judge``, one row per pair (through ``core.sheet_writer``)."""
    return csv_text([("entry", "judge"), *pairs], line_end="\n")
