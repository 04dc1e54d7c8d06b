"""Many entries at once from a folder or a zip (``laurel media ingest DIR|ZIP --contest``).

Each file becomes an entry. With a spreadsheet (``bulk.BULK_COLUMNS``) a file's row says
its title, author, category and the rest, files matched to rows by ``bulk.FileIndex``;
without one, the files' places say it::

    <category name>/<author's ID number or mobile>_<title>.<ext>

Speed matters (a city's contest is thousands of photos), so the work is in three passes:
every file is stored and its entry created by ``services.entry_submit(process=False)``, one
after another (the database sees one writer); then the photos are processed on a thread
per core (``media.ingest.assets_process_parallel``); then each entry is settled and
screened (``services.entry_settle``). One bad file never stops the batch: what became of
each is in the result.
"""

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from laurel.accounts.policy import access_for
from laurel.contests import bulk, policy, services
from laurel.contests.models import Category, Contest, Declaration, Entry, EntryFile, Flag
from laurel.core.tables import Record, Table
from laurel.importing import Progress, no_progress, status_counts
from laurel.media import services as media_services
from laurel.media.ingest import SourceFile, assets_process_parallel, source_files
from laurel.members.models import Member

STATUSES = ("accepted", "refused", "duplicate")
DUPLICATE_FLAGS = (Flag.Kind.DUPLICATE, Flag.Kind.DUPLICATE_PAST)
ID_CARD = re.compile(r"^(\d{17}[\dXx]|\d{15})$")


@dataclass
class EntryPlan:
    """One entry to make of a batch: its files (one, or a series) and what it is. An entry
    with ``problems`` is refused without submitting anything."""

    files: list[SourceFile]
    author: Member | None = None
    category: Category | None = None
    title: str = ""
    description: str = ""
    place: str = ""
    taken_on: datetime.date | None = None
    declarations: Sequence[str] = ()
    row: int | None = None  # the spreadsheet's row, when there is one
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "、".join(f.name for f in self.files)


@dataclass
class FileOutcome:
    """What became of a file (or a series' files): ``accepted``; ``duplicate`` (accepted,
    and screening found it duplicates another entry); ``refused``, and why."""

    file: str
    status: str
    reason: str = ""
    row: int | None = None
    entry_id: int | None = None


@dataclass
class RowWithoutFile:
    row: int
    file: str
    problems: list[str]


@dataclass
class EntriesIngestResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    rows_without_file: list[RowWithoutFile] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return status_counts(self.outcomes, STATUSES)

    def summary_line(self) -> str:
        """The contract other tools read: ``accepted N, refused N, duplicate N``."""
        return ", ".join(f"{status} {count}" for status, count in self.counts.items())

    @property
    def refused(self) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "refused"]


def entries_ingest(
    *,
    acting_user,
    contest: Contest,
    source: Path,
    sheet: Path | None = None,
    progress: Progress = no_progress,
    workers: int | None = None,
) -> EntriesIngestResult:
    """Make an entry of every file of ``source`` (a folder or a .zip) for its author.

    Raises ``services.SubmissionRefused`` when this user may not submit for members here or
    the contest takes no entries now (nothing is stored), ``importing.ImportRefused`` when
    the sheet cannot be read at all.
    """
    access = access_for(acting_user)
    if not policy.may_submit_for_members(access, contest):
        raise services.SubmissionRefused(
            _("You may not submit entries for members in this contest.")
        )
    if refusal := bulk.bulk_refusal(contest):
        raise services.SubmissionRefused(refusal)
    if not contest.accepts_entries():
        raise services.SubmissionRefused(_("This contest is not taking entries now."))
    files = source_files(source, media_services.photo_limits().max_bytes)
    result = EntriesIngestResult()
    if sheet is not None:
        rows = bulk.bulk_plan(access, contest, bulk.bulk_sheet_read(sheet, sheet.name))
        plans = _sheet_plans(files, rows, result)
    else:
        plans = _layout_plans(access, contest, files)
    result.outcomes = entries_submit_batch(
        acting_user=acting_user, contest=contest, plans=plans, progress=progress, workers=workers
    )
    return result


def _declared(row: bulk.BulkRow) -> Sequence[str]:
    return Declaration.values if row.declared else ()


def _sheet_plans(
    files: list[SourceFile], rows: list[bulk.BulkRow], result: EntriesIngestResult
) -> list[EntryPlan]:
    index = bulk.FileIndex(rows)
    taken: dict[int, str] = {}  # row number → the file that matched it
    plans = []
    for source_file in files:
        plan = EntryPlan([source_file])
        plans.append(plan)
        row = index.find(source_file.name)
        if row is None:
            if source_file.refusal is None:  # else its refusal says enough
                plan.problems.append(_("No row of the spreadsheet names this file."))
            continue
        plan.row = row.row_number
        if row.row_number in taken:
            plan.problems.append(
                _("Row %(row)d already has a file: %(name)s.")
                % {"row": row.row_number, "name": taken[row.row_number]}
            )
            continue
        taken[row.row_number] = source_file.name
        plan.problems.extend(row.problems)
        plan.author, plan.category, plan.title = row.author, row.category, row.title
        plan.description, plan.place, plan.taken_on = row.description, row.place, row.taken_on
        plan.declarations = _declared(row)
    result.rows_without_file = [
        RowWithoutFile(row.row_number, row.file_name, row.problems)
        for row in rows
        if row.row_number not in taken
    ]
    return plans


def _layout_plans(access, contest: Contest, files: list[SourceFile]) -> list[EntryPlan]:
    """Plans from the files' places: ``<category>/<ID number or mobile>_<title>.<ext>``.
    The names become sheet records, so authors and categories are judged exactly as a
    spreadsheet's are (``bulk.bulk_plan``)."""
    plans, table, seen = [], Table(header_row_number=1, columns={}), {}
    for number, source_file in enumerate(files, start=1):
        plan = EntryPlan([source_file])
        plans.append(plan)
        if source_file.refusal:  # refused unread: its name does not matter
            continue
        path = PurePosixPath(source_file.name.replace("\\", "/"))
        stem = unicodedata.normalize("NFKC", path.stem)
        ident, _sep, title = stem.partition("_")
        key = bulk.file_key(source_file.name)
        if len(path.parts) < 2:
            plan.problems.append(
                _("Put the file in a folder named after its category (%(names)s).")
                % {"names": "、".join(c.name for c in contest.categories.all())}
            )
        elif not (ident.strip() and title.strip()):
            plan.problems.append(
                _("Name the file <the author's ID number or mobile>_<title>.<extension>.")
            )
        elif key in seen:
            plan.problems.append(
                _("Another file has the same name: %(name)s.") % {"name": seen[key]}
            )
        else:
            seen[key] = source_file.name
            ident = ident.strip()
            number_key = "id_card" if ID_CARD.match(ident) else "mobile"
            values = {
                "file": source_file.name,
                "title": title,
                number_key: ident,
                "category": path.parent.name,
            }
            table.records.append(Record(row_number=number, values=values))
    by_number = dict(enumerate(plans, start=1))
    for row in bulk.bulk_plan(access, contest, table):
        plan = by_number[row.row_number]
        plan.problems.extend(row.problems)
        plan.author, plan.category, plan.title = row.author, row.category, row.title
    return plans


def entries_submit_batch(
    *,
    acting_user,
    contest: Contest,
    plans: Sequence[EntryPlan],
    progress: Progress = no_progress,
    workers: int | None = None,
) -> list[FileOutcome]:
    """Submit every plan as an entry, process all their photos on every core, settle each
    entry; one outcome per plan, in order. Progress counts plans stored, photos processed
    and entries settled."""
    outcomes = [FileOutcome(plan.label, "refused", row=plan.row) for plan in plans]
    total, done = 3 * len(plans), 0
    progress(done, total)
    submitted: dict[int, FileOutcome] = {}  # entry id → its outcome
    for plan, outcome in zip(plans, outcomes, strict=True):
        outcome.reason = _submit(acting_user, contest, plan, outcome)
        if outcome.entry_id is not None:
            submitted[outcome.entry_id] = outcome
        done += 1
        progress(done, total)

    asset_ids = list(
        EntryFile.objects.filter(entry__contest=contest, entry_id__in=list(submitted))
        .order_by("entry_id", "position")
        .values_list("asset_id", flat=True)
    )
    total = len(plans) + len(asset_ids) + len(submitted)
    progress(done, total)

    def processed(_asset_id, _verdict) -> None:
        nonlocal done
        done += 1
        progress(done, total)

    verdicts = assets_process_parallel(asset_ids, workers=workers, each=processed)
    errors = {
        asset_id: verdict.reason or verdict.code
        for asset_id, verdict in verdicts.items()
        if verdict.status == "error"
    }

    for entry_id, outcome in submitted.items():
        try:
            services.entry_settle(entry_id)
        except Exception as error:  # noqa: BLE001 - one entry's failure is that entry's alone
            outcome.reason = f"{type(error).__name__}: {error}"[:300]
        done += 1
        progress(done, total)
    _outcomes_settle(submitted, errors)
    return outcomes


def _submit(acting_user, contest: Contest, plan: EntryPlan, outcome: FileOutcome) -> str:
    """Submit one plan (no processing yet); the reason it is refused, or ""."""
    refusals = [f.refusal[1] for f in plan.files if f.refusal]
    if refusals or plan.problems:
        return " ".join([*refusals, *plan.problems])
    try:
        entry = services.entry_submit(
            acting_user=acting_user,
            contest=contest,
            author=plan.author,
            category=plan.category,
            title=plan.title,
            uploads=[
                services.Upload(PurePosixPath(f.name.replace("\\", "/")).name, f.read())
                for f in plan.files
            ],
            description=plan.description,
            place=plan.place,
            taken_on=plan.taken_on,
            declarations=plan.declarations,
            process=False,
        )
    except services.SubmissionRefused as error:
        return " ".join(error.messages)
    except Exception as error:  # noqa: BLE001 - one file's failure is that file's alone
        return f"{type(error).__name__}: {error}"[:300]
    outcome.entry_id = entry.pk
    return ""


def _outcomes_settle(submitted: dict[int, FileOutcome], errors: dict[int, str]) -> None:
    """Each submitted plan's outcome from its entry as settling left it."""
    ids = list(submitted)
    duplicates = set(
        Flag.objects.filter(entry_id__in=ids, kind__in=DUPLICATE_FLAGS).values_list(
            "entry_id", flat=True
        )
    )
    failed: dict[int, list[str]] = {}
    for entry_id, asset_id in EntryFile.objects.filter(
        entry_id__in=ids, asset_id__in=list(errors)
    ).values_list("entry_id", "asset_id"):
        failed.setdefault(entry_id, []).append(errors[asset_id])
    states = Entry.objects.filter(pk__in=ids).values_list("pk", "state", "refusal_reason")
    for entry_id, state, refusal_reason in states:
        outcome = submitted[entry_id]
        if state == Entry.State.ACCEPTED:
            outcome.status = "duplicate" if entry_id in duplicates else "accepted"
        elif state == Entry.State.REFUSED:
            outcome.reason = refusal_reason
        else:  # a photo could not be processed: the entry waits for a worker to retry it
            outcome.reason = outcome.reason or _(
                "The photos could not be processed (%(error)s); the entry waits to be "
                "processed again."
            ) % {"error": "; ".join(failed.get(entry_id, [])) or state}
