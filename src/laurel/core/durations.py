"""How long an act of a programme lasts, as people type it and as the pages show it.

Typed: minutes and seconds (``4:30``), whole minutes (``4``), or hours, minutes and seconds
(``1:05:00``); full-width digits and colons are folded first (``４：３０``). Seconds are always
two digits, so ``4:5`` is refused rather than guessed. Shown: ``mm:ss``, the minutes going
past 59 for a long total (``95:30``).
"""

import re
import unicodedata

MINUTES = re.compile(r"(\d{1,3})")
MINUTES_SECONDS = re.compile(r"(\d{1,3}):([0-5]\d)")
HOURS_MINUTES_SECONDS = re.compile(r"(\d{1,2}):([0-5]\d):([0-5]\d)")


class DurationInvalid(ValueError):
    """A typed duration refused, with a stable ``code``: ``format`` (not a duration as
    typed above), ``zero`` (no time at all) or ``too_long`` (past the longest allowed)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def duration_parse(text: str, *, longest: int) -> int:
    """The seconds ``text`` says, from 1 to ``longest``; ``DurationInvalid`` otherwise."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if match := MINUTES.fullmatch(typed):
        seconds = int(match[1]) * 60
    elif match := MINUTES_SECONDS.fullmatch(typed):
        seconds = int(match[1]) * 60 + int(match[2])
    elif match := HOURS_MINUTES_SECONDS.fullmatch(typed):
        seconds = int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3])
    else:
        raise DurationInvalid("format")
    if seconds == 0:
        raise DurationInvalid("zero")
    if seconds > longest:
        raise DurationInvalid("too_long")
    return seconds


def clock(seconds: int) -> str:
    """``seconds`` as ``mm:ss`` (``270`` → ``04:30``, ``5730`` → ``95:30``)."""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes:02d}:{rest:02d}"
