"""The outbox as one table (web.tables): searched by what it shows (masked recipients, masked
bodies), filtered by channel and state, sorted, exported masked; the federation's only."""

import datetime
import re

from django.utils import timezone

from laurel.notifications.models import OutgoingMessage
from laurel.notifications.services import message_send
from tests.helpers import exported

OUTBOX = "/console/outbox/"
CODE = "482913"


def shown_recipients(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<td class="[^"]*\bmono\b[^"]*">([^<]+)</td>', response.content.decode())


def messages(django_capture_on_commit_callbacks):
    """Three messages, a minute apart: an SMS with a code (sent), an e-mail, a failed SMS."""
    with django_capture_on_commit_callbacks(execute=False):
        code = message_send(
            channel="sms", to="13812345678", subject="", body=f"验证码 {CODE}", secrets=[CODE]
        )
        mail = message_send(
            channel="email", to="wang@example.com", subject="评审邀请", body="请查收"
        )
        failed = message_send(channel="sms", to="13700001111", subject="", body="比赛结果")
    start = timezone.now() - datetime.timedelta(hours=1)
    for minutes, (message, status, error) in enumerate(
        [(code, "sent", ""), (mail, "queued", ""), (failed, "failed", "gateway down")]
    ):
        OutgoingMessage.objects.filter(pk=message.pk).update(
            status=status, error=error, created_at=start + datetime.timedelta(minutes=minutes)
        )


def test_the_search_finds_by_what_is_shown_and_never_by_hidden_characters(
    users, client_as, django_capture_on_commit_callbacks
):
    messages(django_capture_on_commit_callbacks)
    client = client_as("federation_admin")
    assert shown_recipients(client.get(OUTBOX, {"q": "5678"})) == ["138****5678"]
    assert shown_recipients(client.get(OUTBOX, {"q": "138****5678"})) == ["138****5678"]
    assert shown_recipients(client.get(OUTBOX, {"q": "评审"})) == ["w***@example.com"]
    assert shown_recipients(client.get(OUTBOX, {"q": "结果"})) == ["137****1111"]
    assert shown_recipients(client.get(OUTBOX, {"q": "example.com"})) == ["w***@example.com"]
    for hidden in ("13812345678", "1234", "wang@", CODE):
        assert shown_recipients(client.get(OUTBOX, {"q": hidden})) == [], hidden


def test_the_channel_and_status_filters_narrow_the_list(
    users, client_as, django_capture_on_commit_callbacks
):
    messages(django_capture_on_commit_callbacks)
    client = client_as("federation_admin")
    assert shown_recipients(client.get(OUTBOX, {"channel": "email"})) == ["w***@example.com"]
    assert shown_recipients(client.get(OUTBOX, {"status": "failed"})) == ["137****1111"]
    assert shown_recipients(client.get(OUTBOX, {"channel": "sms", "status": "sent"})) == [
        "138****5678"
    ]
    assert shown_recipients(client.get(OUTBOX, {"status": "nonsense"})) == []
    # a state's pill is named by its stored value, whatever the language shows
    failed = client.get(OUTBOX, {"status": "failed"}).content.decode()
    assert '<span class="pill pill-failed">' in failed


def test_newest_first_and_sorting_by_time(users, client_as, django_capture_on_commit_callbacks):
    messages(django_capture_on_commit_callbacks)
    client = client_as("federation_admin")
    newest_first = ["137****1111", "w***@example.com", "138****5678"]
    assert shown_recipients(client.get(OUTBOX)) == newest_first
    assert shown_recipients(client.get(OUTBOX, {"sort": "created_at"})) == newest_first[::-1]
    # the recipient is never an order: it would tell the hidden digits
    assert shown_recipients(client.get(OUTBOX, {"sort": "to"})) == newest_first


def test_the_export_holds_the_filtered_rows_masked(
    users, client_as, django_capture_on_commit_callbacks
):
    messages(django_capture_on_commit_callbacks)
    client = client_as("federation_admin")
    client.cookies["django_language"] = "en"  # channels and states are words
    rows = exported(client.get(OUTBOX, {"channel": "sms", "export": "xlsx"}))
    assert rows[0] == ["Queued at", "Channel", "Recipient", "Message", "Status", "Error"]
    assert [row[1:] for row in rows[1:]] == [
        ["SMS", "137****1111", "比赛结果", "Failed", "gateway down"],
        ["SMS", "138****5678", "验证码 ••••••", "Sent", None],
    ]
    everything = str(exported(client.get(OUTBOX, {"export": "xlsx"})))
    for secret in ("13812345678", "13700001111", "wang@example.com", CODE):
        assert secret not in everything


def test_only_the_federation_reads_or_exports_the_outbox(users, client_as):
    for role in ("unit_admin", "judge", "member"):
        assert client_as(role).get(OUTBOX, {"export": "xlsx"}).status_code == 403
