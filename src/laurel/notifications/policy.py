"""Who sees which messages: everyone their own inbox; federation admins the outbox."""

from laurel.notifications.models import Notification
from laurel.web.access import Access


def may_view_outbox(access: Access) -> bool:
    return access.is_federation_admin


def inbox_of(user):
    return Notification.objects.filter(recipient=user)
