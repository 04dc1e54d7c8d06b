"""Writes on judging rounds, one module per subject: setting a round up (``setup``), its
panel (``panel``), assigning entries to judges and moving work (``assignment``), opening it
(``opening``), saving reviews (``reviews``), progress and reminders (``progress``),
closing it into its results (``closing``), and deductions and tie decisions
(``deductions``). What they share is in ``_common``.

Every write is atomic and audited. The round's row is locked by every write that changes
who reviews what, so two changes never interleave. Callers import from here:
``from laurel.judging import services`` then ``services.round_create(...)``.
"""

from laurel.judging.selectors import JUDGED_STATES, round_entries
from laurel.judging.services._common import JudgingRefused
from laurel.judging.services.assignment import (
    AssignmentSummary,
    assignment_move,
    assignment_solve,
    assignment_summary,
    conflict_declare,
    judge_drop,
    round_seconds,
)
from laurel.judging.services.closing import round_close, round_rerank
from laurel.judging.services.deductions import (
    deduction_add,
    deduction_remove,
    tie_decide,
    tie_decides,
    tie_groups,
)
from laurel.judging.services.opening import RoundOpenPreview, round_open, round_open_preview
from laurel.judging.services.panel import (
    PanelCopied,
    SeatChoice,
    panel_copy,
    seat_add,
    seat_role_set,
    seats_add,
)
from laurel.judging.services.progress import (
    JudgeProgress,
    reminders_preview,
    reminders_send,
    round_progress,
)
from laurel.judging.services.reviews import review_save
from laurel.judging.services.setup import round_create

__all__ = [
    "JUDGED_STATES",
    "AssignmentSummary",
    "JudgeProgress",
    "JudgingRefused",
    "PanelCopied",
    "RoundOpenPreview",
    "SeatChoice",
    "assignment_move",
    "assignment_solve",
    "assignment_summary",
    "conflict_declare",
    "judge_drop",
    "panel_copy",
    "reminders_preview",
    "reminders_send",
    "review_save",
    "round_close",
    "round_create",
    "round_entries",
    "round_open",
    "round_open_preview",
    "round_progress",
    "round_rerank",
    "round_seconds",
    "seat_add",
    "seat_role_set",
    "seats_add",
    "deduction_add",
    "deduction_remove",
    "tie_decide",
    "tie_decides",
    "tie_groups",
]
