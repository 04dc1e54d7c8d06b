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
