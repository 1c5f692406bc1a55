import datetime as dt
import zoneinfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def deadline_text(moment, zone: str = "Europe/Paris") -> str:
    """A moment as plain text in the call's zone, saying which zone: for messages and e-mails."""
    if moment is None:
        return ""
    if not isinstance(moment, dt.datetime):
        # The e-mail text editor renders built-in texts with {{ placeholders }} in place of values.
        return str(moment)
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(zone))
    city = zone.split("/")[-1].replace("_", " ")
    return "{} ({})".format(date_format(local, "DATETIME_FORMAT"), _("%(city)s time") % {"city": city})
