"""Background delivery of messages. Tasks take primary keys, never objects."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from laurel.notifications.backends import MessageToSend, message_backend
from laurel.notifications.models import OutgoingMessage
from laurel.notifications.sealing import MessageUnreadable, secrets_mask, text_unseal

logger = logging.getLogger("laurel.notifications")


class MessageDeliveryFailed(Exception):
    """A backend's failure, its text with the message's secrets and recipient masked."""


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def message_deliver(self, message_id: int) -> str:
    """Send one queued message; idempotent (a sent message is never sent twice).

    The full text is unsealed only here, in memory. Once the message is sent, or has failed
    for good (retries spent, run inline, or unreadable), the sealed text is wiped and only
    the masked ``body`` remains. Failures are recorded and logged without the text.
    """
    failure = None
    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().get(pk=message_id)
        if message.status == OutgoingMessage.Status.SENT:
            return message.status
        message.attempts += 1
        retry_possible = not self.request.is_eager and self.request.retries < self.max_retries
        try:
            sealed = text_unseal(message.body_sealed)
        except MessageUnreadable as error:
            failure = MessageDeliveryFailed(str(error))
            retry_possible = False
        else:
            try:
                message_backend().send(
                    MessageToSend(
                        message_id=message.pk,
                        channel=message.channel,
                        to=message.to,
                        to_masked=message.to_masked,
                        subject=message.subject,
                        body=sealed.body,
                        secrets=sealed.secrets,
                    )
                )
            except Exception as error:  # noqa: BLE001 - any provider error is recorded and retried
                masked = secrets_mask(str(error), sealed.secrets)
                failure = MessageDeliveryFailed(masked.replace(message.to, message.to_masked))
        if failure is None:
            message.status = OutgoingMessage.Status.SENT
            message.sent_at = timezone.now()
            message.error = ""
        else:
            message.status = OutgoingMessage.Status.FAILED
            message.error = str(failure)[:500]
        if failure is None or not retry_possible:
            message.body_sealed = ""
        message.save(update_fields=["status", "sent_at", "error", "attempts", "body_sealed"])
    if failure is not None:
        logger.warning(
            "Message %s to %s not delivered (attempt %s%s): %s",
            message.pk,
            message.to_masked,
            message.attempts,
            ", will retry" if retry_possible else ", given up",
            failure,
        )
        if retry_possible:
            raise self.retry(exc=failure)
    return message.status
