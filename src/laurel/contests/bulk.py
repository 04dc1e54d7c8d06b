"""Bulk submission: a unit's spreadsheet of entries (file name, title, author, category, ...)
matched to the photo files sent with it. Shared by the console's bulk page and
``laurel media ingest --contest``. Read-only: ``services`` writes.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from laurel.contests.models import Category, Contest
from laurel.core.identity import InvalidIdCard, InvalidMobile, id_card_normalise, mobile_normalise
from laurel.core.tables import Column, Table
from laurel.importing import sheet_read
from laurel.members.models import Member
from laurel.members.policy import members_visible
from laurel.web.access import Access

BULK_COLUMNS = (
    Column(
        "file",
        ("文件名", "文件名称", "照片文件名", "照片文件", "文件", "file", "file name"),
        required=True,
    ),
    Column("title", ("作品名称", "作品标题", "标题", "作品名", "题目", "title"), required=True),
    Column("id_card", ("作者身份证号", "身份证号", "身份证号码", "身份证", "id card", "id number")),
    Column("mobile", ("作者手机号", "手机号", "手机号码", "手机", "联系电话", "mobile", "phone")),
    Column("name", ("作者姓名", "作者", "姓名", "author", "name")),
    Column("category", ("类别", "组别", "参赛类别", "作品类别", "category"), required=True),
    Column("description", ("作品说明", "说明", "简介", "description")),
    Column("place", ("拍摄地点", "地点", "place")),
    Column("taken_on", ("拍摄日期", "拍摄时间", "日期", "date taken", "taken on")),
    Column("declared", ("已签署声明", "声明", "承诺", "declared", "declarations")),
)
YES = {"是", "已签", "已签署", "有", "y", "yes", "true", "1", "√", "✓"}


@dataclass
class BulkRow:
    row_number: int
    file_name: str
    title: str = ""
    author: Member | None = None
    author_label: str = ""  # the author as the sheet's reader may see them (masked numbers)
    category: Category | None = None
    description: str = ""
    place: str = ""
    taken_on: datetime.date | None = None
    declared: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def bulk_refusal(contest: Contest) -> str:
    """Why a sheet or a folder of files cannot enter ``contest`` ("" when it can): they
    enter members' photos, one a row, so a contest of teams or units, or one whose entries
    are not photos, takes none of them."""
    if contest.entrants == Contest.Entrants.TEAMS:
        return _(
            "A spreadsheet or a folder of files enters members' works only, and this contest "
            "takes entries from teams: submit each team's entry on its own."
        )
    if contest.entrants == Contest.Entrants.UNITS:
        return _(
            "A spreadsheet or a folder of files enters members' works only, and this contest "
            "takes entries from units: submit each unit's entry on its own."
        )
    if contest.content != Contest.Content.PHOTO:
        return _(
            "A spreadsheet or a folder of files enters photos only, and this contest's "
            "entries are “%(content)s”: submit each entry on its own."
        ) % {"content": contest.get_content_display()}
    return ""


def file_key(name: str) -> str:
    """How a file name is compared: its last part, NFKC-folded, case-insensitive."""
    base = PurePosixPath(name.replace("\\", "/")).name
    return unicodedata.normalize("NFKC", base).strip().lower()


def stem_key(name: str) -> str:
    key = file_key(name)
    return key.rsplit(".", 1)[0] if "." in key else key


def bulk_sheet_read(source, filename: str = "") -> Table:
    """The sheet's rows; ``importing.ImportRefused`` saying why when the file is unusable."""
    return sheet_read(source, BULK_COLUMNS, filename)


def bulk_plan(access: Access, contest: Contest, table: Table) -> list[BulkRow]:
    """Every row of the sheet judged: its author found among the members this user may
    submit for, its category among the contest's; what is wrong said in a sentence."""
    categories = {_fold(c.name): c for c in contest.categories.all()}
    members = members_visible(access).select_related("unit", "user")
    rows, seen = [], {}
    for record in table.records:
        row = BulkRow(record.row_number, record.get("file").strip())
        row.title = re.sub(r"\s+", " ", record.get("title")).strip()
        row.description = record.get("description").strip()
        row.place = record.get("place").strip()
        row.declared = record.get("declared").strip().lower() in YES
        if not row.file_name:
            row.problems.append(_("No file name."))
        elif file_key(row.file_name) in seen:
            row.problems.append(
                _("The file %(name)s is already on row %(row)d.")
                % {"name": row.file_name, "row": seen[file_key(row.file_name)]}
            )
        else:
            seen[file_key(row.file_name)] = row.row_number
        if not row.title:
            row.problems.append(_("No title."))
        elif len(row.title) > 100:
            row.problems.append(_("The title is longer than 100 characters."))
        row.category = categories.get(_fold(record.get("category")))
        if row.category is None:
            row.problems.append(
                _("“%(value)s” is not a category of this contest (%(names)s).")
                % {
                    "value": record.get("category"),
                    "names": "、".join(c.name for c in categories.values()),
                }
            )
        _author_find(row, record, members)
        taken = record.get("taken_on").strip()
        if taken:
            row.taken_on = _date(taken)
            if row.taken_on is None:
                row.problems.append(_("“%(value)s” is not a date.") % {"value": taken})
        rows.append(row)
    return rows


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _author_find(row: BulkRow, record, members) -> None:
    member = None
    raw_id, raw_mobile = record.get("id_card").strip(), record.get("mobile").strip()
    if raw_id:
        try:
            member = members.filter(id_card=id_card_normalise(raw_id)).first()
        except InvalidIdCard:
            row.problems.append(_("The author's ID number is not valid."))
            return
    elif raw_mobile:
        try:
            found = list(members.filter(mobile=mobile_normalise(raw_mobile))[:2])
        except InvalidMobile:
            row.problems.append(_("The author's mobile number is not valid."))
            return
        if len(found) > 1:
            row.problems.append(_("Several members have this mobile; give the ID number."))
            return
        member = found[0] if found else None
    else:
        row.problems.append(_("Give the author's ID number or mobile."))
        return
    if member is None:
        row.problems.append(_("No member of your units has this number."))
        return
    name = re.sub(r"\s+", "", record.get("name"))
    if name and name != member.name:
        row.problems.append(_("The name does not match the roster."))
    row.author = member
    row.author_label = f"{member.name}（{member.unit.name}）"


def _date(text: str) -> datetime.date | None:
    digits = re.findall(r"\d+", text)
    if len(digits) >= 3:
        try:
            return datetime.date(int(digits[0]), int(digits[1]), int(digits[2]))
        except ValueError:
            return None
    if len(digits) == 1 and len(digits[0]) == 8:
        value = digits[0]
        try:
            return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            return None
    return None


class FileIndex:
    """Finds the row a file belongs to: by its exact name, else by its name without the
    extension (a sheet that says 春色 for 春色.jpg)."""

    def __init__(self, rows, name_of=lambda row: row.file_name):
        self.exact, self.stems = {}, {}
        for row in rows:
            name = name_of(row)
            if name:
                self.exact.setdefault(file_key(name), row)
                self.stems.setdefault(stem_key(name), row)

    def find(self, name: str):
        return self.exact.get(file_key(name)) or self.stems.get(stem_key(name))
