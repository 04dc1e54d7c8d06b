"""Writes on contests and entries, one module per subject: ``setup`` (a contest's settings and
states), ``copying`` (a previous contest as a new draft), ``entries`` (submitting, editing,
withdrawing, declaring), ``processing`` (settling an entry once its photos are processed),
``screening`` (flags and their decisions), ``bulk_submission`` (a unit's sheet and files).
Every write is atomic and audited. Callers import the names from here.
"""

from laurel.contests.services._common import FORMATS, contest_settings, prize_tier_rows
from laurel.contests.services.bulk_submission import BulkFileOutcome, bulk_file_submit, bulk_start
from laurel.contests.services.copying import MOVED_DATES, contest_copy, contest_copy_dates
from laurel.contests.services.entries import (
    SubmissionRefused,
    Upload,
    entry_declare,
    entry_submit,
    entry_update,
    entry_withdraw,
)
from laurel.contests.services.processing import (
    entries_requeue_unsettled,
    entry_process,
    entry_queue,
    entry_settle,
)
from laurel.contests.services.screening import flag_answer, flag_resolve
from laurel.contests.services.setup import (
    CONTEST_FIELDS,
    TRANSITIONS,
    ClosePreview,
    contest_close_preview,
    contest_create,
    contest_transition,
    contest_update,
)

__all__ = [
    "CONTEST_FIELDS",
    "FORMATS",
    "contest_settings",
    "MOVED_DATES",
    "TRANSITIONS",
    "BulkFileOutcome",
    "ClosePreview",
    "SubmissionRefused",
    "Upload",
    "bulk_file_submit",
    "bulk_start",
    "contest_close_preview",
    "contest_copy",
    "contest_copy_dates",
    "contest_create",
    "contest_transition",
    "contest_update",
    "entries_requeue_unsettled",
    "entry_declare",
    "entry_process",
    "entry_queue",
    "entry_settle",
    "entry_submit",
    "entry_update",
    "entry_withdraw",
    "flag_answer",
    "flag_resolve",
    "prize_tier_rows",
]
