"""Bulk submission: a unit's sheet of entries kept, planned, then each file sent submitted as
the entry its row describes."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.contests import bulk, policy
from laurel.contests.models import BulkSubmission, Category, Contest, Declaration, Entry
from laurel.contests.services.entries import SubmissionRefused, Upload, entry_submit
from laurel.members.models import Member


@transaction.atomic
def bulk_start(*, acting_user, contest: Contest, content: bytes, filename: str) -> BulkSubmission:
    """Read a unit's sheet of entries and keep it, planned, to match the files sent next.
    Raises ``importing.ImportRefused`` when the sheet cannot be used at all."""
    access = access_for(acting_user)
    if not policy.may_submit_for_members(access, contest):
        raise SubmissionRefused(_("This contest does not take entries from unit admins."))
    if refusal := bulk.bulk_refusal(contest):
        raise SubmissionRefused(refusal)
    rows = bulk.bulk_plan(access, contest, bulk.bulk_sheet_read(content, filename))
    submission = BulkSubmission.objects.create(
        contest=contest,
        uploaded_by=acting_user,
        sheet_name=filename[:255],
        rows=[_bulk_row_json(row) for row in rows],
    )
    audit_log(
        actor=acting_user,
        action="contests.bulk.started",
        obj=contest,
        data={"sheet": filename, "rows": len(rows), "invalid": sum(not r.ok for r in rows)},
    )
    return submission


def _bulk_row_json(row: bulk.BulkRow) -> dict:
    return {
        "row": row.row_number,
        "file": row.file_name,
        "title": row.title,
        "author": row.author.pk if row.author else None,
        "author_label": row.author_label,
        "category": row.category.pk if row.category else None,
        "description": row.description,
        "place": row.place,
        "taken_on": row.taken_on.isoformat() if row.taken_on else None,
        "declared": row.declared,
        "status": "waiting" if row.ok else "invalid",
        "reason": " ".join(row.problems),
        "entry": None,
    }


@dataclass
class BulkFileOutcome:
    file: str
    status: str  # submitted (then the entry's state says more) | refused | unmatched
    reason: str = ""
    row: int | None = None
    entry: Entry | None = None


def bulk_file_submit(*, acting_user, submission: BulkSubmission, upload: Upload) -> BulkFileOutcome:
    """Submit one file of a bulk submission as the entry its sheet row describes.

    The submission's row stays locked until the entry is written, so the same file sent
    twice at once makes one entry; processing starts after the commit."""
    entry = None
    with transaction.atomic():
        submission = BulkSubmission.objects.select_for_update().get(pk=submission.pk)
        row = bulk.FileIndex(submission.rows, lambda r: r["file"]).find(upload.name)
        if row is None:
            reason = _("No row of the spreadsheet names this file.")
            submission.files = [*submission.files, {"file": upload.name, "reason": reason}]
            submission.save(update_fields=["files"])
            return BulkFileOutcome(upload.name, "unmatched", reason)
        if row["status"] == "invalid":
            return BulkFileOutcome(upload.name, "refused", row["reason"], row["row"])
        if row["status"] == "submitted":
            return BulkFileOutcome(
                upload.name, "refused", _("This row's file was already submitted."), row["row"]
            )
        contest = submission.contest
        try:
            entry = entry_submit(
                acting_user=acting_user,
                contest=contest,
                author=Member.objects.select_related("unit").get(pk=row["author"]),
                category=Category.objects.get(pk=row["category"], contest=contest),
                title=row["title"],
                uploads=[upload],
                description=row["description"],
                place=row["place"],
                taken_on=datetime.date.fromisoformat(row["taken_on"]) if row["taken_on"] else None,
                declarations=Declaration.values if row["declared"] else (),
            )
        except SubmissionRefused as error:
            row["status"], row["reason"] = "refused", " ".join(error.messages)
        else:
            row["status"], row["reason"], row["entry"] = "submitted", "", entry.pk
        submission.save(update_fields=["rows"])
    if entry is None:
        return BulkFileOutcome(upload.name, "refused", row["reason"], row["row"])
    entry.refresh_from_db()  # processed inline when there is no worker
    return BulkFileOutcome(upload.name, "submitted", entry.refusal_reason, row["row"], entry)
