"""A queued message's full text, sealed until delivery; what stays readable has its secrets masked.

One-time codes, invitation links and initial passwords are never stored in clear: an
``OutgoingMessage`` keeps ``body`` masked and the full text (with the list of its secret
parts) in ``body_sealed``, Fernet-encrypted with a key derived by HKDF-SHA256 from
``LAUREL_MESSAGE_KEY`` (or, unset, from ``SECRET_KEY``). Delivery unseals it once and then
wipes it.
"""

import base64
import json
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

MASK = "••••••"
_KEY_PURPOSE = b"laurel.notifications.outgoing-message-body"


class MessageUnreadable(Exception):
    """The sealed text is gone (already delivered or failed for good) or the key changed."""


@dataclass(frozen=True)
class SealedText:
    body: str
    secrets: tuple[str, ...]


def secrets_mask(text: str, secrets: tuple[str, ...] | list[str]) -> str:
    """``text`` with every occurrence of each secret replaced by ``MASK`` (longest first)."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def text_seal(body: str, secrets: tuple[str, ...] | list[str]) -> str:
    payload = json.dumps({"body": body, "secrets": list(secrets)}, ensure_ascii=False)
    return _fernet(_key_source()).encrypt(payload.encode()).decode("ascii")


def text_unseal(token: str) -> SealedText:
    if not token:
        raise MessageUnreadable("nothing left to send: the message text was already wiped")
    try:
        payload = json.loads(_fernet(_key_source()).decrypt(token.encode("ascii")))
    except InvalidToken:
        raise MessageUnreadable(
            "the message text cannot be decrypted (was LAUREL_MESSAGE_KEY changed?)"
        ) from None
    return SealedText(body=payload["body"], secrets=tuple(payload["secrets"]))


def _key_source() -> str:
    return settings.MESSAGE_KEY or settings.SECRET_KEY


@lru_cache(maxsize=4)
def _fernet(key_source: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_PURPOSE).derive(
        key_source.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))
