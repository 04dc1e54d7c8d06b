"""HttpSmsBackend against a stub gateway on 127.0.0.1: what the provider receives, a failure
recorded and retried, a provider's error code — and the code in no log line and no stored
error."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.db import transaction

from laurel.accounts.codes import code_redeem, code_send
from laurel.accounts.keyed_hashes import code_digest
from laurel.accounts.models import OneTimeCode
from laurel.notifications.models import OutgoingMessage
from laurel.notifications.services import message_send
from laurel.notifications.tasks import MessageDeliveryFailed, message_deliver
from tests.notifications.capture import log_text, stored_text
from tests.verification.conftest import MOBILE


class StubGateway:
    """A provider's SMS endpoint: answers in the order given (then the last one again) and
    keeps each request's headers and parsed body."""

    def __init__(self):
        self.answers: list[tuple[int, dict]] = [(200, {"code": "0", "message": "ok"})]
        self.received: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
                if self.headers["Content-Type"].startswith("application/json"):
                    body = json.loads(raw)
                else:
                    body = {name: values[0] for name, values in parse_qs(raw).items()}
                stub.received.append({"headers": dict(self.headers), "body": body})
                status, answer = stub.answers.pop(0) if len(stub.answers) > 1 else stub.answers[0]
                if callable(answer):
                    answer = answer(body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # no stderr noise
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def gateway(settings):
    stub = StubGateway()
    stub.thread.start()
    settings.MESSAGE_BACKEND = "laurel.notifications.backends.HttpSmsBackend"
    settings.SMS_GATEWAY = {
        **settings.SMS_GATEWAY,
        "url": stub.url,
        "token": "gateway-token-1",
        "sign_name": "职工之家",
        "code_template_id": "SMS_CODE_1",
        "text_template_id": "SMS_TEXT_1",
        "headers": {"Authorization": "Bearer {token}"},
        "timeout": 5,
    }
    yield stub
    stub.server.shutdown()
    stub.server.server_close()


def code_queue(django_capture_on_commit_callbacks, *, deliver: bool) -> OutgoingMessage:
    with django_capture_on_commit_callbacks(execute=deliver):
        code_send(
            purpose="verification",
            channel="sms",
            to=MOBILE,
            body="您的验证码为 %(code)s，%(minutes)d 分钟内有效。",
        )
    return OutgoingMessage.objects.get()


def received_code(stub: StubGateway) -> str:
    return json.loads(stub.received[-1]["body"]["template_params"])["code"]


def test_a_code_reaches_the_gateway_with_the_mobile_and_template_params(
    db, gateway, caplog, all_log_records, django_capture_on_commit_callbacks
):
    message = code_queue(django_capture_on_commit_callbacks, deliver=True)
    [request] = gateway.received
    assert request["body"]["mobile"] == MOBILE
    assert request["body"]["sign_name"] == "职工之家"
    assert request["body"]["template_id"] == "SMS_CODE_1"
    assert request["headers"]["Authorization"] == "Bearer gateway-token-1"
    code = received_code(gateway)
    assert OneTimeCode.objects.get().digest == code_digest("verification", code)
    message.refresh_from_db()
    assert (message.status, message.error, message.attempts) == ("sent", "", 1)
    assert code not in stored_text([message])
    assert code not in log_text(all_log_records) + caplog.text
    with transaction.atomic():  # the code that left is the one that works
        assert code_redeem(purpose="verification", channel="sms", to=MOBILE, code=code) is None


def test_a_500_is_recorded_and_the_retry_delivers(
    db, gateway, caplog, all_log_records, django_capture_on_commit_callbacks
):
    gateway.answers = [(500, {"message": "busy"}), (200, {"code": "0"})]
    message = code_queue(django_capture_on_commit_callbacks, deliver=False)
    # Called directly (as a worker would, not inline): a failure raises for Celery's retry.
    with pytest.raises(MessageDeliveryFailed, match="HTTP 500"):
        message_deliver(message.pk)
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.error == "the SMS gateway answered HTTP 500"
    assert message.body_sealed  # kept for the retry
    assert message_deliver(message.pk) == "sent"
    message.refresh_from_db()
    assert (message.status, message.error, message.attempts, message.body_sealed) == (
        "sent",
        "",
        2,
        "",
    )
    assert len(gateway.received) == 2
    code = received_code(gateway)
    assert code not in log_text(all_log_records) + caplog.text
    assert code not in stored_text(OutgoingMessage.objects.all())


def test_a_provider_error_in_the_body_fails_without_the_code_or_the_number(
    db, gateway, caplog, all_log_records, django_capture_on_commit_callbacks
):
    """The provider answers 200 with its own error code, quoting what it was sent."""
    gateway.answers = [
        (200, lambda body: {"code": "isv.BUSINESS_LIMIT_CONTROL", "echo": json.dumps(body)})
    ]
    message = code_queue(django_capture_on_commit_callbacks, deliver=False)
    with pytest.raises(MessageDeliveryFailed, match="BUSINESS_LIMIT_CONTROL"):
        message_deliver(message.pk)
    message.refresh_from_db()
    code = received_code(gateway)
    assert message.status == "failed"
    assert "refused the message (code='isv.BUSINESS_LIMIT_CONTROL')" in message.error
    assert "178****6889" in message.error  # the echo, masked
    assert code not in message.error
    assert MOBILE not in message.error
    logged = log_text(all_log_records) + caplog.text
    assert "BUSINESS_LIMIT_CONTROL" in logged  # the failure is logged ...
    assert code not in logged  # ... without the code
    assert MOBILE not in logged


def test_a_form_gateway_with_its_own_names_and_a_text_message(
    db, gateway, settings, django_capture_on_commit_callbacks
):
    """Parameters named as a provider wants them, sent as form fields; a message without a
    code goes with the text template and its whole text."""
    settings.SMS_GATEWAY = {
        **settings.SMS_GATEWAY,
        "format": "form",
        "app_key": "key-1",
        "params": {
            "PhoneNumbers": "{mobile}",
            "SignName": "{sign_name}",
            "TemplateCode": "{template_id}",
            "TemplateParam": "{template_params}",
            "AccessKeyId": "{app_key}",
        },
        "result_field": "Body.Code",
        "result_ok": ["OK"],
    }
    gateway.answers = [(200, {"Body": {"Code": "OK"}})]
    with django_capture_on_commit_callbacks(execute=True):
        message_send(channel="sms", to=MOBILE, subject="", body="入选通知 {token} 你的作品入选")
    [request] = gateway.received
    assert request["headers"]["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert request["body"]["PhoneNumbers"] == MOBILE
    assert request["body"]["TemplateCode"] == "SMS_TEXT_1"
    assert request["body"]["AccessKeyId"] == "key-1"
    # the text's own braces are text, never placeholders (nor a way to the credentials)
    assert json.loads(request["body"]["TemplateParam"]) == {
        "content": "入选通知 {token} 你的作品入选"
    }
    assert OutgoingMessage.objects.get().status == "sent"


def test_an_unreachable_gateway_is_a_recorded_failure(
    db, gateway, django_capture_on_commit_callbacks
):
    gateway.server.shutdown()
    gateway.server.server_close()
    message = code_queue(django_capture_on_commit_callbacks, deliver=False)
    with pytest.raises(MessageDeliveryFailed, match="could not be reached"):
        message_deliver(message.pk)
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.body_sealed  # kept for the retry
