"""Reads: the roster match, and the session's state — a code waiting to be typed
(``pending_read``) or a person verified (``verified_member``, ``verified_mobile_hash``: what
later features read, and nothing else).

The session holds, under ``PENDING``, what the code page needs (the member's pk, or an
outsider's mobile until it is verified, the ``next`` URL, when a new code may be asked for);
under ``VERIFIED`` the member's pk (or none), the keyed hash of the mobile and the end of the
verification (``LAUREL_VERIFIED_MINUTES``).
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone

from laurel.members.models import Member
from laurel.verification.policy import member_verifiable

PENDING = "verification.pending"
VERIFIED = "verification.verified"


def member_match(*, name: str, kind: str, number: str) -> Member | None:
    """The one roster member with this name and this ID-card number (``kind`` ``id_card``)
    or mobile (``mobile``), both normalised, who can be sent a code; None for no match, for
    a member without a mobile on the roster, and for several matches alike — the answer never
    says which detail was wrong, nor how many people matched."""
    field = "id_card" if kind == "id_card" else "mobile"
    name = " ".join(unicodedata.normalize("NFKC", name).split())
    found = list(Member.objects.filter(name=name, **{field: number})[:2])
    if len(found) != 1 or not member_verifiable(found[0]):
        return None
    return found[0]


@dataclass(frozen=True)
class Pending:
    """A code sent and not yet typed, as the session keeps it."""

    kind: str  # "member" | "mobile"
    member_id: int | None
    mobile: str  # an outsider's, until verified; "" for a member (the roster's is used)
    next_url: str
    resend_at: datetime


def pending_read(session) -> Pending | None:
    data = session.get(PENDING)
    if not data:
        return None
    return Pending(
        kind=data["kind"],
        member_id=data["member"],
        mobile=data["mobile"],
        next_url=data["next"],
        resend_at=datetime.fromisoformat(data["resend_at"]),
    )


def pending_recipient(pending: Pending) -> tuple[Member | None, str]:
    """Whom the waiting code was sent to: the member and their roster mobile, or no member
    and the outsider's mobile. A member gone from the roster, or without a mobile now, is
    ``(None, "")``."""
    if pending.kind != "member":
        return None, pending.mobile
    member = Member.objects.filter(pk=pending.member_id).first()
    if member is None or not member_verifiable(member):
        return None, ""
    return member, member.mobile


def verified_member(request: HttpRequest) -> Member | None:
    """The roster member this session has proved to be, while the verification lasts."""
    verified = _verified(request.session)
    if verified is None or verified["member"] is None:
        return None
    return Member.objects.filter(pk=verified["member"]).first()


def verified_mobile_hash(request: HttpRequest) -> str | None:
    """``identity_hash("mobile", …)`` of the mobile this session has proved its own (a
    member's roster mobile, or an outsider's), while the verification lasts."""
    verified = _verified(request.session)
    return verified["mobile_hash"] if verified is not None else None


def verified_until(request: HttpRequest) -> datetime | None:
    verified = _verified(request.session)
    return datetime.fromisoformat(verified["until"]) if verified is not None else None


def _verified(session) -> dict | None:
    data = session.get(VERIFIED)
    if not data or datetime.fromisoformat(data["until"]) <= timezone.now():
        return None
    return data
