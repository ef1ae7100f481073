"""Input an outsider can send answers a 4xx in the one error shape, never a 500 or an HTML page:
bodies nested too deep, numbers too large for an id, NUL bytes, bodies over the size limit,
broken multipart bodies, addresses that match nothing and OPTIONS on an HTML-capable view."""

import json

import pytest
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from rest_framework.views import APIView

from cases.models import Case
from config.api import errors, parsers
from tests import factories
from workflow.casefile.services import case_accept

DEEP_LIST = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a": ' * 1000 + "1" + "}" * 1000


@pytest.fixture
def client():
    """A client that turns an unhandled exception into the 500 an outsider would see."""
    return APIClient(raise_request_exception=False)


def assert_error_shape(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = response.json()["error"]
    assert error["code"] and error["message"]
    return error


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT])
def test_a_deeply_nested_body_to_the_token_endpoint_is_a_400(client, db, body):
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    error = assert_error_shape(response, 400)
    assert error["code"] == "too_deep"


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT])
def test_a_deeply_nested_body_is_a_400_and_files_nothing(client, enterprise_user, body):
    client.force_authenticate(enterprise_user)
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert_error_shape(response, 400)
    assert not Case.objects.exists()


def test_nesting_up_to_the_limit_is_parsed_and_one_more_level_is_refused():
    parse = parsers.JSONParser().parse
    limit = parsers.MAX_JSON_DEPTH
    within = "[" * limit + "]" * limit
    assert parse(_stream(within))
    with pytest.raises(parsers.TooDeep):
        parse(_stream("[" + within + "]"))
    # Brackets inside strings are text, not nesting.
    assert parse(_stream(json.dumps({"title": "[" * 5000})))["title"] == "[" * 5000


def _stream(text):
    import io

    return io.BytesIO(text.encode())


def _operations_with_a_body():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                yield method, path


@pytest.mark.parametrize("method,path", sorted(_operations_with_a_body()))
def test_every_json_endpoint_refuses_a_deep_body_without_a_server_error(
    client, coordinator, submitted_case, method, path
):
    client.force_authenticate(coordinator)
    address = path.replace("{id}", str(submitted_case.pk))
    address = address.replace("{participant_id}", "1").replace("{rule_id}", "1")
    address = address.replace("{attachment_id}", "1")
    response = getattr(client, method)(address, DEEP_LIST, content_type="application/json")
    assert response.status_code in (400, 404, 409, 415), (method, path, response.status_code)
    assert response.json()["error"]["code"]


def _api_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "cls", None)
            if view is not None and issubclass(view, APIView):
                yield prefix + str(entry.pattern), view


def test_every_api_view_reads_bodies_with_the_projects_parsers():
    """DRF's own parsers have no depth limit and answer errors outside the error shape; a view
    that names its parser classes (DRF's token view does) must name the project's."""
    ours = (parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser)
    for route, view in _api_views():
        for parser in view.parser_classes:
            assert issubclass(parser, ours), (route, view, parser)


@pytest.mark.parametrize("number", ["1e400", "-1e400"])
def test_an_overflowing_category_id_is_a_400_naming_the_field(client, enterprise_user, number):
    client.force_authenticate(enterprise_user)
    body = '{"title": "管线迁改", "description": "地块内", "category": ' + number + "}"
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    error = assert_error_shape(response, 400)
    assert "category" in error["fields"]
    assert not Case.objects.exists()


def test_an_overflowing_organisation_in_an_assignment_is_a_400_naming_the_field(
    client, coordinator, submitted_case
):
    Case.objects.filter(pk=submitted_case.pk).update(status="accepted")
    client.force_authenticate(coordinator)
    body = (
        '{"name": "assign", "assignments": '
        '[{"organisation": 1e400, "title": "x", "due_date": "2030-01-01"}]}'
    )
    response = client.post(
        f"/api/v1/cases/{submitted_case.pk}/transitions/", body, content_type="application/json"
    )
    error = assert_error_shape(response, 400)
    assert any(name.startswith("assignments") for name in error["fields"]), error


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_outside_the_standard_are_a_parse_error(client, enterprise_user, constant):
    client.force_authenticate(enterprise_user)
    body = '{"title": "x", "description": "y", "category": ' + constant + "}"
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert_error_shape(response, 400)


def test_options_on_the_minutes_answers_json_even_when_html_is_asked_for(
    client, coordinator, submitted_case
):
    session = factories.session(case_accept(case=submitted_case, by=coordinator), coordinator)
    client.force_authenticate(coordinator)
    response = client.options(f"/api/v1/sessions/{session.pk}/minutes/?format=html")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"]


def test_an_error_on_the_printable_minutes_is_in_the_error_shape(client, other_enterprise_user):
    client.force_authenticate(other_enterprise_user)
    response = client.get("/api/v1/sessions/999999/minutes/?format=html")
    assert_error_shape(response, 404)


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/cases/abc/",
        "/api/v1/cases/1.5/transitions/",
        "/api/v1/sessions/-1/",
        "/api/v1/nothing-here/",
        "/api/v1/",
    ],
)
def test_an_api_address_that_matches_nothing_is_a_json_404(client, coordinator, address):
    client.force_authenticate(coordinator)
    assert_error_shape(client.get(address), 404)


def test_a_page_address_that_matches_nothing_is_still_the_sites_page(as_user, coordinator):
    response = as_user(coordinator).get("/cases/abc/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_body_over_the_size_limit_is_a_413_in_the_error_shape(
    client, settings, enterprise_user, category
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_authenticate(enterprise_user)
    body = json.dumps({"title": "x", "description": "长" * 2048, "category": category.pk})
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert_error_shape(response, 413)
    assert not Case.objects.exists()


def test_a_form_body_over_the_size_limit_is_a_413_in_the_error_shape(
    client, settings, enterprise_user, category
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_authenticate(enterprise_user)
    response = client.post(
        "/api/v1/cases/",
        {"title": "x", "description": "长" * 2048, "category": category.pk},
        format="multipart",
    )
    assert_error_shape(response, 413)


def test_too_many_form_fields_are_a_400_in_the_error_shape(client, settings, enterprise_user):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_authenticate(enterprise_user)
    body = "&".join(f"f{i}=x" for i in range(50))
    response = client.post("/api/v1/cases/", body, content_type="application/x-www-form-urlencoded")
    assert_error_shape(response, 400)


@pytest.mark.parametrize(
    "body,content_type",
    [
        (b"garbage", "multipart/form-data"),
        (b"--xx\r\nbroken", "multipart/form-data; boundary=xx"),
        (b"garbage", "multipart/form-data; boundary=" + "x" * 100),
    ],
)
def test_a_malformed_multipart_body_is_a_400_in_the_error_shape(
    client, enterprise_user, submitted_case, body, content_type
):
    client.force_authenticate(enterprise_user)
    response = client.generic(
        "POST", f"/api/v1/cases/{submitted_case.pk}/attachments/", body, content_type=content_type
    )
    error = assert_error_shape(response, 400)
    assert "Multipart" not in error["message"]  # the project's words, in the user's language


def test_a_good_upload_still_works(client, enterprise_user, submitted_case):
    client.force_authenticate(enterprise_user)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client.post(
        f"/api/v1/cases/{submitted_case.pk}/attachments/",
        {"file": SimpleUploadedFile("红线图.pdf", pdf)},
        format="multipart",
    )
    assert response.status_code == 201, response.content


def test_a_parse_error_speaks_the_projects_words(client, enterprise_user):
    client.force_authenticate(enterprise_user)
    response = client.post("/api/v1/cases/", '{"title": ', content_type="application/json")
    error = assert_error_shape(response, 400)
    assert error["code"] == "parse_error"
    assert "JSON parse error" not in error["message"]


@pytest.mark.parametrize("query", ["q=%00", "q=%E7%AE%A1%00%E7%BA%BF", "tab=%00", "page=%00"])
def test_a_nul_byte_in_the_case_list_search_is_refused_clearly(
    as_user, coordinator, submitted_case, query
):
    response = as_user(coordinator).get(f"/cases/?{query}")
    assert response.status_code in (200, 400)
    if query.startswith("q="):
        assert response.status_code == 400
        assert "搜索词不能包含空字符" in response.content.decode()


def test_a_nul_byte_in_the_api_search_is_a_400_naming_it(client, coordinator):
    client.force_authenticate(coordinator)
    error = assert_error_shape(client.get("/api/v1/cases/?q=%00"), 400)
    assert "q" in error["fields"]


@pytest.mark.parametrize("number", ["99999999999999999999999", "1e400"])
def test_a_page_number_too_large_for_the_database_is_an_empty_page_not_a_500(
    as_user, coordinator, submitted_case, number
):
    response = as_user(coordinator).get(f"/cases/?page={number}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "handler,api_status,page_status",
    [
        (lambda request: errors.bad_request(request, SuspiciousOperation()), 400, 400),
        (lambda request: errors.bad_request(request, RequestDataTooBig()), 413, 400),
        (lambda request: errors.permission_denied(request, PermissionDenied()), 403, 403),
        (lambda request: errors.page_not_found(request, Http404()), 404, 404),
        (errors.server_error, 500, 500),
    ],
)
def test_djangos_error_handlers_answer_in_the_error_shape_under_api(
    rf, db, handler, api_status, page_status
):
    api = handler(rf.get("/api/v1/cases/"))
    assert api.status_code == api_status
    assert json.loads(api.content)["error"]["code"]
    page = handler(rf.get("/cases/"))
    assert page.status_code == page_status
    assert page["Content-Type"].startswith("text/html")
