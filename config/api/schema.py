"""The OpenAPI document tells every answer an operation can give, errors included.

The views document their own successes and the errors particular to them (409 for a refused
transition, 403 for a role). The errors every operation shares come from the machinery, so
they are added here once, by what the operation has, in the error shape (`Error`):

- a path parameter: 404 (not found, not visible, or not a whole number);
- a query parameter: 400 (a filter or page size that is not valid);
- a cursor: 404 (a cursor that is not one this list gave);
- a request body: 400 (invalid, not parseable, nested too deep), 413 (over the size limit),
  415 (a media type the operation does not read);
- a write: 409 (the object's state refuses it, or a concurrent change came first: the one
  exception handler answers these for every view);
- signing in required: 401 (not signed in) and 403 (not permitted).

A query parameter sent empty (`?status=`) is the same as not sent, as django-filter reads it:
each is marked `allowEmptyValue`.

An error is always JSON, even where the success can also be a page (the printable minutes);
a page is text, not the JSON body's schema.
"""

ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}

DESCRIPTIONS = {
    "400": "Invalid input; the fields are named.",
    "401": "Not signed in.",
    "403": "Not permitted for your role.",
    "404": "Not found or not visible to you.",
    "413": "The request body is larger than allowed.",
    "409": "The object's state does not allow this now, or a concurrent change came first.",
    "415": "A request body in a media type this operation does not read.",
}

WRITES = {"post", "put", "patch", "delete"}


def _shared_errors(method, operation) -> set[str]:
    codes = {"409"} if method in WRITES else set()
    parameters = operation.get("parameters", [])
    if any(parameter["in"] == "path" for parameter in parameters):
        codes.add("404")
    if any(parameter["in"] == "query" for parameter in parameters):
        codes.add("400")
    if any(
        parameter["in"] == "query" and parameter["name"] == "cursor" for parameter in parameters
    ):
        codes.add("404")
    if "requestBody" in operation:
        codes |= {"400", "413", "415"}
    if {} not in operation.get("security", [{}]):
        codes |= {"401", "403"}
    return codes


def add_shared_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    assert "Error" in result["components"]["schemas"], "the error shape's component is missing"
    for operations in result["paths"].values():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    parameter["allowEmptyValue"] = True
            responses = operation["responses"]
            for code in _shared_errors(method, operation):
                responses.setdefault(code, {"description": DESCRIPTIONS[code]})
            operation["responses"] = responses = dict(sorted(responses.items()))
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    response["content"] = {"application/json": {"schema": ERROR_SCHEMA}}
                elif "text/html" in response.get("content", {}):
                    response["content"]["text/html"] = {"schema": {"type": "string"}}
    return result
