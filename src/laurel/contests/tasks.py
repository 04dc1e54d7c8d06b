"""Background work on entries. Tasks take primary keys, never objects."""

from celery import shared_task
from celery.signals import worker_ready

from laurel.contests import services


@shared_task(acks_late=True)
def entry_process(entry_id: int) -> str:
    return services.entry_process(entry_id)


@worker_ready.connect
def requeue_unsettled_entries(**_kwargs) -> None:
    """Entries whose processing a dead worker left unfinished are taken up again."""
    services.entries_requeue_unsettled()
