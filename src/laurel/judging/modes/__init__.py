"""A round's mode (``Round.mode``), each a module: ``qualify`` (pass / fail, a third judge
on a disagreement, the passed qualified) and ``score`` (weighted criteria, ranked and
calibrated). A module says how a review is read, checked and saved and what follows it,
whether the mode takes criteria and ranks (the contest's final round is its last closed
ranking round), how a closed round's results are computed and what follows closing, and the
page parts the judge and the organiser see (``base.RoundMode``). Everything else asks
``round.round_mode`` (or ``mode_of``) instead of comparing ``mode`` values
(tests/judging/test_mode_modules.py enforces it). A new mode is a module and a
``register`` of it here."""

from laurel.judging.modes.base import ReviewFieldsRefused, RoundMode
from laurel.judging.modes.qualify import QUALIFY
from laurel.judging.modes.score import SCORE

__all__ = [
    "MODES",
    "ReviewFieldsRefused",
    "RoundMode",
    "choices",
    "mode_of",
    "ranking_codes",
    "register",
    "unregister",
]

MODES: dict[str, RoundMode] = {}


def register(mode: RoundMode) -> RoundMode:
    """Add ``mode`` to the modes a round may have (its code at most 20 characters)."""
    if not mode.code or len(mode.code) > 20 or mode.code in MODES:
        raise ValueError(f"A mode needs a new code of at most 20 characters: {mode.code!r}")
    MODES[mode.code] = mode
    return mode


def unregister(mode: RoundMode) -> None:
    """Take ``mode`` out again (tests that register a mode of their own)."""
    MODES.pop(mode.code, None)


def mode_of(round_or_code) -> RoundMode:
    """The mode of a round, or of a mode's code."""
    return MODES[getattr(round_or_code, "mode", round_or_code)]


def choices() -> list[tuple[str, str]]:
    """``Round.mode``'s choices: every registered mode's code and label."""
    return [(mode.code, mode.label) for mode in MODES.values()]


def ranking_codes() -> list[str]:
    """The codes of the modes that rank (their last closed round is a contest's final)."""
    return [mode.code for mode in MODES.values() if mode.ranks]


register(QUALIFY)
register(SCORE)
