"""Pluggable message backends: how an SMS or e-mail actually leaves.

Set ``LAUREL_MESSAGE_BACKEND`` to a dotted path of a class with ``send(message)``; a
provider's SMS gateway or Django's e-mail plug in here. ``send`` gets a ``MessageToSend``
(the full text, secrets included) and raises on failure. A backend never writes the text
to Python logging, and its exceptions should not quote it (the task masks what it knows).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class MessageToSend:
    """One message as it leaves: held in memory only, never stored or logged."""

    message_id: int
    channel: str
    to: str
    to_masked: str
    subject: str
    body: str  # the full text: one-time codes, links and passwords in clear


class ConsoleBackend:
    """The default and the demo's delivery channel: prints each message to standard output.

    Standard output stands for the SMS gateway here, so the printed line carries the full
    text, code or link included: that is how a demo user reads their reset code. It goes
    to stdout only, never to Python logging (whose records are kept and shipped), and the
    recipient is masked. In production set ``LAUREL_MESSAGE_BACKEND`` to a real gateway:
    with this backend, whoever reads the worker's output can read the codes.
    """

    def send(self, message: MessageToSend) -> None:
        heading = f"[{message.channel} → {message.to_masked}]"
        print(  # noqa: T201 - the console is this backend's delivery channel
            " ".join(part for part in (heading, message.subject, message.body) if part),
            flush=True,
        )


class DjangoEmailBackend:
    """E-mail through Django's configured EMAIL_BACKEND; SMS still to the console."""

    def send(self, message: MessageToSend) -> None:
        if message.channel != "email":
            ConsoleBackend().send(message)
            return
        send_mail(message.subject, message.body, None, [message.to], fail_silently=False)


def message_backend():
    return import_string(settings.MESSAGE_BACKEND)()
