from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "laurel.judging"
    verbose_name = _("Judging")

    def ready(self) -> None:
        from laurel.judging import panels

        panels.register()  # what this app shows on the home pages and in the navigation
