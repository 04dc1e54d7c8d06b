"""Background delivery of messages. Tasks take primary keys, never objects."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from laurel.notifications.backends import message_backend
from laurel.notifications.models import OutgoingMessage


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def message_deliver(self, message_id: int) -> str:
    """Send one queued message; idempotent (a sent message is never sent twice)."""
    failure = None
    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().get(pk=message_id)
        if message.status == OutgoingMessage.Status.SENT:
            return message.status
        message.attempts += 1
        try:
            message_backend().send(message)
        except Exception as error:  # noqa: BLE001 - any provider error is recorded and retried
            failure = error
            message.status = OutgoingMessage.Status.FAILED
            message.error = str(error)[:500]
        else:
            message.status = OutgoingMessage.Status.SENT
            message.sent_at = timezone.now()
            message.error = ""
        message.save(update_fields=["status", "sent_at", "error", "attempts"])
    if failure is not None and not self.request.is_eager:
        raise self.retry(exc=failure)
    return message.status
