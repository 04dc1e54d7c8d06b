"""Background work of the shell. Tasks take primary keys, never objects."""

from celery import shared_task

from laurel.web import idempotency


@shared_task
def idempotent_requests_expire() -> int:
    """Periodic (``laurel.periodic.JOBS``): delete the kept answers older than
    ``LAUREL_IDEMPOTENCY_DAYS``."""
    return idempotency.requests_expire()
