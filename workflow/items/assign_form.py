"""The 交办 form on the case page: one row per department, as many rows as needed.

The rows post like a Django formset (``assignments-<n>-<field>`` and a management field
``assignments-TOTAL_FORMS``), so the page's script only clones a row and counts it; without the
script a few empty rows are offered. Errors come back per row, in words: the input serializer's
list of row errors and the service's ``assignments.<row>.<field>`` keys alike.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

PREFIX = "assignments"
EMPTY_ROWS = 3  # rows offered without the script
MAX_ROWS = 50  # as the API's AssignInput
# The page shows a date; a row posted with the API's alternative (working days) is read too.
KEYS = ["organisation", "title", "deliverable", "due_date", "due_in_working_days"]
LABELS = {
    "organisation": gettext_lazy("承办单位"),
    "title": pgettext_lazy("交办行", "任务"),
    "deliverable": gettext_lazy("交付成果"),
    "due_date": gettext_lazy("办理期限"),
    "due_in_working_days": gettext_lazy("办理时限（工作日）"),
}
_SERVICE_KEY = re.compile(rf"^{PREFIX}\.(\d+)\.(\w+)$")


def read(post) -> list[dict]:
    """The filled rows of a POST, in order; rows left empty are ignored."""
    try:
        total = min(int(post.get(f"{PREFIX}-TOTAL_FORMS", "")), MAX_ROWS)
    except ValueError:
        total = None
    rows, index = [], 0
    while (index < total) if total is not None else f"{PREFIX}-{index}-organisation" in post:
        row = {key: post.get(f"{PREFIX}-{index}-{key}", "").strip() for key in KEYS}
        row = {key: value for key, value in row.items() if value}
        if row:
            rows.append(row)
        index += 1
    return rows


def row_errors(errors: dict) -> tuple[dict[int, dict[str, list[str]]], list[str]]:
    """({row index: {field: [messages]}}, [messages about the whole list]) from either shape."""
    by_row: dict[int, dict[str, list[str]]] = {}
    general: list[str] = []
    nested = errors.get(PREFIX)
    if isinstance(nested, list):
        for index, entry in enumerate(nested):
            if isinstance(entry, dict):
                for field, lines in entry.items():
                    by_row.setdefault(index, {}).setdefault(field, []).extend(_lines(lines))
            else:
                general.extend(_lines(entry))
    elif isinstance(nested, dict):
        # DRF may key a list's errors by row: {1: {"title": [...]}}.
        for key, entry in nested.items():
            if str(key).isdigit() and isinstance(entry, dict):
                for field, lines in entry.items():
                    by_row.setdefault(int(key), {}).setdefault(field, []).extend(_lines(lines))
            else:
                general.extend(_lines(entry))
    elif nested:
        general.extend(_lines(nested))
    for key, lines in errors.items():
        match = _SERVICE_KEY.match(str(key))
        if match:
            index, field = int(match[1]), match[2]
            by_row.setdefault(index, {}).setdefault(field, []).extend(_lines(lines))
    return by_row, general


def _lines(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(line) for entry in value for line in _lines(entry)]
    if isinstance(value, dict):
        return [line for entry in value.values() for line in _lines(entry)]
    return [str(value)]


def field_label(field: str) -> str:
    return str(LABELS.get(field, field))


def rows(organisations, values: list[dict], errors: dict | None) -> dict:
    """What the template needs: the rows (with their errors) and a summary in words."""
    by_row, general = row_errors(errors or {})
    values = list(values)
    count = max(EMPTY_ROWS, len(values), max(by_row, default=-1) + 1)
    values += [{}] * (count - len(values))
    summary = [
        _("第 %(n)d 行 %(field)s：%(message)s")
        % {"n": index + 1, "field": field_label(field), "message": line}
        for index in sorted(by_row)
        for field, lines in by_row[index].items()
        for line in lines
    ]
    return {
        "rows": [
            {
                "index": str(index),
                "number": index + 1,
                "value": value,
                "errors": {
                    # A row error on a field the page does not show goes with the due date.
                    ("due_date" if field == "due_in_working_days" else field): lines
                    for field, lines in by_row.get(index, {}).items()
                },
            }
            for index, value in enumerate(values)
        ],
        "organisations": organisations,
        "total": count,
        "summary": general + summary,
    }
