"""Writes: a code sent to a roster member's mobile or an outsider's, and typed back.

Each sends or checks through ``accounts.codes`` (six digits, one live code per number, a
minute between sends, daily caps per number and — for an outsider's mobile, which the asker
chooses — per address: a roster member's code is capped per number only, so a venue's
members behind one address all verify; keyed hashes only), writes one
audit entry in the same transaction — never with the code — and keeps the flow's state in
the session (``selectors.PENDING``, ``selectors.VERIFIED``).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.codes import CodeRefused, CodeSent, code_redeem, code_send
from laurel.accounts.keyed_hashes import identity_hash
from laurel.accounts.models import OneTimeCode
from laurel.audit.services import audit_log
from laurel.members.models import Member
from laurel.verification.selectors import (
    PENDING,
    VERIFIED,
    Pending,
    pending_read,
    pending_recipient,
)


class NothingPending(ValidationError):
    """No code is waiting in this session (none asked for, or the session ended)."""

    def __init__(self):
        super().__init__(_("Ask for a code first."), code="nothing_pending")


def _body() -> str:
    return _(
        "Your Laurel verification code is %(code)s. It expires in %(minutes)d minutes. "
        "Never tell it to anyone."
    )


def member_code_send(
    *, session, member: Member, client_address: str | None, next_url: str = ""
) -> CodeSent:
    """Send a code to the roster mobile of ``member`` (matched by ``selectors.member_match``)
    and remember in the session that it waits. Raises ``CodeSendRefused``."""
    with transaction.atomic():
        sent = _send(to=member.mobile, client_address=client_address, address_capped=False)
        audit_log(actor=None, action="verification.code.sent", obj=member, unit=member.unit)
    _pending_keep(session, kind="member", member=member, mobile="", next_url=next_url, sent=sent)
    return sent


def mobile_code_send(
    *, session, mobile: str, client_address: str | None, next_url: str = ""
) -> CodeSent:
    """Send a code to an outsider's ``mobile`` (normalised). Raises ``CodeSendRefused``."""
    with transaction.atomic():
        sent = _send(to=mobile, client_address=client_address, address_capped=True)
        audit_log(actor=None, action="verification.code.sent", data={"mobile": mobile})
    _pending_keep(session, kind="mobile", member=None, mobile=mobile, next_url=next_url, sent=sent)
    return sent


def code_resend(*, session, client_address: str | None) -> CodeSent:
    """A new code for the number this session is verifying (the old one stops working).
    Raises ``NothingPending`` or ``CodeSendRefused`` (within the minute, a cap)."""
    pending, member, mobile = _pending_or_refuse(session)
    with transaction.atomic():
        sent = _send(to=mobile, client_address=client_address, address_capped=member is None)
        audit_log(
            actor=None,
            action="verification.code.sent",
            obj=member,
            unit=member.unit if member is not None else None,
            data={} if member is not None else {"mobile": mobile},
        )
    _pending_keep(
        session,
        kind=pending.kind,
        member=member,
        mobile=pending.mobile,
        next_url=pending.next_url,
        sent=sent,
    )
    return sent


def code_confirm(*, session, code: str) -> Pending:
    """Check the code typed for the number this session is verifying. Right: the session is
    verified for ``LAUREL_VERIFIED_MINUTES`` (a new session key: no fixation), and what was
    pending is returned (its ``next_url``). Wrong: ``CodeRefused`` with its own reason, the
    try counted and audited. Raises ``NothingPending`` when no code waits."""
    pending, member, mobile = _pending_or_refuse(session)
    with transaction.atomic():
        refusal = code_redeem(
            purpose=OneTimeCode.Purpose.VERIFICATION, channel="sms", to=mobile, code=code
        )
        if refusal is not None:
            action = "verification.code.refused"
        elif member is not None:
            action = "verification.member.verified"
        else:
            action = "verification.mobile.verified"
        data = {"reason": str(refusal.reason)} if refusal is not None else {}
        if member is None:
            data["mobile"] = mobile  # masked by audit_log
        audit_log(
            actor=None,
            action=action,
            obj=member,
            unit=member.unit if member is not None else None,
            data=data,
        )
    if refusal is not None:
        raise CodeRefused(refusal)
    session.cycle_key()
    session.pop(PENDING, None)
    until = timezone.now() + timedelta(minutes=settings.VERIFIED_MINUTES)
    session[VERIFIED] = {
        "kind": pending.kind,
        "member": member.pk if member is not None else None,
        "mobile_hash": identity_hash("mobile", mobile),
        "until": until.isoformat(),
    }
    return pending


def verification_end(*, session) -> None:
    """Forget this session's verification and any code waiting."""
    session.pop(PENDING, None)
    session.pop(VERIFIED, None)


def _send(*, to: str, client_address: str | None, address_capped: bool) -> CodeSent:
    """Send the code; ``address_capped`` for an outsider's mobile (the asker's choice of
    number), not for a roster member's (``accounts.codes``)."""
    return code_send(
        purpose=OneTimeCode.Purpose.VERIFICATION,
        channel="sms",
        to=to,
        body=_body(),
        client_address=client_address,
        address_capped=address_capped,
    )


def _pending_or_refuse(session) -> tuple[Pending, Member | None, str]:
    """What waits in the session: the pending state, the member (if one) and the mobile."""
    pending = pending_read(session)
    if pending is None:
        raise NothingPending
    member, mobile = pending_recipient(pending)
    if not mobile:
        session.pop(PENDING, None)
        raise NothingPending
    return pending, member, mobile


def _pending_keep(session, *, kind, member, mobile, next_url, sent: CodeSent) -> None:
    session[PENDING] = {
        "kind": kind,
        "member": member.pk if member is not None else None,
        "mobile": mobile,
        "next": next_url,
        "resend_at": sent.resend_at.isoformat(),
    }
