from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "laurel.awards"
    verbose_name = _("Awards")

    def ready(self) -> None:
        from laurel.awards import caching, panels
        from laurel.contests.signals import contest_changed

        panels.register()  # what this app shows on the home pages and in the navigation
        contest_changed.connect(
            caching.exhibition_changed_with_contest, dispatch_uid="awards.exhibition_changed"
        )
