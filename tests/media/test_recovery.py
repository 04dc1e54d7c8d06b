"""A real Celery worker dies in the middle of a batch; another takes over.

Every asset must end ready (or refused) exactly once, with exactly its three rendition
files: the task is idempotent, the row is locked while it works, renditions have fixed
paths, and a worker that starts re-queues what a dead one left in ``processing`` — without
waiting for the broker's visibility timeout (an hour).
"""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.db import connection
from PIL import Image

from laurel.audit.models import LogEntry
from laurel.celery import app
from laurel.media.models import MediaAsset
from laurel.media.services import asset_upload

PHOTOS = 24
REPO = Path(__file__).resolve().parents[2]


def photo(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:1800, 0:2400].astype(np.float32)
    pixels = np.stack([x / 10 % 255, y / 8 % 255, (x + y) / 16 % 255], -1)
    for _ in range(12):
        cx, cy, r = rng.uniform(0, 2400), rng.uniform(0, 1800), rng.uniform(60, 500)
        pixels[(x - cx) ** 2 + (y - cy) ** 2 < r * r] = rng.uniform(0, 255, 3)
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def start_worker(name: str) -> subprocess.Popen:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laurel.settings_test",
        "LAUREL_TEST_EAGER_TASKS": "false",
        "LAUREL_DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "LAUREL_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LAUREL_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "laurel", "worker", "--pool=solo"]
    command += ["--without-gossip", "--without-mingle", "--loglevel=WARNING", "-n", name]
    return subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)


def wait_until(condition, timeout: float) -> bool:
    """Poll the database until ``condition()`` holds (a worker's progress), or time out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def finished() -> int:
    return MediaAsset.objects.filter(status__in=["ready", "refused"]).count()


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_batch_survives_a_worker_killed_halfway(request):
    app.conf.task_always_eager = False  # this test's uploads go to Redis, for real workers
    request.addfinalizer(lambda: setattr(app.conf, "task_always_eager", True))
    app.control.purge()
    assets = [
        asset_upload(acting_user=None, chunks=[photo(seed)], original_name=f"p{seed}.jpg")
        for seed in range(PHOTOS)
    ]
    first = start_worker("first@laurel-test")
    try:
        while True:  # freeze the worker in the middle of an asset, then kill it there
            assert wait_until(
                lambda: finished() >= 3 and MediaAsset.objects.filter(status="processing").exists(),
                timeout=120,
            ), "the first worker never got going"
            os.killpg(first.pid, signal.SIGSTOP)
            stuck = list(
                MediaAsset.objects.filter(status="processing").values_list("pk", flat=True)
            )
            if stuck:
                break
            os.killpg(first.pid, signal.SIGCONT)  # it finished just then: try again
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # no warm shutdown: it dies mid-task
        first.wait(timeout=30)
    assert finished() < PHOTOS, "the batch ended before the worker could be killed"

    second = start_worker("second@laurel-test")
    try:
        assert wait_until(lambda: finished() == PHOTOS, timeout=180), (
            f"{PHOTOS - finished()} assets never finished"
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)

    for asset in MediaAsset.objects.filter(pk__in=[a.pk for a in assets]):
        assert asset.status == "ready", (asset.pk, asset.refusal_code)
        done = LogEntry.objects.filter(action="media.asset.ready", object_id=str(asset.pk))
        assert done.count() == 1, f"asset {asset.pk} finished {done.count()} times"
        folder = Path(settings.PRIVATE_MEDIA_ROOT) / f"renditions/{asset.pk}"
        assert sorted(p.name for p in folder.iterdir()) == [
            "display.jpg",
            "judge.jpg",
            "thumbnail.jpg",
        ]  # one of each: a second run replaced, never added
        assert not (Path(settings.MEDIA_ROOT) / f"renditions/{asset.pk}").exists()
        for path in folder.iterdir():
            Image.open(path).load()  # whole, readable JPEGs
