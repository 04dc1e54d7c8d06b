"""Event tickets: a payload signed with the event's Ed25519 key, and a short typed code.

Each event has an Ed25519 key pair (RFC 8032). The private key is 32 raw bytes (the RFC's
seed) and stays on the server; the public key is the RFC's 32-byte encoded point, the
``public_raw`` of ``keypair_new``, and is all a device needs to check tickets on its own.

**The payload** (what a ticket's QR code carries, and what a scanner types) is ASCII text
of four parts joined by dots::

    L1.<event id>.<ticket id>.<signature>

- ``L1`` is the format and its version, upper case.
- The event id and the ticket id are positive integers (at most 2**63 - 1) written in
  base 36 with the digits ``0-9`` then ``A-Z``, upper case, no leading zero, no sign.
- The signature is the 64-byte Ed25519 signature over the UTF-8 (here ASCII) bytes of the
  first three parts as they stand, dots included — ``L1.<event id>.<ticket id>`` —, written
  in base64url (RFC 4648 §5, ``-`` and ``_``) without padding: exactly 86 characters, the
  last of which carries only two bits (its four unused bits are zero).

Every part has exactly one spelling, so a payload is either the one the server made or
refused. White space around the payload (a handheld scanner's Enter or Tab) is ignored.
Event 1, ticket 1,000 signs ``L1.1.RS`` and reads ``L1.1.RS.<86 characters>``. A device
verifies a payload with any Ed25519 library, in Python::

    head, _, signature = payload.rpartition(".")
    Ed25519PublicKey.from_public_bytes(public_raw).verify(
        base64.urlsafe_b64decode(signature + "=="), head.encode())

then reads the ids from ``head`` with ``int(part, 36)`` (and checks the shape as
``payload_parse`` does).

**The typed code** is for people whose QR code cannot be read: 8 characters of Crockford's
base 32 (``0-9`` and ``A-Z`` without ``I L O U``) shown as ``XXXX-XXXX``: the first 40 bits
(5 bytes, read most significant bit first, 5 bits a character) of HMAC-SHA256 over the
ticket id as 8 bytes big-endian, keyed by 32 bytes derived from the event's private key by
HKDF-SHA256 (RFC 5869; no salt, info ``laurel ticket code v1``). It is never stored in
clear: the server recomputes it for the ticket's holder, and only the holder of the private
key can make one. A typed code is read by ``code_normalise``.

**The offline check of a typed code.** A gate's device that has lost the network finds a
typed code in the event's ticket list, which carries, instead of each code, the first 4
bytes of PBKDF2-HMAC-SHA256 (RFC 8018) of the code as ``code_normalise`` writes it (ASCII,
``XXXX-XXXX``), salted with the list's own random salt, over ``OFFLINE_CODE_ITERATIONS``
rounds: ``code_offline_check``. Four bytes are enough to find the one ticket among
thousands (a wrong code matches one of 2,000 tickets about once in two million) and too few
to give a code back: every check value is shared by some 256 codes of the 2**40, so a device
that is lost does not give away the codes of its list.
"""

import base64
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "L1"
ID_MAX = 2**63 - 1  # a database's bigint
BASE36_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ID_PATTERN = r"([1-9A-Z][0-9A-Z]{0,12})"  # 13 base-36 digits hold 2**63 - 1
SIGNATURE_PATTERN = r"([0-9A-Za-z_-]{86})"  # 64 bytes in base64url without padding
PAYLOAD_PATTERN = re.compile(rf"{PREFIX}\.{ID_PATTERN}\.{ID_PATTERN}\.{SIGNATURE_PATTERN}")

CROCKFORD_DIGITS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_CHARS = 8
CODE_KEY_INFO = b"laurel ticket code v1"
# Read as their look-alikes, as Crockford's base 32 asks; U is refused, not read as V.
CODE_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
OFFLINE_CODE_ITERATIONS = 1000
OFFLINE_CODE_BYTES = 4
CODE_SEPARATORS = re.compile(r"[\s\-\u2010]")  # spaces, hyphens (after NFKC: full-width too)


class TicketForged(ValueError):
    """The text is not a payload of this format, or its signature does not hold."""


@dataclass(frozen=True)
class Claim:
    """What a payload says: the ticket ``ticket_id`` of the event ``event_id``."""

    event_id: int
    ticket_id: int


def keypair_new() -> tuple[bytes, bytes]:
    """A new event key pair: (private key, public key), 32 raw bytes each."""
    private_key = Ed25519PrivateKey.generate()
    return private_key.private_bytes_raw(), private_key.public_key().public_bytes_raw()


def base36(number: int) -> str:
    """``number`` (≥ 1) in upper-case base 36: ``base36(1000) == "RS"``."""
    digits = []
    while number > 0:
        number, digit = divmod(number, 36)
        digits.append(BASE36_DIGITS[digit])
    return "".join(reversed(digits))


def id_check(name: str, value: int) -> None:
    """Refuse an id a payload cannot carry (a caller's mistake, not a forgery)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= ID_MAX:
        raise ValueError(f"{name} must be an integer from 1 to 2**63 - 1, not {value!r}")


def signed_text(event_id: int, ticket_id: int) -> str:
    """The text a payload's signature covers: ``L1.<event id>.<ticket id>``."""
    return f"{PREFIX}.{base36(event_id)}.{base36(ticket_id)}"


def payload_sign(private_raw: bytes, *, event_id: int, ticket_id: int) -> str:
    """The payload of a ticket, signed with the event's private key."""
    id_check("event_id", event_id)
    id_check("ticket_id", ticket_id)
    text = signed_text(event_id, ticket_id)
    signature = Ed25519PrivateKey.from_private_bytes(bytes(private_raw)).sign(text.encode("ascii"))
    return f"{text}.{base64.urlsafe_b64encode(signature).decode('ascii').rstrip('=')}"


def payload_split(payload: str) -> tuple[Claim, str, bytes]:
    """(the claim, the signed text, the signature) of a well-formed payload, else forged."""
    match = PAYLOAD_PATTERN.fullmatch(payload.strip())
    if match is None:
        raise TicketForged("not a ticket payload")
    event_part, ticket_part, signature_part = match.groups()
    event_id, ticket_id = int(event_part, 36), int(ticket_part, 36)
    if event_id > ID_MAX or ticket_id > ID_MAX:
        raise TicketForged("ticket payload: id out of range")
    signature = base64.urlsafe_b64decode(signature_part + "==")
    if base64.urlsafe_b64encode(signature).decode("ascii").rstrip("=") != signature_part:
        raise TicketForged("ticket payload: signature not in canonical base64url")
    head = f"{PREFIX}.{event_part}.{ticket_part}"
    return Claim(event_id=event_id, ticket_id=ticket_id), head, signature


def payload_parse(payload: str) -> Claim:
    """The claim a payload makes, its shape checked but not its signature.

    For finding the event whose key verifies it; never trust the claim before
    ``payload_verify``.
    """
    claim, _, _ = payload_split(payload)
    return claim


def payload_verify(payload: str, public_raw: bytes) -> Claim:
    """The claim of a payload whose signature the event's public key verifies, else forged."""
    claim, head, signature = payload_split(payload)
    public_key = Ed25519PublicKey.from_public_bytes(bytes(public_raw))
    try:
        public_key.verify(signature, head.encode("ascii"))
    except InvalidSignature:
        raise TicketForged("ticket payload: the signature does not hold") from None
    return claim


def looks_like_payload(text: str) -> bool:
    """Whether a scanner read this (it starts with ``L1.``), rather than a person typed a code."""
    return text.strip().startswith(PREFIX + ".")


def code_format(digits: str) -> str:
    """Eight code characters shown as ``XXXX-XXXX``."""
    return f"{digits[:4]}-{digits[4:]}"


def code_derive(private_raw: bytes, ticket_id: int) -> str:
    """The typed code of a ticket, ``XXXX-XXXX``: the same for the same key and ticket."""
    id_check("ticket_id", ticket_id)
    code_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=CODE_KEY_INFO).derive(
        bytes(private_raw)
    )
    digest = hmac.new(code_key, ticket_id.to_bytes(8, "big"), hashlib.sha256).digest()
    bits = int.from_bytes(digest[:5], "big")  # 40 bits: 8 characters of 5 bits
    digits = "".join(CROCKFORD_DIGITS[(bits >> shift) & 31] for shift in range(35, -1, -5))
    return code_format(digits)


def code_normalise(typed: str) -> str:
    """A typed code as ``code_derive`` writes it, or ``""`` when it cannot be one.

    Full-width characters and lower case are read as their plain upper-case forms, spaces
    and hyphens dropped, ``O`` read as ``0`` and ``I`` or ``L`` as ``1``. What is left must be
    exactly 8 characters of Crockford's base 32 (``U`` is not one).
    """
    text = CODE_SEPARATORS.sub("", unicodedata.normalize("NFKC", typed).upper())
    text = text.translate(CODE_LOOK_ALIKES)
    if len(text) != CODE_CHARS or any(char not in CROCKFORD_DIGITS for char in text):
        return ""
    return code_format(text)


def code_offline_check(code: str, salt: bytes, iterations: int = OFFLINE_CODE_ITERATIONS) -> bytes:
    """What a ticket list offline carries for the typed ``code`` (as ``code_normalise``
    writes it) under the list's ``salt``: see the module's description."""
    return hashlib.pbkdf2_hmac(
        "sha256", code.encode("ascii"), salt, iterations, dklen=OFFLINE_CODE_BYTES
    )
