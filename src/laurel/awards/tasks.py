"""Background work for a contest's outcome. Tasks take primary keys, never objects."""

from celery import shared_task

from laurel.awards import certificates


@shared_task
def certificates_bundle(contest_id: int, job: str) -> str:
    """Every valid certificate of a contest in one PDF (``certificates.bundle_build``)."""
    return certificates.bundle_build(contest_id, job)
