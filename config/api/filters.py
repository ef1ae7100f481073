"""Filter fields shared by the list endpoints."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework
from django_filters.rest_framework import DjangoFilterBackend

TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no"}


class StrictBooleanField(forms.NullBooleanField):
    """`true`/`false` (or 1/0, yes/no); anything else is an error, not a silent "no filter"."""

    # NullBooleanField's own widget turns unknown words into None before to_python sees them.
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise forms.ValidationError(_("应为 true 或 false。"), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    # Not the rest_framework BooleanFilter: its BooleanWidget also turns unknown words into None.
    field_class = StrictBooleanField


class FilterSet(rest_framework.FilterSet):
    """django-filter's FilterSet, its form class built once per filter set class.

    django-filter builds a new form class for every request (each filter's form field, its
    label from the model's verbose names): a third of a filtered list's time. The filters of
    these sets do not depend on the request, so the class is kept; each form still gets its own
    copies of the fields (Django's forms deep-copy them), and messages are translated when they
    are shown, in the request's language.
    """

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._form_class = form_class
        return form_class


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the view's filters.

    Building and validating the filter form costs a list request a fifth of its time; without a
    filter in the query it filters nothing, so the plain list goes without it.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not set(request.query_params) & set(
            filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
