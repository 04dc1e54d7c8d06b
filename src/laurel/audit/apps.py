from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "laurel.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from laurel.audit import panels

        panels.register()  # what this app shows on the home pages and in the navigation
