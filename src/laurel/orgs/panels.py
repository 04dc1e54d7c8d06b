"""What orgs shows in the navigation (``web.home``): the console's Units."""

from django.utils.translation import gettext_lazy as _

from laurel.orgs import policy
from laurel.web import home


def register() -> None:
    home.console_link_register("orgs:unit_list", _("Units"), order=20, rule=policy.may_view_units)
