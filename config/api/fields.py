"""Serializer fields shared by every resource."""

import copy

from rest_framework import serializers


class ChoiceLabelField(serializers.CharField):
    """The label of a choice field's value, in the request's language: `status_display`.

    Reads the label from the choices given once, not through `get_FOO_display`, which rebuilds
    a dict of every choice (hashing each lazy label) and inspects the method's signature for
    every row a list shows.
    """

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


class PrebuiltFieldsMixin:
    """A ModelSerializer that builds its fields from the model once per class, then copies them.

    DRF rebuilds every field of a ModelSerializer from the model's field definitions each time
    one is created (the field classes, their arguments, validators, choices): for a case with
    its items and clocks that is most of the answer's time. The built fields depend only on the
    class, so they are built once and deep-copied per instance, as DRF already does with the
    declared ones. Not for a serializer whose `get_fields` reads its instance or context.
    """

    def get_fields(self):
        cls = type(self)
        prebuilt = cls.__dict__.get("_prebuilt_fields")
        if prebuilt is None:
            prebuilt = super().get_fields()
            cls._prebuilt_fields = prebuilt
        return copy.deepcopy(prebuilt)
