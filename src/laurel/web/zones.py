"""The display time zone in words a reader knows ("Beijing time"), never its tz database name."""

from django.utils import timezone
from django.utils.translation import gettext as _

# Zones people name after Beijing: one offset, no summer time.
BEIJING = {"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"}


def zone_in_words() -> str:
    """How times on a form are read: "Beijing time", or the zone's offset from UTC."""
    if timezone.get_current_timezone_name() in BEIJING:
        return _("Beijing time")
    offset = timezone.localtime().strftime("%z")  # +0800
    return _("UTC%(offset)s") % {"offset": f"{offset[:3]}:{offset[3:]}"}


def times_help() -> str:
    """The help text of a date-and-time field."""
    return _("Times are %(zone)s.") % {"zone": zone_in_words()}
