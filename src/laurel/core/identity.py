"""Mainland mobile numbers and ID-card numbers: normalise, validate, mask.

Masked forms are what every page, export and log line shows (only the person themself sees
their numbers whole unless a holder of the personal-data permission reveals them):
``138****1234`` and ``500101********123X``. ``personal_numbers_mask`` finds numbers inside
any text (query strings, log lines); ``personal_number_in`` tells a search for a whole number
from a search by name or by the visible parts of a masked number.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


class InvalidMobile(ValueError):
    """The text is not a mainland 11-digit mobile number."""


def mobile_normalise(text: str) -> str:
    """Return the 11 digits of a mainland mobile, tolerating +86/0086, spaces and dashes.

    >>> mobile_normalise("+86 138-0013 8000")
    '13800138000'
    """
    value = unicodedata.normalize("NFKC", text).strip()
    value = re.sub(r"[\s\-()]", "", value)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if not MOBILE_PATTERN.fullmatch(value):
        raise InvalidMobile(text)
    return value


# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11.
ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CARD_CHECK = "10X98765432"


@dataclass(frozen=True)
class InvalidIdCard(ValueError):
    """Why an ID-card number is refused: a stable ``code`` and the text as given."""

    code: str  # empty | legacy_15 | length | characters | birth_date | check_digit
    text: str

    def __str__(self) -> str:
        return f"{self.code}: {self.text!r}"


def id_card_normalise(text: str) -> str:
    """Return an 18-character resident ID number, upper-case X, or raise ``InvalidIdCard``.

    Full-width characters and a lower-case x are normalised, spaces dropped; the birth date
    must be a real date no later than today and the GB 11643 check character must match.
    15-digit numbers (issued before 1999) are refused with their own code.
    """
    value = re.sub(r"\s", "", unicodedata.normalize("NFKC", text or "")).upper()
    if not value:
        raise InvalidIdCard("empty", text)
    if len(value) == 15 and value.isdigit():
        raise InvalidIdCard("legacy_15", text)
    if len(value) != 18:
        raise InvalidIdCard("length", text)
    if not (value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        raise InvalidIdCard("characters", text)
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdCard("birth_date", text) from None
    if born.year < 1900 or born > date.today():  # noqa: DTZ011 - a calendar date, no zone
        raise InvalidIdCard("birth_date", text)
    if id_card_check_character(value[:17]) != value[17]:
        raise InvalidIdCard("check_digit", text)
    return value


def id_card_check_character(first17: str) -> str:
    """The GB 11643 check character for 17 digits (used to make valid demo numbers)."""
    total = sum(int(d) * w for d, w in zip(first17, ID_CARD_WEIGHTS, strict=True))
    return ID_CARD_CHECK[total % 11]


def mobile_mask(mobile: str) -> str:
    """``13812341234`` → ``138****1234``; anything shorter is masked whole."""
    if len(mobile) < 8:
        return "*" * len(mobile)
    return f"{mobile[:3]}{'*' * (len(mobile) - 7)}{mobile[-4:]}"


def id_card_mask(number: str) -> str:
    """``50010119900101123X`` → ``500101********123X`` (region kept, birth date hidden)."""
    if len(number) < 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


PERSONAL_FIELD_MASKS = {
    "mobile": mobile_mask,
    "phone": mobile_mask,
    "id_card": id_card_mask,
    "id_number": id_card_mask,
}


def personal_fields_mask(data: object) -> object:
    """Mask a JSON-like structure: personal fields by key, and any number found inside any
    other string (keys too) by ``personal_numbers_mask``; other values pass."""
    if isinstance(data, dict):
        masked = {}
        for key, value in data.items():
            mask = PERSONAL_FIELD_MASKS.get(key)
            safe_key = personal_numbers_mask(key) if isinstance(key, str) else key
            if mask and isinstance(value, str) and value:
                masked[safe_key] = mask(value)
            else:
                masked[safe_key] = personal_fields_mask(value)
        return masked
    if isinstance(data, list | tuple):
        return [personal_fields_mask(item) for item in data]
    if isinstance(data, str):
        return personal_numbers_mask(data)
    return data


# --- numbers inside free text -------------------------------------------------------------
# Audit data, log lines and query strings may carry a number in any spelling: plain, grouped
# by spaces or dashes, URL-encoded (``q=178+1234+6889``, ``%2B86``), or in full-width digits.
# A number is found only when it is not part of a longer run of digits.

_DIGIT = "[0-9０-９]"
_SEPARATOR = r"(?:[ \-+\u3000]|%20|%2[Dd])"
_NOT_AFTER_DIGIT = "(?<![0-9０-９])"
_NOT_BEFORE_DIGIT = "(?![0-9０-９])"
ID_CARD_IN_TEXT = re.compile(
    f"{_NOT_AFTER_DIGIT}(?P<number>{_DIGIT}{{6}}(?:{_SEPARATOR}?{_DIGIT}){{11}}"
    f"{_SEPARATOR}?[0-9０-９XxＸｘ]){_NOT_BEFORE_DIGIT}"
)
MOBILE_IN_TEXT = re.compile(
    f"{_NOT_AFTER_DIGIT}(?:(?:[+＋]|%2[Bb]|00)?[8８][6６]{_SEPARATOR}?)?"
    f"(?P<number>[1１][3-9３-９]{_DIGIT}(?:{_SEPARATOR}?{_DIGIT}){{8}}){_NOT_BEFORE_DIGIT}"
)
_SEPARATORS = re.compile(r"%20|%2[Dd]|[ \-+\u3000]")
_HEX = frozenset("0123456789abcdefABCDEF")
DIGEST_MIN_LENGTH = 32  # a hex digest (MD5 and longer) is left whole: it is no one's number


def personal_numbers_mask(text: str) -> str:
    """Mask every ID-card and mobile number found anywhere in ``text``.

    >>> personal_numbers_mask("q=%2B86+178+1234+6889&id=50010119900101123X")
    'q=%2B86+178****6889&id=500101********123X'
    """
    text = ID_CARD_IN_TEXT.sub(lambda m: _masked(m, id_card_mask), text)
    return MOBILE_IN_TEXT.sub(lambda m: _masked(m, mobile_mask), text)


def _masked(match: re.Match, mask) -> str:
    text = match.string
    start, end = match.span("number")
    if _inside_digest(text, start, end):
        return match.group(0)
    digits = unicodedata.normalize("NFKC", _SEPARATORS.sub("", match.group("number"))).upper()
    return text[match.start() : start] + mask(digits)


def _inside_digest(text: str, start: int, end: int) -> bool:
    while start > 0 and text[start - 1] in _HEX:
        start -= 1
    while end < len(text) and text[end] in _HEX:
        end += 1
    token = text[start:end]
    return len(token) >= DIGEST_MIN_LENGTH and all(c in _HEX for c in token)


def personal_number_in(query: str) -> tuple[str, str] | None:
    """A search text that is a whole mobile or ID-card number: ``("mobile", digits)`` or
    ``("id_card", number)`` normalised; ``None`` for anything else (names, parts of numbers).
    """
    try:
        return ("mobile", mobile_normalise(query))
    except InvalidMobile:
        pass
    try:
        return ("id_card", id_card_normalise(query))
    except InvalidIdCard:
        return None
