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


def weighted_median(pairs) -> float | None:
    """The median of values given as (value, how many times) pairs."""
    pairs = sorted((v, n) for v, n in pairs if n)
    total = sum(n for _v, n in pairs)
    if not total:
        return None

    def nth(k):  # the k-th value (0-based) in sorted order
        for value, n in pairs:
            if k < n:
                return value
            k -= n
        raise IndexError(k)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2
