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
