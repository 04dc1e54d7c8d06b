"""Checking one roster row on its own: members and units."""

from datetime import date, timedelta

import pytest

from laurel.core.identity import id_card_check_character
from laurel.core.roster import (
    NAME_MAX,
    TEXT_MAX,
    UNIT_CODE_MAX,
    UNIT_NAME_MAX,
    Problem,
    gender_from_id_card,
    member_row_check,
    person_name_clean,
    unit_row_check,
)
from laurel.core.tables import Record

ID_MAN = "50010119900101123X"  # valid; 17th digit 3 is odd
ID_WOMAN = "500101199001011248"  # valid; 17th digit 4 is even


def valid_id(first17: str) -> str:
    return first17 + id_card_check_character(first17)


def member(numeric=frozenset(), **values) -> Record:
    values = {"name": "张三", "id_card": ID_MAN, **values}
    return Record(row_number=7, values=values, numeric=frozenset(numeric))


def unit(**values) -> Record:
    return Record(row_number=4, values={"name": "永川区总工会", "code": "CQ-YC", **values})


def codes(row) -> list[tuple[str, str]]:
    return [(problem.column, problem.code) for problem in row.problems]


# --- members -------------------------------------------------------------------------------


def test_a_valid_member_row_is_normalised():
    row = member_row_check(
        member(
            name="张  三",
            gender="男",
            id_card="50010119900101123x",
            mobile="+86 138 0013 8000",
            unit=" 永川区 总工会 ",
            industry="  制造业 ",
            job_title="车间  主任",
        )
    )

    assert row.problems == []
    assert row.row_number == 7
    assert row.name == "张三"
    assert row.gender == "M"
    assert row.id_card == ID_MAN
    assert row.mobile == "13800138000"
    assert row.unit == "永川区总工会"
    assert row.industry == "制造业"
    assert row.job_title == "车间 主任"


def test_full_width_id_digits_are_folded():
    row = member_row_check(member(id_card="５００１０１１９９００１０１１２４８"))

    assert row.problems == []
    assert row.id_card == ID_WOMAN


@pytest.mark.parametrize(
    "mobile",
    [
        "13800138000",
        "+86 138 0013 8000",
        "0086-13800138000",
        "138 0013 8000",
        "１３８００１３８０００",
    ],
)
def test_mobiles_are_normalised(mobile):
    row = member_row_check(member(mobile=mobile))

    assert row.problems == []
    assert row.mobile == "13800138000"


@pytest.mark.parametrize(
    "mobile", ["023-49871234", "(023)49871234", "（023）49871234", "49871234", "023-49871234-801"]
)
def test_a_landline_is_told_apart_from_a_bad_mobile(mobile):
    row = member_row_check(member(mobile=mobile))

    assert codes(row) == [("mobile", "landline")]
    assert row.mobile == ""


@pytest.mark.parametrize("mobile", ["1380013800", "12800138000", "138001380001", "138-abc-8000"])
def test_a_bad_mobile_is_refused(mobile):
    row = member_row_check(member(mobile=mobile))

    assert codes(row) == [("mobile", "mobile_invalid")]
    assert row.mobile == ""


def test_a_blank_mobile_is_allowed():
    row = member_row_check(member(mobile=""))

    assert row.problems == []
    assert row.mobile == ""


def test_a_row_without_a_mobile_column_is_allowed():
    row = member_row_check(Record(row_number=2, values={"name": "张三", "id_card": ID_MAN}))

    assert row.problems == []
    assert row.mobile == ""
    assert row.gender == "M"


def tomorrow() -> date:
    return date.today() + timedelta(days=1)  # noqa: DTZ011 - the checker uses the local date


BORN_TOMORROW = "born tomorrow"  # made when the test runs: collection may be before midnight


@pytest.mark.parametrize(
    ("id_card", "code"),
    [
        ("500101900101123", "id_card_legacy_15"),
        ("500101199001011231", "id_card_check_digit"),  # valid ends in X
        (valid_id("50010119990230001"), "id_card_birth_date"),  # 1999-02-30
        (valid_id("50010119990229001"), "id_card_birth_date"),  # 1999 is not a leap year
        (valid_id("50010119991301001"), "id_card_birth_date"),  # month 13
        (BORN_TOMORROW, "id_card_birth_date"),
        ("50010119900101123", "id_card_length"),
        ("50010119900101123XX", "id_card_length"),
        ("5001011990010112AX", "id_card_characters"),
        ("50010119900101123Y", "id_card_characters"),
        ("", "id_card_empty"),
        ("   ", "id_card_empty"),
    ],
)
def test_id_card_problems(id_card, code):
    if id_card == BORN_TOMORROW:
        id_card = valid_id(f"500101{tomorrow():%Y%m%d}001")
    row = member_row_check(member(id_card=id_card))

    assert codes(row) == [("id_card", code)]
    assert row.id_card == ""
    assert row.gender == ""  # nothing to derive it from


def test_the_birth_date_cases_differ_only_in_the_date():
    assert member_row_check(member(id_card=valid_id("50010120000229001"))).problems == []


@pytest.mark.parametrize("text", ["5.00101E+17", "5.00101199001011e17", "5E+17"])
def test_an_id_excel_wrote_out_in_scientific_notation_is_refused_as_a_number(text):
    row = member_row_check(member(id_card=text))

    assert codes(row) == [("id_card", "stored_as_number")]


def test_an_id_stored_as_a_number_is_refused_even_if_it_looks_valid():
    row = member_row_check(member(id_card=ID_WOMAN, numeric={"id_card"}))

    assert codes(row) == [("id_card", "stored_as_number")]
    assert row.id_card == ""


def test_a_short_number_in_the_id_column_gets_the_ordinary_code():
    row = member_row_check(member(id_card="500101900101123", numeric={"id_card"}))

    assert codes(row) == [("id_card", "id_card_legacy_15")]


def test_a_mobile_stored_as_a_number_is_fine():
    row = member_row_check(member(mobile="13800138000", numeric={"mobile"}))

    assert row.problems == []
    assert row.mobile == "13800138000"


@pytest.mark.parametrize(
    ("id_card", "gender"),
    [(ID_MAN, "M"), (ID_WOMAN, "F"), (valid_id("11010519491231001"), "M")],
)
def test_a_blank_gender_is_derived_from_the_id_card(id_card, gender):
    row = member_row_check(member(id_card=id_card, gender=""))

    assert row.problems == []
    assert row.gender == gender


@pytest.mark.parametrize(
    ("id_card", "given", "gender"),
    [
        (ID_MAN, "男", "M"),
        (ID_WOMAN, "女", "F"),
        (ID_MAN, "M", "M"),
        (ID_MAN, "m", "M"),
        (ID_MAN, "Male", "M"),
        (ID_WOMAN, "female", "F"),
        (ID_WOMAN, "F", "F"),
    ],
)
def test_a_given_gender_is_accepted(id_card, given, gender):
    row = member_row_check(member(id_card=id_card, gender=given))

    assert row.problems == []
    assert row.gender == gender


@pytest.mark.parametrize(("id_card", "given"), [(ID_MAN, "女"), (ID_WOMAN, "男"), (ID_WOMAN, "M")])
def test_a_gender_that_contradicts_the_id_card_is_refused(id_card, given):
    row = member_row_check(member(id_card=id_card, gender=given))

    assert codes(row) == [("gender", "gender_contradicts_id_card")]
    assert row.gender == gender_from_id_card(id_card)  # the ID card is what counts


def test_an_unknown_gender_is_refused_with_the_value_given():
    row = member_row_check(member(gender="未知"))

    assert row.problems == [Problem("gender", "gender_unknown", {"value": "未知"})]
    assert row.gender == ""


def test_gender_from_id_card():
    assert gender_from_id_card(ID_MAN) == "M"
    assert gender_from_id_card(ID_WOMAN) == "F"
    assert gender_from_id_card("11010519491231002X") == "F"  # 17th digit 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张  三", "张三"),
        (" 张 三 ", "张三"),
        ("张\u3000三", "张三"),  # ideographic space
        ("欧阳 娜娜", "欧阳娜娜"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("John  Smith", "John Smith"),
        ("  Mary\tJones ", "Mary Jones"),
        ("ＪＯＨＮ", "JOHN"),
        ("", ""),
    ],
)
def test_person_name_clean(text, expected):
    assert person_name_clean(text) == expected


@pytest.mark.parametrize("name", ["", "   "])
def test_a_name_is_required(name):
    row = member_row_check(member(name=name))

    assert codes(row) == [("name", "required")]


def test_a_name_may_be_at_most_fifty_characters():
    assert member_row_check(member(name="张" * NAME_MAX)).problems == []
    row = member_row_check(member(name="张" * (NAME_MAX + 1)))

    assert row.problems == [Problem("name", "too_long", {"limit": 50})]


@pytest.mark.parametrize("key", ["industry", "job_title"])
def test_free_text_columns_have_a_limit(key):
    assert member_row_check(member(**{key: "x" * TEXT_MAX})).problems == []
    row = member_row_check(member(**{key: "x" * (TEXT_MAX + 1)}))

    assert row.problems == [Problem(key, "too_long", {"limit": 100})]


def test_every_problem_of_a_row_is_reported():
    row = member_row_check(member(name="", id_card="123", gender="未知", mobile="023-49871234"))

    assert codes(row) == [
        ("name", "required"),
        ("id_card", "id_card_length"),
        ("gender", "gender_unknown"),
        ("mobile", "landline"),
    ]


# --- units ---------------------------------------------------------------------------------


def test_a_valid_unit_row_is_normalised():
    row = unit_row_check(
        unit(
            name="永川 区 总工会",
            code=" CQ-YC 01 ",
            parent="CQ -YC",
            kind=" 区县工会 ",
            industry=" 机关 ",
        )
    )

    assert row.problems == []
    assert row.row_number == 4
    assert row.name == "永川区总工会"
    assert row.code == "CQ-YC01"
    assert row.parent == "CQ-YC"
    assert row.kind == "区县工会"
    assert row.industry == "机关"


@pytest.mark.parametrize("code", ["CQ", "cq-01", "CQ/YC/01", "a_b.c", "0" * UNIT_CODE_MAX])
def test_unit_codes_that_are_accepted(code):
    row = unit_row_check(unit(code=code))

    assert row.problems == []
    assert row.code == code


@pytest.mark.parametrize("code", ["cq#1", "-cq", "重庆01", "cq,01", "0" * (UNIT_CODE_MAX + 1)])
def test_unit_codes_that_are_refused(code):
    assert codes(unit_row_check(unit(code=code))) == [("code", "unit_code_invalid")]


@pytest.mark.parametrize(
    ("key", "value"), [("name", ""), ("name", "  "), ("code", ""), ("code", " ")]
)
def test_unit_name_and_code_are_required(key, value):
    assert codes(unit_row_check(unit(**{key: value}))) == [(key, "required")]


def test_a_unit_name_has_a_limit():
    assert unit_row_check(unit(name="会" * UNIT_NAME_MAX)).problems == []
    row = unit_row_check(unit(name="会" * (UNIT_NAME_MAX + 1)))

    assert row.problems == [Problem("name", "too_long", {"limit": 200})]


def test_a_unit_industry_has_a_limit():
    row = unit_row_check(unit(industry="x" * (TEXT_MAX + 1)))

    assert row.problems == [Problem("industry", "too_long", {"limit": 100})]


@pytest.mark.parametrize("parent", ["CQ-YC", " CQ -YC "])
def test_a_unit_cannot_be_its_own_parent(parent):
    row = unit_row_check(unit(code="CQ-YC", parent=parent))

    assert codes(row) == [("parent", "unit_parent_is_itself")]


def test_a_blank_parent_is_allowed():
    row = unit_row_check(unit(parent=""))

    assert row.problems == []
    assert row.parent == ""
