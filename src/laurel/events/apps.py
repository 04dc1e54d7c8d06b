from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "laurel.events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from laurel.events import panels

        panels.register()  # what this app shows on the home pages and in the navigation
