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
    """django-filter's FilterSet, built for the filters a request names, its form class kept.

    django-filter deep-copies every filter of the set for each request (a model choice filter's
    queryset included), then builds a form class with a field for each, copies those fields
    again into the form and cleans them all: most of a filtered list's extra time. A filter the
    query string does not name cannot change the answer or fail (none is required), so only
    the named ones are copied, validated and applied; the error of a bad value is the same,
    in the same order. A filter whose widget cannot tell that it is absent (a multiple choice)
    is always kept. The form class of each set of names is built once per filter set class; each
    form still gets its own copies of the fields (Django's forms deep-copy them), and messages
    are translated when they are shown, in the request's language.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if data is None or prefix:
            super().__init__(data, queryset, request=request, prefix=prefix)
            return
        named = {
            name: filter_
            for name, filter_ in self.base_filters.items()
            if not filter_.field.widget.value_omitted_from_data(data, {}, name)
        }
        all_filters = self.base_filters
        self.base_filters = named  # on the instance: the class keeps all of them
        try:
            super().__init__(data, queryset, request=request, prefix=prefix)
        finally:
            self.base_filters = all_filters

    def get_form_class(self):
        cls = type(self)
        form_classes = cls.__dict__.get("_form_classes")
        if form_classes is None:
            form_classes = cls._form_classes = {}
        names = tuple(self.filters)
        form_class = form_classes.get(names)
        if form_class is None:
            form_class = form_classes[names] = super().get_form_class()
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
