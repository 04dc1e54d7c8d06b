"""Background processing of media. Tasks take primary keys, never objects."""

from celery import shared_task
from celery.signals import worker_ready

from laurel.media import services


@shared_task(acks_late=True)
def asset_process(asset_id: int) -> str:
    return services.asset_process(asset_id)


@worker_ready.connect
def requeue_orphaned_assets(**_kwargs) -> None:
    """A worker that starts takes up what a dead one left: no waiting for the broker."""
    services.assets_requeue_orphaned()


@shared_task
def unclaimed_uploads_expire() -> int:
    """Periodic (``laurel.periodic.JOBS``): delete old uploads nothing claims."""
    return services.unclaimed_uploads_expire()
