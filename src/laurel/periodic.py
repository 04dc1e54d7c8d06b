"""Periodic work: one registry, two ways to run it.

Each job is a Celery task in its app's ``tasks.py``, registered here once (``JOBS``) with how
often it runs. Where a broker is configured, Celery beat runs them (settings'
``CELERY_BEAT_SCHEDULE`` is ``beat_schedule()``); on the embedded default (no broker) cron
runs ``laurel periodic``, which runs every job that is due (``jobs_due``) in its own process.
A new job is one more line in ``JOBS``.

Plain Python: settings import this module before Django is set up.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str  # stable: the beat schedule's key, and the key of its last run
    task: str  # the Celery task's dotted path (its registered name)
    every: datetime.timedelta
    doc: str


JOBS: tuple[Job, ...] = (
    Job(
        name="media.unclaimed_uploads_expire",
        task="laurel.media.tasks.unclaimed_uploads_expire",
        every=datetime.timedelta(hours=1),
        doc="delete uploads no entry uses, older than LAUREL_UNCLAIMED_UPLOAD_HOURS",
    ),
    Job(
        name="web.idempotent_requests_expire",
        task="laurel.web.tasks.idempotent_requests_expire",
        every=datetime.timedelta(hours=1),
        doc="delete the answers kept for idempotency keys, older than LAUREL_IDEMPOTENCY_DAYS",
    ),
    Job(
        name="events.offers_lapse",
        task="laurel.events.tasks.offers_lapse",
        every=datetime.timedelta(minutes=5),
        doc="lapse the offers of freed places not taken in time; each passes to the next in line",
    ),
    Job(
        name="events.reminders_send",
        task="laurel.events.tasks.reminders_send",
        every=datetime.timedelta(hours=1),
        doc="remind the people registered for an event that starts tomorrow (Beijing time)",
    ),
)

# cron's minute and the job's own run time jitter: a run this much early still counts as due
EARLY = datetime.timedelta(minutes=1)


def beat_schedule(jobs: tuple[Job, ...] = JOBS) -> dict[str, dict]:
    """Celery beat's schedule (``CELERY_BEAT_SCHEDULE``) for the jobs."""
    return {job.name: {"task": job.task, "schedule": job.every} for job in jobs}


def jobs_due(
    last_runs: dict[str, datetime.datetime],
    now: datetime.datetime,
    jobs: tuple[Job, ...] = JOBS,
) -> list[Job]:
    """The jobs never run, or last run at least ``every`` (less ``EARLY``) before ``now``."""
    return [
        job
        for job in jobs
        if job.name not in last_runs or now - last_runs[job.name] >= job.every - EARLY
    ]
