"""Writes: inbox notifications and outgoing messages (delivered after the commit)."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from laurel.audit.services import audit_log
from laurel.notifications.models import Notification, OutgoingMessage
from laurel.notifications.sealing import secrets_mask, text_seal


def message_send(
    *, channel: str, to: str, subject: str, body: str, secrets: Sequence[str] = ()
) -> OutgoingMessage:
    """Queue an SMS or e-mail. Delivery happens only if the caller's transaction commits.

    ``secrets`` are the parts of ``body`` nobody but the recipient may read (a one-time
    code, a link's token, a password): the stored ``body`` has them masked and the full
    text is kept encrypted only until delivery.
    """
    from laurel.notifications.tasks import message_deliver

    if any(not secret for secret in secrets):
        raise ValueError("an empty secret cannot be masked")
    missing = [secret for secret in secrets if secret not in body]
    if missing:
        raise ValueError(f"{len(missing)} secret(s) not found in the message body")
    message = OutgoingMessage.objects.create(
        channel=channel,
        to=to,
        subject=subject,
        body=secrets_mask(body, secrets),
        body_sealed=text_seal(body, secrets),
    )
    transaction.on_commit(lambda: message_deliver.delay(message.pk))
    return message


@transaction.atomic
def notification_send(
    *, recipient, title: str, body: str = "", link: str = "", sms: bool = False
) -> Notification:
    """Put a message in a user's inbox, and by SMS (or e-mail) too when asked."""
    notification = Notification.objects.create(
        recipient=recipient, title=title, body=body, link=link
    )
    if sms and recipient.mobile:
        message_send(channel="sms", to=recipient.mobile, subject="", body=f"{title} {body}")
    elif sms and recipient.email:
        message_send(channel="email", to=recipient.email, subject=title, body=body)
    return notification


@transaction.atomic
def notifications_mark_read(*, recipient, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of one user's unread notifications read; returns how many."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    count = unread.update(read_at=timezone.now())
    if count:
        audit_log(
            actor=recipient,
            action="notifications.read",
            obj=recipient,
            data={"count": count, "ids": notification_ids},
        )
    return count
