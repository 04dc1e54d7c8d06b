"""The inbox, and messages delivered through the backend only after the commit."""

import pytest
from django.db import transaction
from django.urls import reverse

from laurel.notifications.models import Notification, OutgoingMessage
from laurel.notifications.services import notification_send


def test_sms_goes_out_after_commit_and_not_at_all_on_rollback(
    users, django_capture_on_commit_callbacks, capsys
):
    member = users["member"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_send(recipient=member, title="入选通知", body="你的作品入选", sms=True)
    assert len(callbacks) == 1
    message = OutgoingMessage.objects.get()
    assert (message.to, message.status, message.attempts) == ("13900000001", "sent", 1)
    printed = capsys.readouterr().out
    assert "139****0001" in printed
    assert "13900000001" not in printed

    @transaction.atomic
    def send_then_crash():
        notification_send(recipient=member, title="不该发出", sms=True)
        raise RuntimeError

    with pytest.raises(RuntimeError):
        send_then_crash()
    assert OutgoingMessage.objects.count() == 1
    assert not Notification.objects.filter(title="不该发出").exists()


def test_a_failing_backend_is_recorded(users, settings, django_capture_on_commit_callbacks):
    settings.MESSAGE_BACKEND = "tests.notifications.test_notifications.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=users["member"], title="x", sms=True)
    message = OutgoingMessage.objects.get()
    assert (message.status, message.error) == ("failed", "gateway down")


class BrokenBackend:
    def send(self, message):
        raise ConnectionError("gateway down")


def test_inbox_shows_own_messages_and_marks_them_read_with_htmx(users, client_as):
    member = users["member"]
    mine = notification_send(recipient=member, title="给会员的")
    notification_send(recipient=users["judge"], title="给评委的")
    client = client_as("member")
    page = client.get(reverse("notifications:inbox"))
    assert [n.title for n in page.context["listing"].records] == ["给会员的"]
    assert 'id="nav-inbox-count">1</span>' in page.content.decode()  # the top bar's count

    response = client.post(
        reverse("notifications:mark_read"), {"id": mine.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.templates[0].name == "notifications/_notification.html"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'id="nav-inbox-count"' not in client.get(reverse("notifications:inbox")).content.decode()


def test_nobody_marks_someone_elses_messages_read(users, client_as):
    theirs = notification_send(recipient=users["judge"], title="给评委的")
    client_as("member").post(reverse("notifications:mark_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
