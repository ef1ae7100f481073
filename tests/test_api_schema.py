"""The OpenAPI document describes each resource's own transitions."""

import pytest
from drf_spectacular.generators import SchemaGenerator

TRANSITION_PATHS = {
    "/api/v1/cases/{id}/transitions/": ("a case", "CaseTransitionRequestRequest"),
    "/api/v1/action-items/{id}/transitions/": (
        "an action item",
        "ActionItemTransitionRequestRequest",
    ),
    "/api/v1/extensions/{id}/transitions/": ("an extension", "ExtensionTransitionRequestRequest"),
    "/api/v1/supervision/{id}/transitions/": (
        "a supervision",
        "SupervisionTransitionRequestRequest",
    ),
    "/api/v1/sessions/{id}/transitions/": ("a session", "SessionTransitionRequestRequest"),
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("path", sorted(TRANSITION_PATHS))
def test_each_transitions_endpoint_documents_its_own_resource(schema, path):
    noun, request_component = TRANSITION_PATHS[path]
    operations = schema["paths"][path]
    assert operations["get"]["summary"] == f"Transitions of {noun} the caller may fire now"
    assert operations["post"]["summary"] == f"Fire one transition of {noun}"
    body = operations["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"] == f"#/components/schemas/{request_component}"


def _project_model_serializers():
    from rest_framework import serializers

    pending = list(serializers.ModelSerializer.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in ("cases", "departments", "workflow"):
            yield cls


def test_a_nested_reference_the_model_allows_to_be_empty_is_declared_nullable(schema):
    """A participant has an organisation or a person, an event may have no actor: the schema
    must say such a reference may be null, or clients generated from it reject the answer."""
    from rest_framework import serializers

    lies = []
    for cls in _project_model_serializers():
        model = cls.Meta.model
        for name, field in cls._declared_fields.items():
            if not isinstance(field, serializers.BaseSerializer) or getattr(field, "many", False):
                continue
            model_field = model._meta.get_field(field.source or name)
            if getattr(model_field, "null", False) and not field.allow_null:
                lies.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not lies


@pytest.mark.parametrize(
    "path,method,codes",
    [
        ("/api/v1/cases/", "get", {"400", "401", "403", "404"}),
        ("/api/v1/cases/", "post", {"400", "401", "403", "409", "413", "415"}),
        ("/api/v1/cases/{id}/", "get", {"401", "403", "404"}),
        ("/api/v1/sessions/{id}/participants/", "get", {"400", "401", "403", "404"}),
        ("/api/v1/auth/token/", "post", {"400", "413", "415"}),
    ],
)
def test_the_errors_every_operation_shares_are_documented_in_the_error_shape(
    schema, path, method, codes
):
    responses = schema["paths"][path][method]["responses"]
    assert codes <= set(responses)
    for code, response in responses.items():
        if code.startswith("4"):
            assert response["content"] == {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
            }


def test_the_printable_minutes_are_documented_as_a_page_and_their_errors_as_json(schema):
    responses = schema["paths"]["/api/v1/sessions/{id}/minutes/"]["get"]["responses"]
    assert responses["200"]["content"]["text/html"] == {"schema": {"type": "string"}}
    assert list(responses["404"]["content"]) == ["application/json"]


def test_an_empty_query_parameter_is_documented_as_allowed(schema):
    parameters = schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    assert all(p["allowEmptyValue"] for p in parameters if p["in"] == "query")
