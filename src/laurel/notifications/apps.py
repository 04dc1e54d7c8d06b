from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "laurel.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from laurel.notifications import panels

        panels.register()  # what this app shows on the home pages and in the navigation
