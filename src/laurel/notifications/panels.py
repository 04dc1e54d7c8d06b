"""What notifications shows in the navigation (``web.home``): the inbox with its unread
count in the top bar, and the console's Outbox."""

from django.utils.translation import gettext_lazy as _

from laurel.notifications import policy
from laurel.web import home
from laurel.web.access import signed_in


def unread_count(user) -> int:
    return policy.inbox_of(user).filter(read_at__isnull=True).count()


def register() -> None:
    home.personal_link_register(
        "inbox", "notifications:inbox", _("Inbox"), order=30, rule=signed_in, count=unread_count
    )
    home.console_link_register(
        "notifications:outbox", _("Outbox"), order=90, rule=policy.may_view_outbox
    )
