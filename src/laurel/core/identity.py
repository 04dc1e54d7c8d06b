"""Mainland mobile numbers and ID-card numbers: normalise, validate, mask.

Masked forms are what every page, export and log line shows to someone without the
personal-data permission: ``138****1234`` and ``500101********123X``.
"""

import re
import unicodedata

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
    """Mask personal fields by key anywhere in a JSON-like structure; other values pass."""
    if isinstance(data, dict):
        masked = {}
        for key, value in data.items():
            mask = PERSONAL_FIELD_MASKS.get(key)
            if mask and isinstance(value, str) and value:
                masked[key] = mask(value)
            else:
                masked[key] = personal_fields_mask(value)
        return masked
    if isinstance(data, list | tuple):
        return [personal_fields_mask(item) for item in data]
    return data
