from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "laurel.members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from laurel.members import panels

        panels.register()  # what this app shows on the home pages and in the navigation
