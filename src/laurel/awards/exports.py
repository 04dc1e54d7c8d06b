"""A contest's documents for the office: Excel workbooks of the entries, of every judge's
scores and of the results with their prizes, and a zip of the winners' originals with
captions for printing the physical exhibition.

Each reads only what the viewer may see — the views apply ``awards.policy`` first, and the
entries and results are scoped by ``contests.policy.entries_visible`` here. Personal
numbers appear as ``members.policy`` shows them to that viewer (masked unless allowed).
Headers are in the reader's language; beside each unit stands its district (区县: the union at
depth 1 it belongs to), by which offices sort and filter. Every file is written by
``core.sheet_writer``: a row at a time, columns fitted to their content, an autofilter over
the header, and text a spreadsheet would run as a formula neutralised.
"""

import contextlib
import datetime
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.awards import policy, selectors
from laurel.awards.models import Award
from laurel.contests import policy as contests_policy
from laurel.contests.entrants import entrant_of, entrant_related
from laurel.contests.models import Contest, Entry, EntryFile
from laurel.core.sheet_writer import Sheet, csv_text, text_safe, xlsx_write
from laurel.judging import scoring
from laurel.judging.models import Assignment, Round
from laurel.members import policy as members_policy
from laurel.orgs.selectors import district_namer
from laurel.web.access import Access

ROWS_CHUNK = 1000
# characters no file system or zip tool accepts in a name (and the separators)
UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
NAME_PART_LENGTH = 40  # a title or a name in a file name, at most
EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "webp": ".webp", "heic": ".heic", "heif": ".heic"}


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A stored time as Excel takes it: local (``TIME_ZONE``) and naive."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


def _workbook(title: str, headers: list[str], rows) -> bytes:
    return xlsx_write([Sheet(title=title, header=headers, rows=rows)])


def _number(text: str | None) -> float | None:
    return None if text in (None, "") else float(text)


# --- entries ----------------------------------------------------------------------------


def entries_workbook(access: Access, contest: Contest, *, full_numbers: bool = False) -> bytes:
    """Every entry of ``contest`` this viewer may see, with its entrant's name in the author
    column and, for a member, their numbers as ``members.policy`` shows them to the viewer
    (a team or a unit has none)."""
    headers = [
        _("Code"),
        _("Title"),
        _("Category"),
        _("Kind"),
        _("State"),
        _("Author"),
        _("ID number"),
        _("Mobile"),
        _("Unit"),
        _("District"),
        _("Submitted"),
    ]
    entries = (
        contests_policy.entries_visible(access)
        .filter(contest=contest)
        .select_related("category", "author__unit", "team", "unit")
        .order_by("number")
    )
    district_of = district_namer()
    # an entry's kind (a single photo, a series) where its content has kinds; else the
    # content itself ("No files (judged on the day)")
    kinds = contest.content_kind.shows_kind
    rows = (
        [
            entry.code,
            entry.title,
            entry.category.name,
            entry.get_kind_display() if kinds else contest.get_content_display(),
            entry.get_state_display(),
            entry.entrant.name,
            *_numbers_shown(access, entry, full_numbers),
            entry.unit.name,
            district_of(entry.unit.path),
            _local(entry.created_at),
        ]
        for entry in entries.iterator(chunk_size=ROWS_CHUNK)
    )
    return _workbook(_("Entries"), headers, rows)


def _numbers_shown(access: Access, entry: Entry, full_numbers: bool) -> tuple[str, str]:
    """A member entrant's ID number and mobile as the viewer may see them; a team or a unit
    has none."""
    if entry.author is None:
        return "", ""
    return (
        members_policy.id_card_shown_to(access, entry.author, revealed=full_numbers),
        members_policy.mobile_shown_to(access, entry.author, revealed=full_numbers),
    )


# --- every judge's scores ---------------------------------------------------------------


def scores_workbook(contest: Contest) -> bytes:
    """Every review of every round of ``contest``: who scored what, criterion by criterion
    (a column per criterion name, decimals as numbers), the review's score as its round's
    mode gives it (the criteria weighted or added up, rounded by the round's rule), the
    verdict. Organisers only."""
    rounds = list(
        Round.objects.filter(contest=contest).prefetch_related("criteria").order_by("position")
    )
    names: list[str] = []  # criterion columns, in the order the rounds introduce them
    for round_ in rounds:
        for criterion in round_.criteria.all():
            if criterion.name not in names:
                names.append(criterion.name)
    headers = [
        _("Round"),
        _("Code"),
        _("Judge"),
        *names,
        _("Review score"),
        _("Verdict"),
        _("Reviewed at"),
    ]

    def rows():
        for round_ in rounds:
            criteria = scoring.round_criteria(round_)
            column = {c.key: names.index(c.name) for c in criteria}
            reviews = (
                Assignment.objects.filter(round=round_, state=Assignment.State.DONE)
                .select_related("entry", "judge")
                .order_by("entry__number", "judge__display_name", "judge__username")
            )
            for review in reviews.iterator(chunk_size=ROWS_CHUNK):
                values, combined = round_.round_mode.review_sheet(round_, criteria, review.scores)
                scores = [None] * len(names)
                for key, value in values.items():
                    scores[column[key]] = value
                verdict = ""
                if review.verdict is not None:
                    verdict = _("Pass") if review.verdict else _("Fail")
                yield [
                    round_.name,
                    review.entry.code,
                    str(review.judge),
                    *scores,
                    combined,
                    verdict,
                    _local(review.reviewed_at),
                ]

    return _workbook(_("Scores"), headers, rows())


# --- results with prizes ----------------------------------------------------------------


def results_rows(access: Access, contest: Contest) -> list[dict]:
    """The ranking as snapshot rows (``core.snapshots.snapshot_row``) this viewer may see:
    organisers the live ranking with the prizes as they stand; anyone else the latest
    published version, only the entries they may see."""
    if policy.may_decide_awards(access):
        return selectors.live_rows(contest)
    publication = selectors.latest_publication(contest)
    if publication is None:
        return []
    numbers = contests_policy.entries_visible(access).filter(contest=contest)
    codes = {f"{number:04d}" for number in numbers.values_list("number", flat=True)}
    return [row for row in publication.snapshot["rows"] if row["entry"] in codes]


def results_workbook(access: Access, contest: Contest) -> bytes:
    """The final ranking with the prizes (scoped as ``results_rows``)."""
    headers = [
        _("Rank"),
        _("Code"),
        _("Title"),
        _("Author"),
        _("Unit"),
        _("District"),
        _("Category"),
        _("Score"),
        _("Low (90%)"),
        _("High (90%)"),
        _("Prize"),
    ]
    results = results_rows(access, contest)
    district_of = district_namer()
    unit_paths = dict(  # entry number → its unit's path: the district of each row
        Entry.objects.filter(contest=contest).values_list("number", "unit__path")
    )
    rows = (
        [
            row["rank"],
            row["entry"],
            row["title"],
            row["author"],
            row["unit"],
            district_of(unit_paths.get(int(row["entry"]), "")),
            row["category"],
            _number(row["score"]),
            _number(row["low"]),
            _number(row["high"]),
            row["prize"],
        ]
        for row in results
    )
    return _workbook(_("Results"), headers, rows)


# --- the winners' originals -------------------------------------------------------------


def safe_name(text: str, limit: int = NAME_PART_LENGTH) -> str:
    """``text`` fit for a file name on any system: separators, reserved and control
    characters become ``-``, spaces are kept single, leading dots dropped, at most
    ``limit`` characters."""
    text = UNSAFE_NAME.sub("-", text)
    text = " ".join(text.split()).strip(" .-")
    return text[:limit].rstrip(" .") or "-"


def _extension(asset) -> str:
    suffix = PurePosixPath(asset.original_name).suffix.lower()
    if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        return suffix
    return EXTENSIONS.get(str(asset.exif.get("format", "")).lower(), "")


def _winners(contest: Contest):
    photos = EntryFile.objects.select_related("asset").order_by("position", "pk")
    return (
        Award.objects.filter(contest=contest)
        .select_related("tier", *entrant_related("entry__"), "entry__category")
        .prefetch_related(Prefetch("entry__files", queryset=photos))
        .order_by("tier__position", "entry__number")
    )


class NoOriginals(Exception):
    """The contest's entries carry no files: there is nothing to zip."""


def originals_zip(contest: Contest) -> str:
    """A zip of every prize-winning entry's original files, by prize
    (``一等奖/0012_标题_作者.jpg``; a series' photos numbered ``_1``, ``_2``, ...), with
    ``captions.csv`` and ``captions.txt`` (title, entrant, unit, prize, category) for the
    printer. Returns the path of a temporary file the caller deletes. Raises ``NoOriginals``
    for a contest whose entries carry no files (rather than a zip of captions alone)."""
    if not contest.content_kind.takes_files:
        raise NoOriginals
    storage = storages["private"]
    captions = []
    descriptor, path = tempfile.mkstemp(prefix="laurel-originals-", suffix=".zip")
    os.close(descriptor)
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
            for award in _winners(contest):
                entry = award.entry
                photos = list(entry.files.all())
                entrant = entrant_of(entry)
                stem = "_".join((entry.code, safe_name(entry.title), safe_name(entrant.name)))
                folder = safe_name(award.tier.name)
                files = []
                for n, photo in enumerate(photos, start=1):
                    number = f"_{n}" if len(photos) > 1 else ""
                    name = f"{folder}/{stem}{number}{_extension(photo.asset)}"
                    with (
                        storage.open(photo.asset.original_path, "rb") as source,
                        archive.open(name, "w", force_zip64=True) as target,
                    ):
                        shutil.copyfileobj(source, target, 1024 * 1024)
                    files.append(name)
                captions.append(
                    {
                        "files": files,
                        "code": entry.code,
                        "title": entry.title,
                        "author": entrant.name,
                        "unit": entry.unit.name,
                        "prize": award.tier.name,
                        "category": entry.category.name,
                    }
                )
            archive.writestr("captions.csv", _captions_csv(captions), zipfile.ZIP_DEFLATED)
            archive.writestr("captions.txt", _captions_txt(captions), zipfile.ZIP_DEFLATED)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # no half-written zip left behind
        raise
    return path


def _captions_csv(captions: list[dict]) -> bytes:
    """One row per file; UTF-8 with a byte-order mark, as Excel opens Chinese text."""
    header = [_("File"), _("Code"), _("Title"), _("Author"), _("Unit"), _("Prize"), _("Category")]
    rows = (
        [
            name,
            caption["code"],
            caption["title"],
            caption["author"],
            caption["unit"],
            caption["prize"],
            caption["category"],
        ]
        for caption in captions
        for name in caption["files"]
    )
    return csv_text([header, *rows]).encode("utf-8-sig")


def _captions_txt(captions: list[dict]) -> bytes:
    """A caption per work, as printed beside it: 《标题》 作者 · 单位 · 一等奖 · 类别
    (``text_safe``: a spreadsheet opening the .txt finds no formula in it)."""
    blocks = []
    for caption in captions:
        lines = [
            f"{caption['code']}  《{caption['title']}》",
            f"{caption['author']} · {caption['unit']}",
            f"{caption['prize']} · {caption['category']}",
            *caption["files"],
        ]
        blocks.append("\n".join(lines))
    return text_safe("\n\n".join(blocks) + "\n").encode("utf-8")
