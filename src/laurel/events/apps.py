from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "laurel.events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from laurel.awards.certificates import verification_elsewhere
        from laurel.events import panels
        from laurel.events.certificates import verification_path

        panels.register()  # what this app shows on the home pages and in the navigation
        # a course certificate's number typed on the awards' verification page comes here
        if verification_path not in verification_elsewhere:
            verification_elsewhere.append(verification_path)
