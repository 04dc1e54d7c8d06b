"""Background work of events: the periodic jobs (``laurel.periodic.JOBS``)."""

from celery import shared_task

from laurel.events import services


@shared_task
def offers_lapse() -> int:
    """Lapse the offers of freed places not taken in time; each passes to the next in line."""
    return services.offers_lapse()


@shared_task
def reminders_send() -> int:
    """Remind the people registered for an event that starts tomorrow (Beijing time)."""
    return services.reminders_send()
