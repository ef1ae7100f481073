"""Lists shaped from `values()` rows by plain functions, not a serializer per row.

A nested ModelSerializer costs a list of 20 cases about half of its request time (building
the fields of each serializer, then a dozen field objects and model instances per row); the
same JSON built from `values()` rows costs a tenth of that (docs/performance.md). The list's
serializer stays the declared shape: the OpenAPI schema is generated from it, detail views use
it, and each row function is tested to give exactly what its serializer gives.
"""

from django.utils import translation
from rest_framework import serializers

_datetime = serializers.DateTimeField()
_date = serializers.DateField()


def iso_datetime(value):
    """A datetime as a DRF DateTimeField shows it (ISO 8601 in the current time zone)."""
    return None if value is None else _datetime.to_representation(value)


def iso_date(value):
    return None if value is None else _date.to_representation(value)


_labels: dict = {}


def choice_labels(choices) -> dict:
    """{value: label} of a choices class in the active language, built once per language."""
    key = (choices, translation.get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = _labels[key] = {value: str(label) for value, label in choices.choices}
    return labels


class RowListMixin:
    """For a generics.ListAPIView: the page is read with `rows(queryset)` (a `values()`
    queryset, filtered and paginated like the model queryset) and shaped by
    `represent(rows)` into the list serializer's JSON."""

    def rows(self, queryset):
        raise NotImplementedError

    def represent(self, rows: list) -> list:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        queryset = self.rows(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        if page is None:
            return super().list(request, *args, **kwargs)
        return self.get_paginated_response(self.represent(list(page)))
