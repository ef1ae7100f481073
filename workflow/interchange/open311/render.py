"""Open311 answers in JSON or XML, and its error format: a list of `{code, description}`.
The XML names each list's items as the specification does (`<services><service>…`)."""

import json
from xml.etree import ElementTree

from django.http import HttpResponse

# The element of each item of a list, by the list's element.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def element(tag: str, value) -> ElementTree.Element:
    node = ElementTree.Element(tag)
    if isinstance(value, dict):
        node.extend(element(key, child) for key, child in value.items())
    elif isinstance(value, list):
        node.extend(element(ITEM_TAGS[tag], item) for item in value)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)
    return node


def respond(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """`data` under `root` (XML's outer element; JSON has none)."""
    if fmt == "xml":
        body = ElementTree.tostring(element(root, data), encoding="utf-8", xml_declaration=True)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", [{"code": status, "description": description}], status)
