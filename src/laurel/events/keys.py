"""Events' ticket keys: each event's Ed25519 key pair, its private key sealed at rest, and the
keyed hash a typed ticket code is found by.

An event's key pair is made with the event (``core.tickets.keypair_new``). The public key is
kept as hex (``Event.public_key``); the private key only Fernet-encrypted
(``Event.private_key_sealed``) with a key derived by HKDF-SHA256 from ``LAUREL_TICKET_KEY``
(unset: from ``SECRET_KEY``), as ``notifications/sealing.py`` seals a message's text. It is
unsealed on the server to sign a ticket or derive its code, never shown, never sent to a
device, never written to audit data. A ticket's typed code is stored only as an HMAC-SHA256
under another key derived from the same source (``code_digest``). Changing that source makes
every event's tickets unusable: set ``LAUREL_TICKET_KEY`` in production and keep it.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from laurel.core.tickets import keypair_new

_SEAL_PURPOSE = b"laurel.events.ticket-private-key"
_CODE_PURPOSE = b"laurel.events.ticket-code"


class TicketKeyUnreadable(Exception):
    """An event's private key cannot be unsealed: the ticket key changed since it was made."""


def key_pair_new() -> tuple[str, str]:
    """A new event key pair as the event keeps it: (public key as hex, private key sealed)."""
    private_raw, public_raw = keypair_new()
    return public_raw.hex(), _fernet(_key_source()).encrypt(private_raw).decode("ascii")


def private_key_of(event) -> bytes:
    """``event``'s private key, 32 raw bytes, unsealed: for signing on the server only."""
    try:
        return _fernet(_key_source()).decrypt(event.private_key_sealed.encode("ascii"))
    except InvalidToken:
        raise TicketKeyUnreadable(
            f"the private key of event {event.pk} cannot be unsealed (was LAUREL_TICKET_KEY "
            "changed?)"
        ) from None


def public_key_of(event) -> bytes:
    """``event``'s public key, 32 raw bytes."""
    return bytes.fromhex(event.public_key)


def code_digest(event_id: int, normalised_code: str) -> str:
    """The keyed hash a ticket's typed code is stored and found by, within its event."""
    message = f"{event_id}\x00{normalised_code}".encode()
    return hmac.new(_key(_key_source(), _CODE_PURPOSE), message, hashlib.sha256).hexdigest()


def _key_source() -> str:
    return settings.TICKET_KEY or settings.SECRET_KEY


@lru_cache(maxsize=8)
def _key(key_source: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        key_source.encode()
    )


@lru_cache(maxsize=4)
def _fernet(key_source: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key(key_source, _SEAL_PURPOSE)))
