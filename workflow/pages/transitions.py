"""Transitions as forms: the same specs, input serializers and services as the API.

A page lists the transitions the person may fire now (`may_fire`), renders each spec's input
serializer as form fields, and on POST validates with that serializer and calls the spec's
service, so a rule is checked in one place whatever the interface.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Attachment
from config.fsm import Conflict, check_transition, may_fire
from workflow.items import assign_form

# Labels for input fields the API declares without one.
LABELS = {
    "reason": _("原因"),
    "note": _("说明"),
    "reply": _("补正说明"),
    "place": _("地点"),
    "video_link": _("视频会议链接"),
    "assignments": _("交办单位与任务"),
}


def _widget(field) -> str:
    if isinstance(field, serializers.ListSerializer):
        return "rows"
    if isinstance(field, serializers.ListField):
        return "lines"  # one entry per line of a text area
    if isinstance(field, serializers.ManyRelatedField):
        return "checkboxes"
    if isinstance(field, serializers.ChoiceField):
        return "radios"
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        return "select"
    if isinstance(field, serializers.DateTimeField):
        return "datetime-local"
    if isinstance(field, serializers.DateField):
        return "date"
    if isinstance(field, serializers.IntegerField):
        return "number"
    if isinstance(field, serializers.CharField) and (field.max_length or 0) > 200:
        return "textarea"
    return "text"


def _relation_choices(name, field, obj):
    if name == "evidence":
        # Evidence is chosen among the case's own attachments.
        return [(a.pk, a.original_name) for a in Attachment.objects.filter(case_id=obj.case_id)]
    if name == "items":
        # Sending back for rework: the case's done items.
        done = obj.action_items.filter(status="done").select_related("owner")
        return [(i.pk, f"{i.owner}：{i.title}") for i in done]
    return (
        [(o.pk, str(o)) for o in field.child_relation.queryset]
        if hasattr(field, "child_relation")
        else [(o.pk, str(o)) for o in field.queryset]
    )


def _label(name, field):
    # DRF makes "Reason" out of a field declared without a label; use ours instead.
    generated = name.replace("_", " ").capitalize()
    return LABELS.get(name, field.label) if field.label == generated else field.label


def form_fields(spec, obj, data=None, errors=None) -> list[dict]:
    """The fields of a transition's input, ready for pages/transition_form.html."""
    data, errors = data or {}, errors or {}
    fields = []
    for name, field in spec.input(context={"object": obj}).fields.items():
        if field.read_only:
            continue
        widget = _widget(field)
        entry = {
            "name": name,
            "label": _label(name, field),
            "required": field.required,
            "widget": widget,
            "value": data.get(name, ""),
            "errors": _messages(errors.get(name)),
            # A translated help text is for the person filling the form; a plain one documents
            # the API only (in English).
            "help": field.help_text if isinstance(field.help_text, Promise) else "",
        }
        if widget == "radios":
            entry["choices"] = list(field.choices.items())
        elif widget in ("select", "checkboxes"):
            entry["choices"] = _relation_choices(name, field, obj)
        elif widget == "rows":
            organisations = [(o.pk, str(o)) for o in field.child.fields["organisation"].queryset]
            entry.update(assign_form.rows(organisations, data.get(name) or [], errors))
            entry["errors"] = []  # in words, per row: entry["summary"]
        fields.append(entry)
    return fields


def _messages(value) -> list[str]:
    """Flatten DRF or Django error structures into readable lines."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [f"{key}: {line}" for key, nested in value.items() for line in _messages(nested)]
    if isinstance(value, list | tuple):
        lines = []
        for index, nested in enumerate(value):
            for line in _messages(nested):
                lines.append(f"{index + 1}. {line}" if isinstance(nested, dict) else line)
        return lines
    return [str(value)]


def form_data(spec, post) -> dict:
    """Read a transition form's POST into the shape its input serializer expects."""
    data = {}
    for name, field in spec.input().fields.items():
        if isinstance(field, serializers.ListSerializer):
            data[name] = assign_form.read(post)
        elif isinstance(field, serializers.ListField):
            data[name] = [line.strip() for line in post.get(name, "").splitlines() if line.strip()]
        elif isinstance(field, serializers.ManyRelatedField):
            data[name] = post.getlist(name)
        elif name in post and (post[name] != "" or isinstance(field, serializers.CharField)):
            data[name] = post[name]
    return data


def available(specs, obj, user, *, open_name=None, data=None, errors=None) -> list[dict]:
    """The transitions `user` may fire on `obj` now, each with its form fields."""
    return [
        {
            "name": name,
            "label": spec.label,
            "confirm": spec.confirm,
            "open": name == open_name,
            "fields": form_fields(
                spec,
                obj,
                data if name == open_name else None,
                errors if name == open_name else None,
            ),
            "errors": _messages((errors or {}).get("__all__")) if name == open_name else [],
        }
        for name, spec in specs.items()
        if may_fire(obj, spec.method, user)
    ]


def submit(spec, obj, object_kwarg, request) -> tuple[dict, dict | None]:
    """Validate and fire; return (data, errors) with errors None on success.

    PermissionDenied propagates (a 403 page); a wrong state or bad input comes back as errors.
    """
    data = form_data(spec, request.POST)
    try:
        check_transition(obj, spec.method, request.user)
    except Conflict as conflict:
        return data, {"__all__": [conflict.message]}
    serializer = spec.input(data=data, context={"request": request, "object": obj})
    if not serializer.is_valid():
        return data, _non_field(serializer.errors)
    return data, call(
        spec.service, {object_kwarg: obj, "by": request.user, **serializer.validated_data}
    )


def call(service, kwargs) -> dict | None:
    """Run a service; return its refusal as form errors, or None when it succeeded."""
    try:
        service(**kwargs)
    except ValidationError as invalid:
        return _non_field(
            invalid.message_dict
            if hasattr(invalid, "error_dict")
            else {"__all__": invalid.messages}
        )
    except Conflict as conflict:
        return {"__all__": [conflict.message]}
    return None


def _non_field(errors) -> dict:
    errors = dict(errors)
    for key in ("non_field_errors", "NON_FIELD_ERRORS"):
        if key in errors:
            errors.setdefault("__all__", [])
            errors["__all__"] = list(errors["__all__"]) + list(errors.pop(key))
    return errors


def only_general(errors) -> list[str] | None:
    """The messages of a refusal that names no field (a wrong state, a lost race), else None:
    those are told on the refreshed page rather than beside a form that may be gone."""
    if set(errors) == {"__all__"}:
        return _messages(errors["__all__"])
    return None
