from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "laurel.contests"
    verbose_name = _("Contests")

    def ready(self) -> None:
        from laurel.contests import panels, tasks  # noqa: F401 - tasks: the worker_ready hook
        from laurel.contests.management import ingest

        panels.register()  # what this app shows on the home pages and in the navigation
        ingest.register()  # `laurel media ingest`: an action of media's command
