"""Pluggable message backends: how an SMS or e-mail actually leaves.

Set ``LAUREL_MESSAGE_BACKEND`` to a dotted path of a class with ``send(message)``: the console
(default), Django's e-mail, a provider's HTTP SMS gateway (``HttpSmsBackend``). ``send`` gets
a ``MessageToSend`` (the full text, secrets included, and which parts are secret) and raises
on failure. A backend never writes the text to Python logging, and its exceptions should not
quote it (the task masks what it knows).
"""

import json
import re
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from laurel.notifications.sealing import secrets_mask


@dataclass(frozen=True)
class MessageToSend:
    """One message as it leaves: held in memory only, never stored or logged."""

    message_id: int
    channel: str
    to: str
    to_masked: str
    subject: str
    body: str  # the full text: one-time codes, links and passwords in clear
    secrets: tuple[str, ...] = ()  # the parts of the text nobody but the recipient may read


class ConsoleBackend:
    """The default and the demo's delivery channel: prints each message to standard output.

    Standard output stands for the SMS gateway here, but it is kept and read by others: the
    message's secrets (codes, links, passwords) are printed masked, the recipient too. With
    ``LAUREL_MESSAGE_CONSOLE_CLEAR=true`` (the demo, ``scripts/demo``) the text is printed
    whole, so a demo user can read their code; never so in production. Nothing goes to Python
    logging, whose records are kept and shipped.
    """

    def send(self, message: MessageToSend) -> None:
        heading = f"[{message.channel} → {message.to_masked}]"
        text = " ".join(part for part in (heading, message.subject, message.body) if part)
        if not settings.MESSAGE_CONSOLE_CLEAR:
            text = secrets_mask(text, message.secrets)
        print(text, flush=True)  # noqa: T201 - the console is this backend's delivery channel


class DjangoEmailBackend:
    """E-mail through Django's configured EMAIL_BACKEND; SMS still to the console."""

    def send(self, message: MessageToSend) -> None:
        if message.channel != "email":
            ConsoleBackend().send(message)
            return
        send_mail(message.subject, message.body, None, [message.to], fail_silently=False)


class SmsGatewayError(Exception):
    """The gateway did not take the message. The text never holds the message's secrets or
    its whole recipient: the delivery task records it and retries."""


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class HttpSmsBackend:
    """SMS through a provider's HTTP gateway, as Chinese SMS providers take them: a POST of
    the mobile, a sign name (签名), an approved template's id and its parameters as JSON,
    with the credentials the provider asks for — every name and place configurable
    (``settings.SMS_GATEWAY``, from ``LAUREL_SMS_*``; docs/operations.md). E-mail goes
    through Django's e-mail.

    A message carrying a one-time code (a secret of digits) goes with the code template, its
    parameters given ``{code}``; any other with the text template, given ``{text}``, the whole
    text. A non-2xx answer, no answer within the timeout, or an answer whose result field
    (``LAUREL_SMS_RESULT_FIELD``) is not a success value raises ``SmsGatewayError``. A
    provider that wants its requests signed is a subclass overriding ``request_build``.
    """

    def send(self, message: MessageToSend) -> None:
        if message.channel == "email":
            DjangoEmailBackend().send(message)
            return
        gateway = settings.SMS_GATEWAY
        request = self.request_build(message, gateway)
        try:
            opened = urllib.request.urlopen(request, timeout=gateway["timeout"])  # noqa: S310 - http(s) only: request_build checks
            with opened as response:
                status, answer = response.status, response.read(65536)
        except urllib.error.HTTPError as error:
            error.close()
            raise SmsGatewayError(f"the SMS gateway answered HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SmsGatewayError(f"the SMS gateway could not be reached: {reason}") from None
        if not 200 <= status < 300:
            raise SmsGatewayError(f"the SMS gateway answered HTTP {status}")
        self.answer_check(answer, gateway, message)

    def request_build(self, message: MessageToSend, gateway: dict) -> urllib.request.Request:
        url = gateway["url"]
        if not url.startswith(("https://", "http://")):
            raise SmsGatewayError("LAUREL_SMS_URL is not an http(s) address")
        code = next((secret for secret in message.secrets if secret.isdigit()), "")
        kind = "code" if code else "text"
        template_params = _filled(
            gateway[f"{kind}_template_params"], {"code": code, "text": message.body}
        )
        values = {
            "mobile": message.to,
            "sign_name": gateway["sign_name"],
            "template_id": gateway[f"{kind}_template_id"],
            "template_params": json.dumps(template_params, ensure_ascii=False),
            "app_key": gateway["app_key"],
            "app_secret": gateway["app_secret"],
            "token": gateway["token"],
            "timestamp": str(int(time.time())),
            "nonce": secrets.token_hex(8),
        }
        params = _filled(gateway["params"], values)
        headers = {name: str(value) for name, value in _filled(gateway["headers"], values).items()}
        if gateway["format"] == "form":
            fields = {
                name: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                for name, value in params.items()
            }
            data = urlencode(fields).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        else:
            data = json.dumps(params, ensure_ascii=False).encode()
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        return urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310 - checked above

    def answer_check(self, answer: bytes, gateway: dict, message: MessageToSend) -> None:
        field = gateway["result_field"]
        if not field:
            return
        text = answer.decode("utf-8", errors="replace")
        excerpt = secrets_mask(text[:300], message.secrets).replace(message.to, message.to_masked)
        try:
            value = json.loads(text)
        except ValueError:
            raise SmsGatewayError(f"the SMS gateway's answer is not JSON: {excerpt}") from None
        for part in field.split("."):
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                value = None
        if value is None or str(value) not in gateway["result_ok"]:
            raise SmsGatewayError(
                f"the SMS gateway refused the message ({field}={value!r}): {excerpt}"
            )


def _filled(template, values: dict[str, str]):
    """``template`` (JSON-like) with each ``{name}`` in its strings replaced by its value, in
    one pass: a value's own braces are never read as placeholders."""
    if isinstance(template, str):
        return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), template)
    if isinstance(template, dict):
        return {key: _filled(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_filled(value, values) for value in template]
    return template


def message_backend():
    return import_string(settings.MESSAGE_BACKEND)()
