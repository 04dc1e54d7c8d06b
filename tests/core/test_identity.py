import pytest

from laurel.core.identity import (
    InvalidMobile,
    id_card_mask,
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
