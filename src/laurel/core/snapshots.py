"""Published results as a verifiable snapshot: a canonical form and its SHA-256 digest.

The canonical form of a snapshot is the UTF-8 encoding of the JSON object

    {"contest": SLUG, "title": TITLE, "version": N, "published_at": ISO-8601 (UTC, seconds),
     "rows": [ROW, ...]}

with keys sorted, no whitespace (separators ``,`` and ``:``) and non-ASCII characters
written as themselves (not ``\\u`` escapes). Rows are in rank order; each row has exactly
the keys of ``SNAPSHOT_FIELDS``: ``rank`` an integer, ``score``, ``low`` and ``high``
decimal strings with four places (or null), every other value a string ("" when empty).
A row's ``author`` is the entrant's name, whatever the entrant (a member, a team, a unit),
and its ``unit`` the entrant's unit.

A contest whose units won prizes of their own (优秀组织奖: a prize for the contest as a whole,
not for an entry) has one more top-level key, ``"unit_prizes": [{"unit": NAME, "prize":
TIER}, ...]`` — both strings, in the order published (tier by tier, units by name). It is
there only when there is at least one such prize, so every snapshot without one has exactly
the form above, and the same bytes as before unit prizes existed.

Anyone can recompute the digest from a published snapshot with::

    hashlib.sha256(json.dumps(snapshot, ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")).encode()).hexdigest()
"""

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SNAPSHOT_FIELDS = (
    "rank",
    "entry",
    "title",
    "author",
    "unit",
    "category",
    "score",
    "low",
    "high",
    "prize",
)
NUMBER_FIELDS = ("score", "low", "high")


def decimal_text(value: float | None) -> str | None:
    """A score as the snapshot writes it: four decimal places, or None."""
    return None if value is None else f"{value:.4f}"


def score_rounded(text: str | None, places: int = 2) -> str | None:
    """A snapshot's decimal string as people read it: ``places`` decimals rounded half up
    (``"2.6750"`` → ``"2.68"``), in decimal arithmetic, never through a float; or None."""
    if text is None:
        return None
    return str(Decimal(text).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def snapshot_row(
    *,
    rank: int,
    entry: str,
    title: str,
    author: str,
    unit: str,
    category: str,
    score: float | None,
    low: float | None,
    high: float | None,
    prize: str,
) -> dict[str, Any]:
    return {
        "rank": int(rank),
        "entry": entry,
        "title": title,
        "author": author,
        "unit": unit,
        "category": category,
        "score": decimal_text(score),
        "low": decimal_text(low),
        "high": decimal_text(high),
        "prize": prize,
    }


def unit_prize_row(*, unit: str, prize: str) -> dict[str, str]:
    return {"unit": unit, "prize": prize}


def snapshot_build(
    *,
    contest: str,
    title: str,
    version: int,
    published_at: str,
    rows: Iterable[Mapping],
    unit_prizes: Iterable[Mapping] = (),
) -> dict[str, Any]:
    snapshot = {
        "contest": contest,
        "title": title,
        "version": version,
        "published_at": published_at,
        "rows": [dict(row) for row in rows],
    }
    unit_prizes = [dict(prize) for prize in unit_prizes]
    if unit_prizes:  # only then: a snapshot without any keeps the form it always had
        snapshot["unit_prizes"] = unit_prizes
    return snapshot


def snapshot_canonical(snapshot: Mapping[str, Any]) -> bytes:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def snapshot_digest(snapshot: Mapping[str, Any]) -> str:
    return hashlib.sha256(snapshot_canonical(snapshot)).hexdigest()


def rows_differences(stored: list[Mapping], live: list[Mapping]) -> list[str]:
    """What differs between the snapshot's rows and the rows the live data gives now, one
    sentence per difference, naming the entry and the field (English: for the command line)."""
    stored_by_entry = {row["entry"]: row for row in stored}
    live_by_entry = {row["entry"]: row for row in live}
    problems = []
    for entry in stored_by_entry.keys() - live_by_entry.keys():
        problems.append(f"entry {entry}: in the snapshot, no longer ranked")
    for entry in live_by_entry.keys() - stored_by_entry.keys():
        problems.append(f"entry {entry}: ranked now, not in the snapshot")
    for entry in sorted(stored_by_entry.keys() & live_by_entry.keys()):
        old, new = stored_by_entry[entry], live_by_entry[entry]
        for name in SNAPSHOT_FIELDS:
            if old.get(name) != new.get(name):
                problems.append(
                    f"entry {entry}: {name} is {old.get(name)!r} in the snapshot, "
                    f"{new.get(name)!r} now"
                )
    return sorted(problems)


def unit_prizes_differences(stored: list[Mapping], live: list[Mapping]) -> list[str]:
    """What differs between the snapshot's unit prizes and the units' prizes now, one sentence
    per unit prize found on one side only (English: for the command line)."""
    stored_pairs = Counter((prize["unit"], prize["prize"]) for prize in stored)
    live_pairs = Counter((prize["unit"], prize["prize"]) for prize in live)
    problems = [
        f"unit {unit}: {prize} in the snapshot, not given now"
        for unit, prize in (stored_pairs - live_pairs).elements()
    ]
    problems += [
        f"unit {unit}: {prize} given now, not in the snapshot"
        for unit, prize in (live_pairs - stored_pairs).elements()
    ]
    return sorted(problems)
