"""One-time codes: six digits sent by SMS (or e-mail) to prove a number is one's own — for a
password reset (``services.password_reset_*``) and for people verified without an account
(``laurel.verification``).

The rules, the same for every purpose:

- a code lasts a purpose's minutes (verification 10, reset 15) and takes its number of tries
  (5); a wrong code counts a try, and when the tries are spent the code is spent too;
- one live code per number and purpose: a new code replaces the one before;
- a new code to a number only ``ONE_TIME_CODE_RESEND_SECONDS`` (60) after the last;
- at most ``CODES_PER_NUMBER_PER_DAY`` codes to one number and ``CODES_PER_ADDRESS_PER_DAY``
  asked for from one client address in 24 hours: each is a paid SMS. The address cap holds
  where the asker chooses the number (an outsider's mobile, typed in); a number the roster
  chooses (a member found by name and ID-card number) is capped per number only
  (``address_capped=False``), so a venue's members behind one address each get their code.

Every refusal says its own reason (``CodeRefusal``): wrong (and the tries left), expired,
already used, spent, sent to another number, replaced by a newer code, or none sent. The code
is in clear only in this module's memory and in the message (sealed until delivery, masked
everywhere it is shown); rows hold keyed hashes (``keyed_hashes``), and no log line or audit
entry ever gets it.
"""

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurel.accounts.keyed_hashes import code_digest, identity_hash
from laurel.accounts.models import OneTimeCode
from laurel.notifications.services import message_send

Purpose = OneTimeCode.Purpose
DAY = timedelta(hours=24)
# Rows older than this are deleted as new codes are sent: the caps look back one day.
KEPT_FOR = timedelta(days=2)


def code_rules(purpose: str) -> tuple[int, int]:
    """How many minutes a code of ``purpose`` lasts and how many tries it takes."""
    if purpose == Purpose.PASSWORD_RESET:
        return settings.PASSWORD_RESET_CODE_MINUTES, settings.PASSWORD_RESET_MAX_TRIES
    return settings.VERIFICATION_CODE_MINUTES, settings.VERIFICATION_CODE_MAX_TRIES


# --- sending ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeSent:
    expires_at: datetime
    resend_at: datetime  # the first moment another code may be asked for


class SendRefusal(StrEnum):
    TOO_SOON = "too_soon"
    NUMBER_CAP = "number_cap"
    ADDRESS_CAP = "address_cap"


class CodeSendRefused(ValidationError):
    """No code was sent; ``reason`` says why and the message says it in words."""

    def __init__(self, reason: SendRefusal, *, wait_seconds: int = 0):
        self.reason = reason
        self.wait_seconds = wait_seconds
        if reason == SendRefusal.TOO_SOON:
            text = ngettext(
                "A code was sent a moment ago. You can ask for another in %(seconds)d second.",
                "A code was sent a moment ago. You can ask for another in %(seconds)d seconds.",
                wait_seconds,
            ) % {"seconds": wait_seconds}
        elif reason == SendRefusal.NUMBER_CAP:
            text = _(
                "This number has been sent as many codes as allowed in 24 hours. "
                "Try again tomorrow."
            )
        else:
            text = _(
                "As many codes as allowed in 24 hours have been asked for from your network. "
                "Try again tomorrow."
            )
        super().__init__(text, code=str(reason))


def code_send(
    *,
    purpose: str,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    client_address: str | None = None,
    address_capped: bool = True,
) -> CodeSent:
    """Send a new code of ``purpose`` to ``to`` (a mobile for ``sms``, an address for
    ``email``), replacing the number's live one. ``body`` is the message's text with
    ``%(code)s`` and ``%(minutes)d`` in it. Raises ``CodeSendRefused`` (nothing sent, nothing
    written) when the number had a code in the last minute or a cap is reached.

    ``address_capped`` False: the number is not the asker's choice (a roster member's mobile),
    so the code neither counts against ``client_address``'s daily cap nor is held back by it:
    the address is not kept with it, and only the number's own limits apply.

    Runs in the caller's transaction: the message leaves only if it commits."""
    now = timezone.now()
    recipient = identity_hash("email" if channel == "email" else "mobile", to)
    client = identity_hash("address", client_address) if client_address and address_capped else ""
    with transaction.atomic():
        _sends_lock(recipient, client)
        _send_allowed(recipient=recipient, client=client, now=now)
        OneTimeCode.objects.filter(
            purpose=purpose, recipient_hash=recipient, used_at=None, replaced_at=None
        ).update(replaced_at=now)
        code = f"{secrets.randbelow(1_000_000):06d}"
        minutes, tries = code_rules(purpose)
        row = OneTimeCode(
            purpose=purpose,
            recipient_hash=recipient,
            client_hash=client,
            digest=code_digest(purpose, code),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
            tries_allowed=tries,
        )
        row.full_clean()
        row.save()
        text = body % {"code": code, "minutes": minutes}
        message_send(channel=channel, to=to, subject=subject, body=text, secrets=[code])
        OneTimeCode.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return CodeSent(
        expires_at=row.expires_at,
        resend_at=now + timedelta(seconds=settings.ONE_TIME_CODE_RESEND_SECONDS),
    )


def _send_allowed(*, recipient: str, client: str, now: datetime) -> None:
    sent_lately = OneTimeCode.objects.filter(recipient_hash=recipient, created_at__gt=now - DAY)
    last = sent_lately.order_by("-created_at").values_list("created_at", flat=True).first()
    resend_at = last + timedelta(seconds=settings.ONE_TIME_CODE_RESEND_SECONDS) if last else now
    if resend_at > now:
        wait = math.ceil((resend_at - now).total_seconds())
        raise CodeSendRefused(SendRefusal.TOO_SOON, wait_seconds=wait)
    if sent_lately.count() >= settings.CODES_PER_NUMBER_PER_DAY:
        raise CodeSendRefused(SendRefusal.NUMBER_CAP)
    if client:
        asked = OneTimeCode.objects.filter(client_hash=client, created_at__gt=now - DAY)
        if asked.count() >= settings.CODES_PER_ADDRESS_PER_DAY:
            raise CodeSendRefused(SendRefusal.ADDRESS_CAP)


def _sends_lock(*keys: str) -> None:
    """Sends to one number, or from one address, one at a time: the minute's wait and the
    caps are counted and the new row written under these locks (PostgreSQL: transaction
    advisory locks, in sorted order; SQLite's writers take the whole database anyway)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(key for key in keys if key):
            lock_id = int(key[:15], 16)  # 60 bits of the hash: a bigint
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


# --- checking ---------------------------------------------------------------------------


class RefusalReason(StrEnum):
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    SPENT = "spent"  # too many wrong tries
    ANOTHER_NUMBER = "another_number"
    REPLACED = "replaced"
    NONE_SENT = "none_sent"


@dataclass(frozen=True)
class CodeRefusal:
    reason: RefusalReason
    tries_left: int = 0  # of the live code, after this try (wrong, replaced, used, another)

    @property
    def message(self) -> str:
        if self.reason == RefusalReason.WRONG:
            if self.tries_left == 0:
                return _("The code is wrong, and that was the last try. Ask for a new code.")
            return ngettext(
                "The code is wrong. %(tries)d more try.",
                "The code is wrong. %(tries)d more tries.",
                self.tries_left,
            ) % {"tries": self.tries_left}
        return {
            RefusalReason.EXPIRED: _("The code has expired. Ask for a new one."),
            RefusalReason.USED: _("This code has already been used. Ask for a new one."),
            RefusalReason.SPENT: _(
                "Too many wrong tries: this code no longer works. Ask for a new one."
            ),
            RefusalReason.ANOTHER_NUMBER: _(
                "This code was sent to another number. Type the code sent to this one."
            ),
            RefusalReason.REPLACED: _(
                "A newer code has been sent since this one. Type the newest code."
            ),
            RefusalReason.NONE_SENT: _("No code is waiting for this number. Ask for one."),
        }[self.reason]


class CodeRefused(ValidationError):
    """A code not accepted; ``refusal`` says why."""

    def __init__(self, refusal: CodeRefusal):
        self.refusal = refusal
        super().__init__(refusal.message, code=str(refusal.reason))


def code_redeem(*, purpose: str, channel: str, to: str, code: str) -> CodeRefusal | None:
    """Use a code of ``purpose`` sent to ``to``: None if it is the live code (now used up),
    else the refusal. A code that is not the live one counts a try against the live one.

    Must run inside the caller's ``transaction.atomic``, and the caller must let it commit
    before raising ``CodeRefused(refusal)``: the try counted is kept only if it commits (and
    a right code is used up only if what it was for succeeds)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("code_redeem called outside a transaction")
    now = timezone.now()
    digest = code_digest(purpose, code)
    recipient = identity_hash("email" if channel == "email" else "mobile", to)
    codes = OneTimeCode.objects.filter(purpose=purpose, recipient_hash=recipient)
    latest = codes.select_for_update().order_by("-created_at", "-pk").first()
    live = (
        latest
        if latest is not None
        and latest.used_at is None
        and latest.replaced_at is None
        and latest.expires_at > now
        and latest.failed_tries < latest.tries_allowed
        else None
    )
    if live is not None and secrets.compare_digest(live.digest, digest):
        live.used_at = now
        live.save(update_fields=["used_at"])
        return None
    if live is not None:
        live.failed_tries += 1
        live.save(update_fields=["failed_tries"])
    matched = codes.filter(digest=digest, created_at__gt=now - DAY).order_by("-created_at")
    matched = matched.values_list("used_at", "replaced_at").first()
    tries_left = live.tries_allowed - live.failed_tries if live is not None else 0
    if matched is not None and matched[0] is not None:
        return CodeRefusal(RefusalReason.USED, tries_left)
    if matched is not None and matched[1] is not None and live is not None:
        return CodeRefusal(RefusalReason.REPLACED, tries_left)
    if _live_elsewhere(purpose=purpose, recipient=recipient, digest=digest, now=now):
        return CodeRefusal(RefusalReason.ANOTHER_NUMBER, tries_left)
    if live is not None:
        return CodeRefusal(RefusalReason.WRONG, tries_left)
    if latest is None or latest.used_at is not None or latest.replaced_at is not None:
        return CodeRefusal(RefusalReason.NONE_SENT)
    if latest.failed_tries >= latest.tries_allowed:
        return CodeRefusal(RefusalReason.SPENT)
    return CodeRefusal(RefusalReason.EXPIRED)


def _live_elsewhere(*, purpose: str, recipient: str, digest: str, now: datetime) -> bool:
    """Whether the code is another number's live code (typed for the wrong number)."""
    return (
        OneTimeCode.objects.filter(
            purpose=purpose,
            digest=digest,
            used_at=None,
            replaced_at=None,
            expires_at__gt=now,
            failed_tries__lt=F("tries_allowed"),
        )
        .exclude(recipient_hash=recipient)
        .exists()
    )
