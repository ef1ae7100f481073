"""Serializer fields shared by every resource."""

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
