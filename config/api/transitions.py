"""The transitions pair every state machine exposes: GET what the caller may fire now, POST
`{"name": ..., ...fields}` to fire one. Each resource declares its transitions once, as specs
naming the model method, the input serializer and the service that runs it."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.errors import ErrorSerializer
from config.fsm import may_fire


class NoInput(serializers.Serializer):
    """A transition that needs no fields."""


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=False)


@dataclass(frozen=True)
class TransitionSpec:
    method: str  # the transition method on the model
    label: str
    service: Callable  # called as service(<object>=obj, by=user, **validated_data)
    input: type[serializers.Serializer] = NoInput
    confirm: bool = False  # irreversible: pages ask before firing it


class AvailableTransitionField(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    label = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField(), required=False)


class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    confirm = serializers.BooleanField()
    fields = AvailableTransitionField(many=True)


FIELD_TYPES = {
    serializers.CharField: "string",
    serializers.ChoiceField: "choice",
    serializers.DateField: "date",
    serializers.IntegerField: "integer",
    serializers.BooleanField: "boolean",
    serializers.PrimaryKeyRelatedField: "id",
    serializers.ListSerializer: "list",
    serializers.ListField: "list",
}


def describe_fields(serializer_class) -> list[dict]:
    described = []
    for name, field in serializer_class().fields.items():
        if field.read_only:
            continue
        kind = next((t for cls, t in FIELD_TYPES.items() if isinstance(field, cls)), "object")
        entry = {
            "name": name,
            "type": kind,
            "required": field.required,
            "label": str(field.label or name),
        }
        if isinstance(field, serializers.ChoiceField):
            entry["choices"] = list(field.choices)
        described.append(entry)
    return described


class TransitionsView(APIView):
    """Subclasses set `specs`, `object_kwarg`, `output_serializer`, `get_queryset` (the object
    as the answer shows it, with what the serializer reads) and, where that is heavier than
    finding the object, `get_target_queryset` (the visible objects, nothing prefetched) and
    `get_answer_queryset` (what the serializer reads, without the visibility rule: the caller
    has just been shown to see the object, so the answer need not test it again)."""

    specs: dict[str, TransitionSpec] = {}
    object_kwarg = "obj"
    output_serializer: type[serializers.Serializer]

    def get_queryset(self):
        raise NotImplementedError

    def get_target_queryset(self):
        return self.get_queryset()

    def get_answer_queryset(self):
        return self.get_queryset()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def available(self, obj):
        user = self.request.user
        return [
            {
                "name": name,
                "label": str(spec.label),
                "confirm": spec.confirm,
                "fields": describe_fields(spec.input),
            }
            for name, spec in self.specs.items()
            if may_fire(obj, spec.method, user)
        ]

    def get(self, request, pk):
        return Response(self.available(self.get_object()))

    def get_target(self, pk):
        """The object to fire on. Views whose services lock through config.locking read it
        here under that lock, with the visibility rule in the same statement."""
        return get_object_or_404(self.get_target_queryset(), pk=pk)

    def post(self, request, pk):
        # One transaction from the lock to the answer: a failure anywhere, the answer's read
        # included, leaves nothing written.
        with transaction.atomic():
            return Response(self.fire(request, pk))

    def fire(self, request, pk) -> dict:
        obj = self.get_target(pk)
        if not isinstance(request.data, dict):
            raise ValidationError({"name": [_("请求体必须是 JSON 对象。")]})
        name = request.data.get("name")
        spec = self.specs.get(name) if isinstance(name, str) else None
        if spec is None:
            raise ValidationError(
                {"name": [_("未知的操作，可选：%(names)s") % {"names": ", ".join(self.specs)}]}
            )
        data = {key: value for key, value in request.data.items() if key != "name"}
        serializer = spec.input(data=data, context={"request": request, "object": obj})
        serializer.is_valid(raise_exception=True)
        result = spec.service(
            **{self.object_kwarg: obj}, by=request.user, **serializer.validated_data
        )
        return self.answer_from(result)

    def answer_from(self, result) -> dict:
        """The answer to a transition that returned `result`. Read back once through the
        answer's query, so it shows what the change made (new items, moved clocks). A plain
        query: django-fsm's refresh_from_db flips a class-wide flag on the model and races with
        other threads' saves."""
        return self.answer(result.pk)

    def answer(self, pk) -> dict:
        """The object after the change, as `output_serializer` shows it."""
        answer = self.get_answer_queryset().get(pk=pk)
        return self.output_serializer(answer, context={"request": self.request}).data


def transitions_schema(specs: dict[str, TransitionSpec], output, resource: str):
    """OpenAPI for a TransitionsView: the GET list, and the POST body by `name`."""
    errors = {
        400: OpenApiResponse(ErrorSerializer, description="Invalid input; fields named."),
        403: OpenApiResponse(ErrorSerializer, description="Not permitted for your role."),
        404: OpenApiResponse(ErrorSerializer, description="Not found or not visible to you."),
        409: OpenApiResponse(
            ErrorSerializer,
            description="Not allowed in this state, or lost a race with another writer.",
        ),
    }
    request = PolymorphicProxySerializer(
        component_name=f"{resource}TransitionRequest",
        serializers={
            name: type(
                f"{resource}{name.title().replace('_', '')}Request",
                (spec.input,),
                {
                    "name": serializers.ChoiceField(choices=[name]),
                },
            )
            for name, spec in specs.items()
        },
        resource_type_field_name="name",
    )

    noun = re.sub(r"(?<!^)(?=[A-Z])", " ", resource).lower()  # "ActionItem" → "action item"
    article = "an" if noun[0] in "aeiou" else "a"

    def decorate(view):
        view.get = extend_schema(
            summary=f"Transitions of {article} {noun} the caller may fire now",
            responses={200: AvailableTransitionSerializer(many=True), 404: errors[404]},
        )(_own(view.get))
        view.post = extend_schema(
            summary=f"Fire one transition of {article} {noun}",
            request=request,
            responses={200: output, **errors},
        )(_own(view.post))
        return view

    return decorate


def _own(method):
    """A function of the view's own to annotate: `extend_schema` writes onto the function, and
    views that inherit `TransitionsView.get` would otherwise share one annotation, the last
    view's, so every resource's docs showed another resource's transitions."""

    def handler(self, *args, **kwargs):
        return method(self, *args, **kwargs)

    return handler
