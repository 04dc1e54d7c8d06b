import pytest

from laurel.core.identity import (
    InvalidIdCard,
    InvalidMobile,
    id_card_check_character,
    id_card_mask,
    id_card_normalise,
    mobile_mask,
    mobile_normalise,
    personal_fields_mask,
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
