"""The CSV files of ``laurel rank``: reading scores and pairs strictly, writing the ranking.

SCORES.csv has a header with at least ``entry,judge,score`` (other columns ignored);
PAIRS.csv ``judge,winner,loser``. Any problem raises ``RankingFileError`` naming the row.
"""

import math
from decimal import Decimal
from pathlib import Path

from laurel.core.csv_files import CsvFileError, csv_rows
from laurel.core.ranking import Comparison, Ranking, Review, weighted_score
from laurel.core.sheet_writer import csv_text


class RankingFileError(CsvFileError):
    """A file of ``laurel rank`` that cannot be used."""


def _rows(path: Path, required: tuple[str, ...]):
    return csv_rows(path, required, error=RankingFileError, allow_no_rows=False)


def scale_parse(text: str) -> tuple[float, float]:
    """``"1:10"`` → (1.0, 10.0)."""
    try:
        low, high = (float(part) for part in text.split(":"))
    except ValueError:
        raise ValueError(f"--scale {text!r} is not MIN:MAX") from None
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise ValueError(f"--scale {text!r}: MIN must be below MAX")
    return low, high


def weights_parse(text: str) -> dict[str, float]:
    """``"主题=30,构图=30,技术=20,创意=20"`` → {"主题": 30.0, ...}."""
    weights = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        try:
            weights[name.strip().lower()] = float(value)
        except ValueError:
            raise ValueError(f"--weights {text!r}: {part!r} is not NAME=WEIGHT") from None
    if sum(weights.values()) <= 0 or any(w < 0 for w in weights.values()):
        raise ValueError(f"--weights {text!r}: weights are positive numbers")
    return weights


def _number(path, number, column, text, scale) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise RankingFileError(path, number, f"{column} {text!r} is not a number")
    if scale is not None and not scale[0] <= value <= scale[1]:
        raise RankingFileError(
            path, number, f"{column} {text} is outside the scale {scale[0]:g}–{scale[1]:g}"
        )
    return value


def scores_read(
    path: Path,
    scale: tuple[float, float] | None = None,
    weights: dict[str, float] | None = None,
) -> list[Review]:
    """Reviews from SCORES.csv; with ``weights``, each row's score is the weighted mean of
    those criterion columns (each on ``scale``) instead of a ``score`` column."""
    reviews, seen = [], {}
    columns = ("entry", "judge", *(weights or {"score": 1}))
    for number, row in _rows(path, columns):
        if weights:
            criteria = {name: _number(path, number, name, row[name], scale) for name in weights}
            score = weighted_score(criteria, weights)
        else:
            score = _number(path, number, "score", row["score"], scale)
        pair = (row["entry"], row["judge"])
        if pair in seen:
            raise RankingFileError(
                path,
                number,
                f"judge {pair[1]!r} scored entry {pair[0]!r} twice (also in row {seen[pair]})",
            )
        seen[pair] = number
        reviews.append(Review(row["entry"], row["judge"], score))
    return reviews


def pairs_read(path: Path) -> list[Comparison]:
    comparisons = []
    for number, row in _rows(path, ("judge", "winner", "loser")):
        if row["winner"] == row["loser"]:
            raise RankingFileError(path, number, f"{row['winner']!r} cannot beat itself")
        comparisons.append(Comparison(row["judge"], row["winner"], row["loser"]))
    return comparisons


def ranking_csv(ranking: Ranking) -> str:
    """``rank,entry,score,low,high,reviews``; numbers to 4 decimals, no interval: empty
    (through ``core.sheet_writer``: an entry named like a formula is neutralised)."""
    rows = (
        [
            row.rank,
            row.entry,
            _decimal(row.score),
            _decimal(row.low),
            _decimal(row.high),
            row.reviews,
        ]
        for row in ranking.entries
    )
    return csv_text([["rank", "entry", "score", "low", "high", "reviews"], *rows], line_end="\n")


def _decimal(value: float | None) -> Decimal | None:
    """A number to four decimals, kept a number (``-0.5`` is no formula to neutralise)."""
    return None if value is None else Decimal(f"{value:.4f}")
