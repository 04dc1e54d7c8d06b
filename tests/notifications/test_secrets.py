"""Codes, links and passwords in outgoing messages: sealed until delivery, masked for ever."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from laurel.notifications import sealing
from laurel.notifications.models import OutgoingMessage
from laurel.notifications.services import message_send
from laurel.notifications.tasks import MessageDeliveryFailed, message_deliver
from tests.notifications.capture import log_text, stored_text

SECRET = "K7Q2-XW9P"
BODY = f"Your one-off password is {SECRET}. Change it at first log-in."
MASKED = "Your one-off password is ••••••. Change it at first log-in."


def queue(django_capture_on_commit_callbacks, **fields) -> tuple[OutgoingMessage, list]:
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        message = message_send(
            **{"channel": "sms", "to": "13800001111", "subject": "", "body": BODY, **fields},
            secrets=[SECRET],
        )
    return message, on_commit


def test_a_queued_message_holds_only_the_masked_body_and_the_sealed_text(
    db, delivered, django_capture_on_commit_callbacks
):
    message, on_commit = queue(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert (message.status, message.body) == ("queued", MASKED)
    assert SECRET not in stored_text([message])
    assert SECRET not in message.body_sealed
    assert sealing.text_unseal(message.body_sealed).body == BODY

    [deliver] = on_commit
    deliver()
    assert [(m.to, m.body) for m in delivered] == [("13800001111", BODY)]
    message.refresh_from_db()
    assert (message.status, message.body, message.body_sealed) == ("sent", MASKED, "")


def test_the_outbox_shows_the_masked_body_only(
    users, client_as, delivered, django_capture_on_commit_callbacks
):
    queued, on_commit = queue(django_capture_on_commit_callbacks)
    queued.refresh_from_db()
    html = client_as("federation_admin").get(reverse("notifications:outbox")).content.decode()
    assert MASKED in html
    assert SECRET not in html
    assert queued.body_sealed not in html


class LeakyBackend:
    """A gateway whose error quotes the message and its recipient."""

    def send(self, message):
        raise ConnectionError(f"rejected for {message.to}: {message.body!r}")


def test_a_failure_for_good_keeps_no_text_and_logs_no_secret(
    db, settings, all_log_records, django_capture_on_commit_callbacks
):
    settings.MESSAGE_BACKEND = "tests.notifications.test_secrets.LeakyBackend"
    message, on_commit = queue(django_capture_on_commit_callbacks)
    on_commit[0]()  # tasks run inline in tests: no retry, the failure is final
    message.refresh_from_db()
    assert (message.status, message.body_sealed) == ("failed", "")
    assert message.error == f"rejected for 138****1111: {MASKED!r}"
    assert SECRET not in stored_text([message])
    logged = log_text(all_log_records)
    assert "138****1111" in logged  # the failure is logged ...
    assert SECRET not in logged  # ... without the secret
    assert "13800001111" not in logged


def test_a_failure_with_retries_left_keeps_the_sealed_text_for_the_retry(
    db, settings, delivered, all_log_records, django_capture_on_commit_callbacks
):
    message, _on_commit = queue(django_capture_on_commit_callbacks)
    settings.MESSAGE_BACKEND = "tests.notifications.test_secrets.LeakyBackend"
    # Called directly (not inline by Celery) the task may retry: it raises the masked failure.
    with pytest.raises(MessageDeliveryFailed) as failure:
        message_deliver(message.pk)
    assert SECRET not in str(failure.value)
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.body_sealed
    assert SECRET not in log_text(all_log_records)

    settings.MESSAGE_BACKEND = "tests.notifications.capture.RecordingBackend"
    assert message_deliver(message.pk) == "sent"
    assert [m.body for m in delivered] == [BODY]
    message.refresh_from_db()
    assert (message.attempts, message.body_sealed) == (2, "")


def test_the_key_comes_from_laurel_message_key_and_a_changed_key_fails_cleanly(
    db, settings, delivered, django_capture_on_commit_callbacks
):
    settings.MESSAGE_KEY = "first-message-key-0123456789"
    message, _on_commit = queue(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    settings.MESSAGE_KEY = ""  # now derived from SECRET_KEY: another key
    with pytest.raises(sealing.MessageUnreadable):
        sealing.text_unseal(message.body_sealed)
    settings.MESSAGE_KEY = "second-message-key-0123456789"
    # Called directly, where a backend failure would be retried: an unreadable text is not.
    assert message_deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert delivered == []
    assert (message.status, message.body_sealed) == ("failed", "")
    assert "LAUREL_MESSAGE_KEY" in message.error


def test_the_console_backend_prints_the_text_but_logs_nothing(
    db, capsys, settings, all_log_records, django_capture_on_commit_callbacks
):
    """Standard output is the demo's delivery channel; Python logging never gets the text.
    (Whole only as the demo has it: masked by default, tests/verification/test_console.py.)"""
    settings.MESSAGE_CONSOLE_CLEAR = True
    with django_capture_on_commit_callbacks(execute=True):
        message_send(channel="sms", to="13800001111", subject="", body=BODY, secrets=[SECRET])
    assert capsys.readouterr().out == f"[sms → 138****1111] {BODY}\n"
    assert SECRET not in log_text(all_log_records)


@pytest.mark.parametrize("secrets", [[""], ["not-in-the-body"]])
def test_a_secret_that_cannot_be_masked_is_refused(db, secrets):
    with pytest.raises(ValueError, match="secret"):
        message_send(channel="sms", to="13800001111", subject="", body=BODY, secrets=secrets)
    assert not OutgoingMessage.objects.exists()


def test_messages_stored_in_clear_before_are_masked_by_the_migration(
    db, delivered, django_capture_on_commit_callbacks
):
    token = "cXbpQPRnnMxITshXgJ6czhECt88m8IW3m0g88iMabl0"
    invitation = f"Open https://laurel.example/accounts/invite/{token}/ to set your password."
    reset = "Your Laurel password reset code is 042917. It expires in 15 minutes."
    old_sent = OutgoingMessage.objects.create(channel="sms", to="1", body=reset, status="sent")
    old_queued = OutgoingMessage.objects.create(channel="sms", to="2", body=invitation)
    migration = importlib.import_module("laurel.notifications.migrations.0004_mask_stored_secrets")
    migration.stored_secrets_mask(apps, None)

    old_sent.refresh_from_db()
    old_queued.refresh_from_db()
    assert old_sent.body == reset.replace("042917", "••••••")
    assert old_sent.body_sealed == ""
    assert old_queued.body == invitation.replace(token, "••••••")
    assert token not in old_queued.body_sealed
    message_deliver(old_queued.pk)  # still delivered whole
    assert [m.body for m in delivered] == [invitation]
