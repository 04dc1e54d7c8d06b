from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "laurel.orgs"
    verbose_name = _("Units")

    def ready(self) -> None:
        from laurel.audit.entry_data import code_namer_register
        from laurel.orgs import panels, selectors

        panels.register()  # what this app shows on the home pages and in the navigation
        code_namer_register(selectors.unit_names_by_code)  # audit entries show units by name
