"""A course's completion: a member completes it when they have attended at least a set share
of its classes (``percent``, 1–100). Integer arithmetic only, so "exactly at the share"
is never lost to rounding: 8 of 10 classes at 80 % completes, 7 does not.
"""

from dataclasses import dataclass
from enum import StrEnum


class Standing(StrEnum):
    COMPLETED = "completed"  # attended enough already
    ON_TRACK = "on_track"  # may still attend enough of the classes to come
    OUT_OF_REACH = "out_of_reach"  # cannot attend enough any more


def classes_needed(classes: int, percent: int) -> int:
    """The fewest classes of ``classes`` that make ``percent`` % (rounded up): 8 of 10 at
    80 %, 7 of 9 at 75 % (6.75)."""
    if not 1 <= percent <= 100:
        raise ValueError(f"percent out of 1–100: {percent}")
    if classes < 0:
        raise ValueError(f"classes below zero: {classes}")
    return -(-classes * percent // 100)


def has_completed(attended: int, classes: int, percent: int) -> bool:
    """At least ``percent`` % of ``classes`` attended (a course without classes: never)."""
    return classes > 0 and attended >= classes_needed(classes, percent)


@dataclass(frozen=True)
class Progress:
    attended: int
    classes: int  # every class of the course, held or to come
    to_come: int  # classes not held yet
    needed: int

    @property
    def standing(self) -> Standing:
        """Completed, on track, or out of reach; a course without classes yet is on track
        (nothing is held that could be missed)."""
        if self.classes > 0 and self.attended >= self.needed:
            return Standing.COMPLETED
        if self.attended + self.to_come >= self.needed:
            return Standing.ON_TRACK
        return Standing.OUT_OF_REACH

    @property
    def percent_attended(self) -> int:
        """Of the classes held so far, the share attended (whole per cent, rounded down)."""
        held = self.classes - self.to_come
        return self.attended * 100 // held if held else 0


def progress(attended: int, classes: int, to_come: int, percent: int) -> Progress:
    if not 0 <= to_come <= classes or not 0 <= attended <= classes - to_come:
        raise ValueError(f"attended {attended}, to come {to_come} of {classes} classes")
    return Progress(attended, classes, to_come, classes_needed(classes, percent))
