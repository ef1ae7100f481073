"""docs/lifecycle.md, generated from the state machines themselves so it cannot drift."""

from django.apps import apps
from django_fsm import GET_STATE, RETURN_VALUE, FSMField

HEADER = """# Lifecycles

Generated from the code by `python manage.py lifecycle_docs`; do not edit by hand. A test fails
when this file and the state machines disagree.

Each table lists every transition: the states it may be fired from, where it leads, who may fire
it (the `permission` of the transition) and the conditions it checks. A transition refused for
its state answers 409, for its user 403; an object the user may not see answers 404.
"""

APPS = ("departments", "cases", "workflow")


def state_machines():
    """(model, field) for every FSM status field of the project's apps, in a stable order."""
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, FSMField):
                    yield model, field


def _targets(transition) -> list[str]:
    target = transition.target
    if isinstance(target, RETURN_VALUE | GET_STATE):
        return list(target.allowed_states or [])
    return [target]


def _describe(function) -> str:
    """A rule's first docstring line, or its name made readable."""
    if function is None:
        return "anyone who can reach it; in practice the system (the time-limit scan)"
    paragraph = (function.__doc__ or "").strip().split("\n\n")[0]
    if not paragraph:
        return function.__name__.replace("_", " ")
    return " ".join(line.strip() for line in paragraph.splitlines()).rstrip(".")


def render() -> str:
    parts = [HEADER]
    for model, field in state_machines():
        transitions = sorted(
            field.get_all_transitions(model), key=lambda t: (t.name, str(t.source))
        )
        labels = dict(field.choices)
        parts.append(f"\n## {model._meta.verbose_name} (`{model.__name__}.{field.name}`)\n")
        parts.append("\n| state | 状态 |\n|---|---|\n")
        parts.extend(f"| `{value}` | {label} |\n" for value, label in field.choices)
        parts.append(f"\n```mermaid\nstateDiagram-v2\n    [*] --> {field.default}\n")
        edges = sorted({(t.source, target, t.name) for t in transitions for target in _targets(t)})
        parts.extend(
            f"    {source} --> {target}: {name}\n"
            for source, target, name in edges
            if source in labels and target in labels
        )
        parts.append("```\n\n| transition | from | to | who may fire it | conditions |\n")
        parts.append("|---|---|---|---|---|\n")
        by_name: dict[str, list] = {}
        for transition in transitions:
            by_name.setdefault(transition.name, []).append(transition)
        for name, group in sorted(by_name.items()):
            first = group[0]
            sources = ", ".join(sorted(f"`{t.source}`" for t in group))
            targets = ", ".join(f"`{target}`" for target in _targets(first))
            conditions = "; ".join(_describe(c) for c in first.conditions) or "—"
            parts.append(
                f"| `{name}` | {sources} | {targets} | {_describe(first.permission)} "
                f"| {conditions} |\n"
            )
    return "".join(parts)
