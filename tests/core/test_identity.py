import datetime
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laurel.core.identity import (
    InvalidIdCard,
    InvalidMobile,
    id_card_check_character,
    id_card_mask,
    id_card_normalise,
    mobile_mask,
    mobile_normalise,
    personal_fields_mask,
    personal_number_in,
    personal_numbers_mask,
)


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "１３８１２３４５６７８",
    ],
)
def test_mobiles_are_normalised_to_eleven_digits(text):
    assert mobile_normalise(text) == "13812345678"


@pytest.mark.parametrize("text", ["", "12812345678", "1381234567", "138123456789", "023-6543210"])
def test_what_is_not_a_mainland_mobile_is_refused(text):
    with pytest.raises(InvalidMobile):
        mobile_normalise(text)


def test_masks():
    assert mobile_mask("13812341234") == "138****1234"
    assert id_card_mask("50010119900101123X") == "500101********123X"


def test_personal_fields_are_masked_anywhere_in_the_data():
    data = {"mobile": "13812341234", "rows": [{"id_card": "50010119900101123X", "name": "王"}]}
    assert personal_fields_mask(data) == {
        "mobile": "138****1234",
        "rows": [{"id_card": "500101********123X", "name": "王"}],
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),  # the standard's own example
        ("11010519491231002x", "11010519491231002X"),  # lower-case x
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width
        (" 110105 19491231 002X ", "11010519491231002X"),  # stray spaces
    ],
)
def test_valid_id_cards_are_normalised(text, expected):
    assert id_card_normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("110105491231002", "legacy_15"),  # 15 digits, issued before 1999
        ("1101051949123100", "length"),
        ("11010519491231002Y", "characters"),
        ("110105199902300011", "birth_date"),  # 1999-02-30 does not exist
        ("110105219901010011", "birth_date"),  # born in the future
        ("110105194912310021", "check_digit"),  # one check character off
    ],
)
def test_invalid_id_cards_say_why(text, code):
    with pytest.raises(InvalidIdCard) as refused:
        id_card_normalise(text)
    assert refused.value.code == code


def test_check_character_makes_valid_numbers():
    first17 = "50010119900101123"
    number = first17 + id_card_check_character(first17)
    assert id_card_normalise(number) == number


@pytest.mark.parametrize(
    "first17",
    [
        "11010519990230001",  # 1999-02-30
        "11010519990229001",  # 1999 is not a leap year
        "11010519991301001",  # month 13
        "11010519990100001",  # day 0
        "11010518991231001",  # before 1900
    ],
)
def test_impossible_birth_dates_are_refused_even_with_a_correct_check_character(first17):
    with pytest.raises(InvalidIdCard) as refused:
        id_card_normalise(first17 + id_card_check_character(first17))
    assert refused.value.code == "birth_date"


def test_a_leap_day_birth_date_is_valid():
    number = "11010520000229001" + id_card_check_character("11010520000229001")
    assert id_card_normalise(number) == number


@pytest.mark.parametrize(
    "text",
    ["+86-138-1234-5678", "(+86) 138 1234 5678", "0086 138 1234 5678", "+86１３８１２３４５６７８"],
)
def test_more_international_forms_of_a_mobile(text):
    assert mobile_normalise(text) == "13812345678"


@pytest.mark.parametrize(
    "text",
    [
        "023-49871234",
        "(023)49871234",
        "02349871234",
        "49871234",
        "+86 23 4987 1234",
        "+852 6123 4567",
    ],
)
def test_landlines_and_foreign_numbers_are_not_mobiles(text):
    with pytest.raises(InvalidMobile):
        mobile_normalise(text)


# --- numbers inside free text -------------------------------------------------------------

MOBILE = "17812346889"
ID_CARD = "50010119900101123X"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("q=17812346889&unit=3", "q=178****6889&unit=3"),
        ("q=178+1234+6889", "q=178****6889"),  # a query string's spaces
        ("q=178%201234%206889", "q=178****6889"),
        ("q=%2B8617812346889", "q=%2B86178****6889"),
        ("+86 178-1234-6889", "+86 178****6889"),
        ("电话１７８１２３４６８８９。", "电话178****6889。"),  # full-width digits
        ("/next?q%3D17812346889", "/next?q%3D178****6889"),  # encoded twice
        ("id 50010119900101123x!", "id 500101********123X!"),
        ("500101 19900101 123X", "500101********123X"),
        ("q=500101%2019900101%20123X", "q=500101********123X"),
        ("two: 17812346889,13900000001", "two: 178****6889,139****0001"),
    ],
)
def test_numbers_inside_any_text_are_masked(text, expected):
    assert personal_numbers_mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "217812346889",  # 12 digits: a longer run is not a mobile
        "1781234688912",
        "order 2024-05-01 13:45:00, 3 rows",
        "12812346889",  # 12x is no mobile prefix
        "sha256 " + "ab" * 10 + MOBILE + "cd" * 10,  # inside a hex digest
    ],
)
def test_other_text_passes_unchanged(text):
    assert personal_numbers_mask(text) == text


NOT_DIGITS_NOR_HEX = st.text(
    alphabet=st.characters(blacklist_categories=["Nd"], blacklist_characters="abcdefABCDEF"),
    max_size=20,
)


@given(
    before=NOT_DIGITS_NOR_HEX,
    after=NOT_DIGITS_NOR_HEX,
    spelling=st.sampled_from(
        [lambda n: n, quote_plus, lambda n: quote(f"{n[:3]} {n[3:7]} {n[7:]}")]
    ),
    middle=st.integers(0, 9999),
)
def test_a_mobile_anywhere_loses_its_hidden_digits(before, after, spelling, middle):
    mobile = f"178{middle:04d}6889"
    assert personal_numbers_mask(before + spelling(mobile) + after) == (
        before + "178****6889" + after
    )


@given(
    prefix=st.text(alphabet="q=&%?/ 号码", max_size=10),
    birth=st.dates(datetime.date(1930, 1, 1), datetime.date(2020, 12, 31)),
    serial=st.integers(0, 999),
)
def test_an_id_number_anywhere_loses_its_birth_date(prefix, birth, serial):
    first17 = f"500101{birth:%Y%m%d}{serial:03d}"
    number = first17 + id_card_check_character(first17)
    masked = personal_numbers_mask(prefix + number)
    assert f"{birth:%Y%m%d}" not in masked
    assert masked == prefix + "500101********" + number[-4:]


def test_personal_fields_mask_finds_numbers_in_any_string_and_key():
    data = {"description": "q=17812346889&unit=3", "notes": ["call 13900000001"], MOBILE: 1}
    assert personal_fields_mask(data) == {
        "description": "q=178****6889&unit=3",
        "notes": ["call 139****0001"],
        "178****6889": 1,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (MOBILE, ("mobile", MOBILE)),
        ("+86 178-1234-6889", ("mobile", MOBILE)),
        ("50010119900101123x", ("id_card", ID_CARD)),
        ("6889", None),
        ("178****6889", None),
        ("500101", None),
        ("50010119900101123Y", None),
        ("王芳", None),
    ],
)
def test_a_search_for_a_whole_number_is_told_from_other_searches(query, expected):
    assert personal_number_in(query) == expected
