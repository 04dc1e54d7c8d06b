"""Pluggable message backends: how an SMS or e-mail actually leaves.

Set ``LAUREL_MESSAGE_BACKEND`` to a dotted path of a class with ``send(message)``; a
provider's SMS gateway or Django's e-mail plug in here. ``send`` raises on failure.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("laurel.messages")


class ConsoleBackend:
    """The default: writes each message to the console; the outbox page shows them too."""

    def send(self, message) -> None:
        # The recipient is masked: console logs are kept and read by people without the
        # personal-data permission.
        print(  # noqa: T201 - the console is this backend's delivery channel
            f"[{message.channel} → {message.to_masked}] {message.subject} {message.body}".strip(),
            flush=True,
        )


class DjangoEmailBackend:
    """E-mail through Django's configured EMAIL_BACKEND; SMS still to the console."""

    def send(self, message) -> None:
        if message.channel != "email":
            ConsoleBackend().send(message)
            return
        send_mail(message.subject, message.body, None, [message.to], fail_silently=False)


def message_backend():
    return import_string(settings.MESSAGE_BACKEND)()
