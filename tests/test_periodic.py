"""Periodic work: one registry (laurel.periodic.JOBS) feeds Celery beat's schedule and the
`laurel periodic` command that cron runs where no beat does."""

import datetime
import json
from datetime import timedelta

import pytest
from celery import Task
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string

from laurel import periodic
from laurel.contests.models import EntryFile
from laurel.media import services as media_services
from laurel.media.models import MediaAsset
from tests.contests.conftest import (  # noqa: F401 - fixtures used here
    ALL_DECLARATIONS,
    contest,
    contest_factory,
    member_entry_submit,
    member_self,
    photo_upload,
)
from tests.helpers import jpeg, photo


def test_every_registered_job_is_in_the_beat_schedule_as_a_real_task():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert set(schedule) == {job.name for job in periodic.JOBS}
    assert "media.unclaimed_uploads_expire" in schedule
    for job in periodic.JOBS:
        assert schedule[job.name] == {"task": job.task, "schedule": job.every}
        task = import_string(job.task)
        assert isinstance(task, Task)
        assert task.name == job.task  # the name beat sends is the one the worker knows


def test_a_job_is_due_when_never_run_or_its_interval_has_passed():
    job = periodic.Job("x", "laurel.x", timedelta(hours=1), "")
    now = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)
    assert periodic.jobs_due({}, now, (job,)) == [job]
    assert periodic.jobs_due({"x": now - timedelta(minutes=30)}, now, (job,)) == []
    # cron's jitter: a run a few seconds short of the hour still counts
    assert periodic.jobs_due({"x": now - timedelta(minutes=59, seconds=50)}, now, (job,)) == [job]


@pytest.fixture
def state_file(settings, tmp_path):
    settings.PERIODIC_STATE_FILE = tmp_path / "periodic.json"
    return settings.PERIODIC_STATE_FILE


def test_laurel_periodic_runs_the_expiry_job_once_when_due(
    state_file,
    contest,  # noqa: F811
    member_self,  # noqa: F811
    users,
    django_capture_on_commit_callbacks,
):
    def upload(seed: int, age: timedelta) -> MediaAsset:
        with django_capture_on_commit_callbacks(execute=True):
            asset = media_services.asset_upload(
                acting_user=users["member"],
                chunks=[jpeg(photo(seed, (800, 600)))],
                original_name=f"{seed}.jpg",
            )
        MediaAsset.objects.filter(pk=asset.pk).update(created_at=timezone.now() - age)
        return asset

    old = upload(1, timedelta(days=2))
    fresh = upload(2, timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        entry = member_entry_submit(contest, member_self, users, title="有主的照片", seed=3)
    claimed = EntryFile.objects.get(entry=entry).asset
    MediaAsset.objects.filter(pk=claimed.pk).update(created_at=timezone.now() - timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("periodic")

    assert set(MediaAsset.objects.values_list("pk", flat=True)) == {fresh.pk, claimed.pk}
    assert not MediaAsset.objects.filter(pk=old.pk).exists()
    last_runs = json.loads(state_file.read_text())
    assert set(last_runs) == {job.name for job in periodic.JOBS}  # every job was due

    # run again at once: nothing is due, so the now old "fresh" upload waits for the next hour
    MediaAsset.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(days=2))
    call_command("periodic")
    assert MediaAsset.objects.filter(pk=fresh.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("periodic", "--all")
    assert set(MediaAsset.objects.values_list("pk", flat=True)) == {claimed.pk}
