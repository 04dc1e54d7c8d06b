"""Whether a judging design lets every entry be compared with every other.

A design is the set of reviews, (entry, judge) pairs. Two entries can be compared when a
path of shared judges joins them (entry → judge → entry → …); calibration can only put
entries on one scale inside such a connected *part*. ``design_check`` finds the parts —
for the organiser's assignment summary and results page, and for ``laurel assign`` — and
counts the *bridging* reviews: reviews of an entry whose category is outside its judge's
categories (a judge with no categories, or an entry with none, never bridges).

Pure: no Django, no solver. It reads only ``id``, ``category`` and ``categories`` of the
entries and judges it is given (``core.assignment``'s ``Entry`` and ``Judge`` fit).
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


@dataclass(frozen=True)
class DesignPart:
    """Entries and judges joined by shared judges; nothing joins them to another part."""

    entries: tuple[str, ...]  # in the order of the entries given, then of the pairs
    judges: tuple[str, ...]
    categories: tuple[str, ...]  # of its entries, sorted; empty when none was given


@dataclass(frozen=True)
class Design:
    reviews: int
    bridging: int  # reviews of an entry outside its judge's categories
    parts: tuple[DesignPart, ...]  # largest first (by entries); one part: connected

    @property
    def connected(self) -> bool:
        return len(self.parts) <= 1

    @property
    def bridging_share(self) -> float:
        return self.bridging / self.reviews if self.reviews else 0.0


def bridging_review(entry_category: str, judge_categories: Iterable[str]) -> bool:
    """A review of an entry outside its judge's categories (both must have some)."""
    categories = frozenset(judge_categories)
    return bool(entry_category) and bool(categories) and entry_category not in categories


def design_check(
    pairs: Iterable[tuple[str, str]], *, entries: Iterable = (), judges: Iterable = ()
) -> Design:
    """The parts of the design ``pairs`` ((entry, judge) reviews) and its bridging reviews.

    ``entries`` and ``judges`` are optional: entries given but never reviewed are parts of
    their own (nothing compares them); categories come from them, and without them every
    entry is taken to have none. Judges without a review belong to no part.
    """
    pairs = list(pairs)
    category = {entry.id: entry.category for entry in entries}
    judge_categories = {judge.id: frozenset(judge.categories) for judge in judges}
    entry_ids = list(dict.fromkeys([*category, *(entry for entry, _judge in pairs)]))
    judge_ids = list(dict.fromkeys(judge for _entry, judge in pairs))
    parts = design_parts(pairs, entry_ids)
    named = tuple(
        DesignPart(
            entries=tuple(entry_ids[e] for e in part_entries),
            judges=tuple(judge_ids[j] for j in part_judges),
            categories=tuple(sorted({category.get(entry_ids[e], "") for e in part_entries} - {""})),
        )
        for part_entries, part_judges in parts
    )
    bridging = sum(
        bridging_review(category.get(entry, ""), judge_categories.get(judge, ()))
        for entry, judge in pairs
    )
    return Design(reviews=len(pairs), bridging=bridging, parts=named)


def design_parts(
    pairs: list[tuple[str, str]], entry_ids: list[str]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The connected parts as (entry positions in ``entry_ids``, judge positions in the
    order judges are first met in ``pairs``), largest first; ties keep the order the parts'
    first entries have in ``entry_ids``."""
    if not entry_ids:
        return []
    entry_index = {entry: position for position, entry in enumerate(entry_ids)}
    judge_index: dict[str, int] = {}
    for _entry, judge in pairs:
        judge_index.setdefault(judge, len(judge_index))
    n, m = len(entry_ids), len(judge_index)
    rows = np.fromiter((entry_index[e] for e, _j in pairs), dtype=np.int64, count=len(pairs))
    columns = np.fromiter((judge_index[j] for _e, j in pairs), dtype=np.int64, count=len(pairs))
    graph = coo_matrix((np.ones(len(pairs)), (rows, n + columns)), shape=(n + m, n + m))
    count, label = connected_components(graph, directed=False)
    entries_of = _members(label[:n], count)
    judges_of = _members(label[n:], count)
    parts = list(zip(entries_of, judges_of, strict=True))  # every part holds an entry
    return sorted(parts, key=lambda part: (-len(part[0]), part[0][0]))


def _members(label: np.ndarray, count: int) -> list[np.ndarray]:
    """Positions holding each label 0..count−1, ascending."""
    order = np.argsort(label, kind="stable")
    return np.split(order, np.searchsorted(label[order], np.arange(1, count)))
