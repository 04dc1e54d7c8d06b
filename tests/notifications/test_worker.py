"""A real Celery worker takes a message from Redis and delivers it."""

import pytest
from celery.contrib.testing.worker import start_worker

from laurel.celery import app
from laurel.notifications.models import OutgoingMessage
from laurel.notifications.sealing import text_seal
from laurel.notifications.tasks import message_deliver


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_a_queued_message_through_redis(request):
    assert app.conf.broker_url.startswith("redis://")
    app.conf.task_always_eager = False  # the test settings run tasks inline; not here
    request.addfinalizer(lambda: setattr(app.conf, "task_always_eager", True))
    message = OutgoingMessage.objects.create(
        channel="sms", to="13800000000", body="hello", body_sealed=text_seal("hello", [])
    )
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        result = message_deliver.delay(message.pk)
        assert result.get(timeout=30) == "sent"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.body_sealed) == ("sent", 1, "")
