"""What events show in the top bar, the console's sidebar and the home pages (``web.home``)."""

from django.utils.translation import gettext_lazy as _

from laurel.events import policy
from laurel.web import home


def register() -> None:
    home.activity_register("events", "events:list", _("Events"), order=20)
    home.console_link_register(
        "events:console_list", _("Events"), order=52, rule=policy.may_organise_events
    )
