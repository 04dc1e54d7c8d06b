from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "laurel.orgs"
    verbose_name = _("Units")

    def ready(self) -> None:
        from laurel.orgs import panels

        panels.register()  # what this app shows on the home pages and in the navigation
