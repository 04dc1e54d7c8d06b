"""Keyed hashes: how one-time codes, the numbers they go to and identities kept for later
checks (one vote per person) are stored — never in clear.

Each is an HMAC-SHA256 under a key derived by HKDF-SHA256 from ``LAUREL_IDENTITY_KEY`` (unset:
from ``SECRET_KEY``), one key per use. Without the key a table of them tells nothing: a
six-digit code or an 11-digit mobile cannot be found by trying every value. Changing the key
makes the identities kept so far unrecognisable and the live codes unusable; set
``LAUREL_IDENTITY_KEY`` in production so that rotating the secret key does neither.
"""

import hashlib
import hmac
from collections.abc import Callable
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from laurel.core.identity import id_card_normalise, mobile_normalise

_IDENTITY_PURPOSE = b"laurel.accounts.identity-hash"
_CODE_PURPOSE = b"laurel.accounts.one-time-code"

# What a kind of identity is normalised with first: one person, one spelling, one hash.
IDENTITY_NORMALISERS: dict[str, Callable[[str], str]] = {
    "mobile": mobile_normalise,
    "id_card": id_card_normalise,
    "email": lambda value: value.strip().casefold(),
    "address": lambda value: value.strip(),  # a client address, canonical already
}


def identity_hash(kind: str, value: str) -> str:
    """The keyed hash of an identity of ``kind`` (``mobile``, ``id_card``, ``email``,
    ``address``), normalised first: ``identity_hash("mobile", "+86 178-1234-6889")`` equals
    ``identity_hash("mobile", "17812346889")``. Raises ``ValueError`` for an unknown kind or
    a value that is not one (``InvalidMobile``, ``InvalidIdCard``)."""
    normalise = IDENTITY_NORMALISERS.get(kind)
    if normalise is None:
        raise ValueError(f"no identity of kind {kind!r}")
    message = f"{kind}\x00{normalise(value)}".encode()
    return hmac.new(_key(_key_source(), _IDENTITY_PURPOSE), message, hashlib.sha256).hexdigest()


def code_digest(purpose: str, code: str) -> str:
    """The keyed hash a one-time code is stored as, for one purpose (a reset code is no
    verification code)."""
    message = f"{purpose}\x00{code.strip()}".encode()
    return hmac.new(_key(_key_source(), _CODE_PURPOSE), message, hashlib.sha256).hexdigest()


def _key_source() -> str:
    return settings.IDENTITY_KEY or settings.SECRET_KEY


@lru_cache(maxsize=8)
def _key(key_source: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        key_source.encode()
    )
