"""Open311 GeoReport v2 at /open311/v2/, read by a client nobody here wrote (the `georeport`
package) and checked against the specification's shapes, written below as JSON schemas
(http://wiki.open311.org/GeoReport_v2), in JSON and in XML."""

import jsonschema
import pytest
import requests
import xmltodict
from georeport import GeoReport

from cases.models import Case
from tests import factories
from workflow.casefile.services import case_accept
from workflow.interchange.models import ExternalSystem, PublicRequest
from workflow.interchange.services import case_publish, system_create, system_revoke

# The live server reads the data through its own connection; the categories come back after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEXT = {"type": "string"}
TEXT_OR_NULL = {"type": ["string", "null"]}
SERVICE = {
    "type": "object",
    "required": [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ],
    "properties": {
        "service_code": TEXT,
        "service_name": TEXT,
        "description": TEXT,
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": TEXT,
        "group": TEXT,
    },
}
SERVICES = {"type": "array", "items": SERVICE}
ATTRIBUTE = {
    "type": "object",
    "required": ["variable", "code", "datatype", "required", "order", "description"],
    "properties": {
        "variable": {"type": "boolean"},
        "code": TEXT,
        "datatype": {
            "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
        },
        "required": {"type": "boolean"},
        "datatype_description": TEXT_OR_NULL,
        "order": {"type": "integer"},
        "description": TEXT,
        "values": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "name"],
                "properties": {"key": TEXT, "name": TEXT},
            },
        },
    },
}
SERVICE_DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "properties": {"service_code": TEXT, "attributes": {"type": "array", "items": ATTRIBUTE}},
}
DATETIME = {"type": "string", "format": "date-time"}
REQUEST = {
    "type": "object",
    "required": [
        "service_request_id",
        "status",
        "service_code",
        "requested_datetime",
        "updated_datetime",
    ],
    "properties": {
        "service_request_id": TEXT,
        "status": {"enum": ["open", "closed"]},
        "status_notes": TEXT_OR_NULL,
        "service_name": TEXT_OR_NULL,
        "service_code": TEXT,
        "description": TEXT_OR_NULL,
        "agency_responsible": TEXT_OR_NULL,
        "service_notice": TEXT_OR_NULL,
        "requested_datetime": DATETIME,
        "updated_datetime": DATETIME,
        "expected_datetime": {"anyOf": [DATETIME, {"type": "null"}]},
        "address": TEXT_OR_NULL,
        "address_id": TEXT_OR_NULL,
        "zipcode": TEXT_OR_NULL,
        "lat": {"type": ["number", "null"]},
        "long": {"type": ["number", "null"]},
        "media_url": TEXT_OR_NULL,
    },
}
REQUESTS = {"type": "array", "items": REQUEST}
CHECKER = jsonschema.FormatChecker()


def as_xml_schema(schema):
    """The same shape read from XML: every leaf is text (or absent when empty), a list of one
    is a single element (xmltodict's reading)."""
    if schema.get("type") == "array":
        item = as_xml_schema(schema["items"])
        return {"anyOf": [item, {"type": "array", "items": item}, {"type": "null"}]}
    if schema.get("type") == "object":
        return {
            **schema,
            "properties": {k: as_xml_schema(v) for k, v in schema["properties"].items()},
        }
    if "enum" in schema:
        return {"enum": [str(v).lower() if isinstance(v, bool) else v for v in schema["enum"]]}
    return {"type": ["string", "null"]}


def valid(document, schema, xml=False):
    jsonschema.validate(document, as_xml_schema(schema) if xml else schema, format_checker=CHECKER)


@pytest.fixture
def published(coordinator, enterprise_user, zigui_org):
    """One case filed through Open311, one made public by the coordinator, one not public."""
    system, key = system_create(
        name="市民服务平台",
        channel=Case.SourceChannel.PORTAL,
        operations=[ExternalSystem.Operation.OPEN311_POST],
    )
    public = factories.assigned_case(enterprise_user, coordinator, zigui_org)
    case_publish(case=public, by=coordinator)
    factories.case(enterprise_user, title="未公开的诉求")
    return system, key, public


def client(live_server, fmt="json"):
    return GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)


def post(live_server, key, **fields):
    data = {
        "api_key": key,
        "service_code": "municipal_works",
        "description": "园区周边道路未完成配套，影响竣工验收。",
        "address_string": "海曙区望春工业园",
        "attribute[title]": "园区周边市政配套滞后",
        "attribute[credit_code]": factories.valid_credit_code(),
        "attribute[enterprise_name]": "宁波望春新材料有限公司",
        **fields,
    }
    return requests.post(f"{live_server.url}/open311/v2/requests.json", data=data, timeout=10)


def test_services_and_their_definitions_in_json_and_xml(live_server, published):
    services = client(live_server).get_service_list()
    valid(services, SERVICES)
    assert {s["service_code"] for s in services} >= {"municipal_works", "approval"}
    definition = client(live_server).get_service_definition("municipal_works")
    valid(definition, SERVICE_DEFINITION)
    urgency = next(a for a in definition["attributes"] if a["code"] == "urgency")
    assert [v["key"] for v in urgency["values"]] == list(Case.Urgency.values)

    valid(client(live_server, "xml").get_service_list(), SERVICES, xml=True)
    xml_definition = client(live_server, "xml").get_service_definition("municipal_works")
    xml_definition["attributes"] = xml_definition["attributes"]["attribute"]
    for attribute in xml_definition["attributes"]:
        if attribute.get("values"):
            attribute["values"] = attribute["values"]["value"]
    valid(xml_definition, SERVICE_DEFINITION, xml=True)


def test_a_request_filed_through_open311_is_listed_with_the_published_one(
    live_server, published, zigui_org
):
    _, key, public = published
    response = post(live_server, key)
    assert response.status_code == 201, response.text
    answer = response.json()[0]
    case = Case.objects.get(reference=answer["service_request_id"])
    assert case.status == Case.Status.SUBMITTED
    assert case.public_request.origin == PublicRequest.Origin.OPEN311

    listed = client(live_server).get_service_requests()
    valid(listed, REQUESTS)
    assert [r["service_request_id"] for r in listed] == [case.reference, public.reference]
    assigned = listed[1]
    assert assigned["status"] == "open" and assigned["status_notes"] == "实施中"
    assert assigned["agency_responsible"] == zigui_org.name
    assert assigned["expected_datetime"] is not None

    xml_listed = client(live_server, "xml").get_service_requests()
    valid(xml_listed, REQUESTS, xml=True)
    assert [r["service_request_id"] for r in xml_listed] == [case.reference, public.reference]

    one = client(live_server).get_service_request(case.reference)
    valid(one, REQUEST)
    token = requests.get(
        f"{live_server.url}/open311/v2/tokens/{answer['token']}.json", timeout=10
    ).json()
    assert token == [{"service_request_id": case.reference, "token": answer["token"]}]


def test_the_standard_filters(live_server, published, coordinator):
    _, key, public = published
    filed = Case.objects.get(reference=post(live_server, key).json()[0]["service_request_id"])
    geo = client(live_server)
    assert [r["service_request_id"] for r in geo.get_service_requests(status="open")] == [
        filed.reference,
        public.reference,
    ]
    assert geo.get_service_requests(status="closed") == []
    by_code = geo.get_service_requests(service_code="approval")
    assert by_code == []
    only = geo.get_service_requests(service_request_id=public.reference, status="closed")
    assert [r["service_request_id"] for r in only] == [public.reference]
    old = geo.get_service_requests(
        start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00Z"
    )
    assert old == []


@pytest.mark.parametrize(
    "query, words",
    [
        ("status=pending", "status"),
        ("start_date=yesterday", "start_date"),
        ("start_date=2020-01-01T00:00:00Z&end_date=2020-06-01T00:00:00Z", "90"),
    ],
)
def test_bad_filters_answer_in_the_specifications_error_format(
    live_server, published, query, words
):
    response = requests.get(f"{live_server.url}/open311/v2/requests.json?{query}", timeout=10)
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and words in error["description"]
    xml = requests.get(f"{live_server.url}/open311/v2/requests.xml?{query}", timeout=10)
    assert xmltodict.parse(xml.content)["errors"]["error"]["code"] == "400"


def test_a_case_not_made_public_is_not_found(live_server, published):
    hidden = Case.objects.get(title="未公开的诉求")
    response = requests.get(
        f"{live_server.url}/open311/v2/requests/{hidden.reference}.json", timeout=10
    )
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_posting_needs_a_live_key_allowed_to_post(live_server, published):
    _, key, _ = published
    assert post(live_server, "").status_code == 401
    assert post(live_server, "wrong").status_code == 401
    _, reader = system_create(name="只读", channel=Case.SourceChannel.PORTAL, operations=[])
    refused = post(live_server, reader)
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    assert post(live_server, key, service_code="nope").status_code == 400
    assert post(live_server, key, **{"attribute[credit_code]": "123"}).status_code == 400
    system = ExternalSystem.objects.get(name="市民服务平台")
    system_revoke(system=system)
    assert post(live_server, key).status_code == 401
    assert not PublicRequest.objects.filter(origin="open311").exists()


def test_a_resend_with_the_same_external_reference_files_once(live_server, published):
    _, key, _ = published
    fields = {"attribute[external_reference]": "WX-778"}
    first = post(live_server, key, **fields)
    again = post(live_server, key, **fields)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]


def test_the_coordinator_publishes_and_unpublishes_from_the_case_page(
    client, coordinator, enterprise_user
):
    case = factories.case(enterprise_user)
    case_accept(case=case, by=coordinator)
    client.force_login(enterprise_user)
    assert client.post(f"/cases/{case.pk}/open311/", {"public": "1"}).status_code == 403
    client.force_login(coordinator)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "在 Open311 公开" in page
    client.post(f"/cases/{case.pk}/open311/", {"public": "1"})
    assert PublicRequest.objects.get(case=case).origin == "published"
    client.post(f"/cases/{case.pk}/open311/", {"public": "0"})
    assert not PublicRequest.objects.filter(case=case).exists()
