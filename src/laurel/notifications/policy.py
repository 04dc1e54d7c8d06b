"""Who sees which messages: everyone their own inbox; federation admins the outbox."""

from laurel.accounts.policy import Access
from laurel.notifications.models import Notification


def may_view_outbox(access: Access) -> bool:
    return access.is_federation_admin


def inbox_of(user):
    return Notification.objects.filter(recipient=user)
