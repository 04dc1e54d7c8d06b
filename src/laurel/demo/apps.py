from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "laurel.demo"
    verbose_name = _("Demo")

    def ready(self) -> None:
        # each loader registers itself (laurel.demo.registry); every later domain adds one
        from laurel.demo.loaders import (  # noqa: F401
            carnival,
            course,
            craftsmen,
            logins,
            meeting,
            members,
            performance,
            photo_contest,
            teams,
            units,
        )
