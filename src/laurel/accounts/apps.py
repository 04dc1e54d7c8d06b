from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "laurel.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from laurel.accounts import panels

        panels.register()  # what this app shows on the home pages and in the navigation
