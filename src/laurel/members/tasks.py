"""Background work for members. Tasks take primary keys, never objects."""

from celery import shared_task

from laurel.members import services


@shared_task
def member_import_run(member_import_id: int) -> str:
    """Commit a previewed roster import (see ``services.member_import_run``)."""
    return services.member_import_run(member_import_id)
