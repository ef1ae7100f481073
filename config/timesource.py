"""The one source of "today" and "now" for deadline code.

Set ``SHENLIANTI_TODAY`` (``YYYY-MM-DD``, environment or setting) to move the clock for a demo
or a test; deadline code never calls ``date.today()`` or ``timezone.now()`` itself.
"""

import datetime
import os

from django.conf import settings
from django.utils import timezone


def _override() -> datetime.date | None:
    raw = os.environ.get("SHENLIANTI_TODAY") or getattr(settings, "SHENLIANTI_TODAY", "")
    return datetime.date.fromisoformat(raw) if raw else None


def today() -> datetime.date:
    """Today's date in the site's time zone (or the overridden date)."""
    return _override() or timezone.localdate()


def now() -> datetime.datetime:
    """The current moment; with an override, the same time of day on the overridden date."""
    real = timezone.localtime()
    day = _override()
    return real.replace(year=day.year, month=day.month, day=day.day) if day else real
