"""Roster rows: which columns a member, team or unit sheet has, and checking one row on its own.

Checks that need the database (does the unit exist, is this person elsewhere) are the app's;
everything a row can be judged on by itself is here. Problems carry stable codes; the app
turns them into sentences in the reader's language.
"""

import re
import unicodedata
from dataclasses import dataclass, field, replace

from laurel.core.identity import (
    InvalidIdCard,
    InvalidMobile,
    id_card_normalise,
    mobile_normalise,
)
from laurel.core.tables import Column, Record

MEMBER_COLUMNS = (
    Column("name", ("姓名", "职工姓名", "会员姓名", "名字", "name", "full name"), required=True),
    Column("gender", ("性别", "gender", "sex")),
    Column(
        "id_card",
        ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码", "id card", "id number"),
        required=True,
    ),
    Column(
        "mobile", ("手机号", "手机号码", "手机", "联系电话", "联系方式", "电话", "mobile", "phone")
    ),
    Column(
        "unit",
        ("单位", "所在单位", "工作单位", "单位名称", "所属工会", "工会", "单位代码", "unit"),
    ),
    Column("industry", ("行业", "所属行业", "industry")),
    Column("job_title", ("职务", "职位", "岗位", "职务/岗位", "job title", "title", "position")),
)

# A team sheet names people the roster already holds: a name and an ID-card number or a
# mobile (neither column is required alone; the importer asks for one of them), and who leads.
TEAM_COLUMNS = (
    MEMBER_COLUMNS[0],
    replace(MEMBER_COLUMNS[2], required=False),
    MEMBER_COLUMNS[3],
    Column("leader", ("队长", "是否队长", "领队", "leader", "team leader", "captain")),
)
# What a leader column holds for "no"; anything else typed there (是, 队长, √, 1) means "yes".
NOT_LEADER = {"否", "不是", "no", "n", "0", "false", "×", "-", "—"}

UNIT_COLUMNS = (
    Column("name", ("单位名称", "名称", "工会名称", "name", "unit name"), required=True),
    Column("code", ("单位代码", "代码", "编码", "单位编码", "code", "unit code"), required=True),
    Column("parent", ("上级单位代码", "上级代码", "上级单位", "parent", "parent code")),
    Column("kind", ("单位类型", "类型", "kind", "type")),
    Column("industry", ("行业", "所属行业", "industry")),
)

NAME_MAX = 50
TEXT_MAX = 100
UNIT_NAME_MAX = 200
UNIT_CODE_MAX = 64
GENDERS = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
LANDLINE = re.compile(r"^(0\d{2,3})?-?\d{7,8}(-\d{1,5})?$")
UNIT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]*$")
SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
CJK = r"\u3400-\u9fff\uf900-\ufaff"


@dataclass(frozen=True)
class Problem:
    """Why a row is refused: the column's key, a stable code and values for the sentence."""

    column: str
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class MemberRow:
    row_number: int
    name: str = ""
    gender: str = ""  # "M" | "F"
    id_card: str = ""
    mobile: str = ""  # "" when the row gives none
    unit: str = ""  # a unit's code or name, as written
    industry: str = ""
    job_title: str = ""
    problems: list[Problem] = field(default_factory=list)


@dataclass
class TeamRow:
    row_number: int
    name: str = ""
    id_card: str = ""  # "" when the row gives none (or a bad one: see ``problems``)
    mobile: str = ""
    leader: bool = False
    problems: list[Problem] = field(default_factory=list)


@dataclass
class UnitRow:
    row_number: int
    name: str = ""
    code: str = ""
    parent: str = ""
    kind: str = ""
    industry: str = ""
    problems: list[Problem] = field(default_factory=list)


def person_name_clean(text: str) -> str:
    """Drop the spaces units type to align two-character names (``张  三`` → ``张三``)."""
    value = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    return re.sub(rf"(?<=[{CJK}·]) | (?=[{CJK}·])", "", value)


def gender_from_id_card(id_card: str) -> str:
    """GB 11643: the 17th digit is odd for men, even for women."""
    return "M" if int(id_card[16]) % 2 else "F"


def member_row_check(record: Record) -> MemberRow:
    row = MemberRow(row_number=record.row_number)
    row.name = person_name_clean(record.get("name"))
    if not row.name:
        row.problems.append(Problem("name", "required"))
    elif len(row.name) > NAME_MAX:
        row.problems.append(Problem("name", "too_long", {"limit": NAME_MAX}))

    row.id_card = _id_card_read(record, row.problems)

    raw_gender = record.get("gender").lower()
    if raw_gender and raw_gender not in GENDERS:
        row.problems.append(Problem("gender", "gender_unknown", {"value": record.get("gender")}))
    elif row.id_card:
        from_id = gender_from_id_card(row.id_card)
        if raw_gender and GENDERS[raw_gender] != from_id:
            row.problems.append(Problem("gender", "gender_contradicts_id_card"))
        row.gender = from_id

    row.mobile = _mobile_read(record, row.problems)

    row.unit = re.sub(r"\s+", "", record.get("unit"))
    for key in ("industry", "job_title"):
        value = re.sub(r"\s+", " ", record.get(key)).strip()
        if len(value) > TEXT_MAX:
            row.problems.append(Problem(key, "too_long", {"limit": TEXT_MAX}))
        setattr(row, key, value)
    return row


def _id_card_read(record: Record, problems: list[Problem]) -> str:
    """The row's ID-card number normalised, or "" with the problem added."""
    raw_id = record.get("id_card")
    numeric = "id_card" in record.numeric and len(raw_id) > 15
    if numeric or SCIENTIFIC.fullmatch(raw_id):  # 5.00101E+17: Excel's view of a number
        problems.append(Problem("id_card", "stored_as_number"))
        return ""
    try:
        return id_card_normalise(raw_id)
    except InvalidIdCard as error:
        problems.append(Problem("id_card", f"id_card_{error.code}"))
        return ""


def _mobile_read(record: Record, problems: list[Problem]) -> str:
    """The row's mobile normalised; "" when blank, or with the problem added."""
    raw_mobile = record.get("mobile")
    if not raw_mobile:
        return ""
    try:
        return mobile_normalise(raw_mobile)
    except InvalidMobile:
        landline = LANDLINE.fullmatch(re.sub(r"[\s()（）]", "", raw_mobile))
        problems.append(Problem("mobile", "landline" if landline else "mobile_invalid"))
        return ""


def team_row_check(record: Record) -> TeamRow:
    """A team sheet's row on its own: a name, and an ID-card number or a mobile (or both)
    well formed. Whether the roster holds that person is the app's to judge."""
    row = TeamRow(row_number=record.row_number)
    row.name = person_name_clean(record.get("name"))
    if not row.name:
        row.problems.append(Problem("name", "required"))
    elif len(row.name) > NAME_MAX:
        row.problems.append(Problem("name", "too_long", {"limit": NAME_MAX}))
    if record.get("id_card"):
        row.id_card = _id_card_read(record, row.problems)
    row.mobile = _mobile_read(record, row.problems)
    if not record.get("id_card") and not record.get("mobile"):
        row.problems.append(Problem("id_card", "id_card_or_mobile_required"))
    leader = record.get("leader").strip().lower()
    row.leader = bool(leader) and leader not in NOT_LEADER
    return row


def unit_row_check(record: Record) -> UnitRow:
    row = UnitRow(row_number=record.row_number)
    row.name = re.sub(r"\s+", "", record.get("name"))
    row.code = record.get("code").replace(" ", "")
    row.parent = record.get("parent").replace(" ", "")
    row.kind = record.get("kind").strip()
    row.industry = record.get("industry").strip()
    if not row.name:
        row.problems.append(Problem("name", "required"))
    elif len(row.name) > UNIT_NAME_MAX:
        row.problems.append(Problem("name", "too_long", {"limit": UNIT_NAME_MAX}))
    if not row.code:
        row.problems.append(Problem("code", "required"))
    elif len(row.code) > UNIT_CODE_MAX or not UNIT_CODE.fullmatch(row.code):
        row.problems.append(Problem("code", "unit_code_invalid"))
    if row.parent and row.parent == row.code:
        row.problems.append(Problem("parent", "unit_parent_is_itself"))
    if len(row.industry) > TEXT_MAX:
        row.problems.append(Problem("industry", "too_long", {"limit": TEXT_MAX}))
    return row
