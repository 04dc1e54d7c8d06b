from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "laurel.contests"
    verbose_name = _("Contests")

    def ready(self) -> None:
        from laurel.contests import tasks  # noqa: F401 - registers the worker_ready hook
