"""The figures' definitions, written once (docs/statistics.md explains each in words).

A rate is never a bare percentage: it travels as its numerator and denominator, and the
percentage is derived from them (None when nothing was due)."""

from django.utils.translation import gettext_lazy as _

# An action item's sign limit (签收时限): signed for within this many working days of its
# assignment (the day of assignment not counted), the same one day a case has to be accepted.
SIGN_DAYS = 1

RATE_LABELS = {
    "response_cases": _("响应率（诉求受理）"),
    "response_items": _("响应率（任务签收）"),
    "on_time": _("按时办结率"),
    "resolution": _("解决率"),
    "satisfaction": _("满意率"),
}


def rate(numerator: int, denominator: int) -> dict:
    percent = round(100 * numerator / denominator, 1) if denominator else None
    return {"numerator": numerator, "denominator": denominator, "percent": percent}


def median(values: list) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
