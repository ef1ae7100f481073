"""External systems file cases with an API key: by credit code, once per external reference."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from rest_framework.test import APIClient

from cases.models import Case
from departments.models import Organisation
from tests import factories
from workflow.interchange.models import ExternalCase, ExternalSystem
from workflow.interchange.services import system_create, system_revoke, system_rotate_key
from workflow.statistics import filters as statistics_filters
from workflow.statistics import selectors as statistics_selectors

pytestmark = pytest.mark.django_db

URL = "/api/v1/interchange/cases/"


@pytest.fixture
def hotline(db):
    return system_create(
        name="12345热线平台",
        channel=Case.SourceChannel.HOTLINE_12345,
        operations=[ExternalSystem.Operation.FILE_CASE, ExternalSystem.Operation.READ_CASE],
    )


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"ApiKey {key}")
    return client


def order(**fields) -> dict:
    return {
        "external_reference": "GD-2026-0001",
        "credit_code": factories.valid_credit_code(),
        "enterprise_name": "宁波甬新精密制造有限公司",
        "title": "厂区外自来水主管迁改",
        "description": "市政道路拓宽，需迁改厂区外的自来水主管。",
        "category": "utility_relocation",
        **fields,
    }


def test_an_unknown_enterprise_is_registered_unverified_and_the_case_submitted(hotline):
    system, key = hotline
    body = order()
    response = client_with(key).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert case.status == Case.Status.SUBMITTED
    assert case.source_channel == Case.SourceChannel.HOTLINE_12345
    assert case.filed_by == system.user
    assert case.enterprise.credit_code == body["credit_code"]
    assert case.enterprise.is_verified is False
    assert case.enterprise.kind == Organisation.Kind.ENTERPRISE
    assert response.json()["external_reference"] == "GD-2026-0001"
    assert response.json()["open311_status"] == "open"


def test_a_known_enterprise_files_under_its_own_record(hotline, enterprise_user):
    _, key = hotline
    code = enterprise_user.organisation.credit_code or factories.valid_credit_code()
    Organisation.objects.filter(pk=enterprise_user.organisation_id).update(credit_code=code)
    response = client_with(key).post(URL, order(credit_code=code), format="json")
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.enterprise_id == enterprise_user.organisation_id
    # The enterprise's own staff see and follow it like a case they filed.
    assert Case.objects.visible_to(enterprise_user).filter(pk=case.pk).exists()


def test_a_resend_with_the_same_reference_returns_the_case_filed_then(hotline):
    _, key = hotline
    body = order()
    first = client_with(key).post(URL, body, format="json")
    again = client_with(key).post(URL, {**body, "title": "重发"}, format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1
    assert Case.objects.get().title == "厂区外自来水主管迁改"


def test_the_reference_is_unique_per_system_in_the_database(hotline, enterprise_user):
    """What makes two simultaneous copies of one order file one case."""
    system, _ = hotline
    first = factories.case(enterprise_user)
    second = factories.case(enterprise_user)
    ExternalCase.objects.create(system=system, external_reference="R1", case=first)
    with pytest.raises(IntegrityError):
        ExternalCase.objects.create(system=system, external_reference="R1", case=second)


@pytest.mark.parametrize(
    "code, message",
    [
        ("91330200MA2AXXXXX", "18"),
        ("91330200MA2AXXXXXO", "不允许"),
        ("913302000000000010", "校验位"),
        ("", "统一社会信用代码"),
    ],
)
def test_an_invalid_credit_code_is_refused_and_nothing_is_written(hotline, code, message):
    _, key = hotline
    organisations = Organisation.objects.count()
    response = client_with(key).post(URL, order(credit_code=code), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["error"]["fields"]["credit_code"])
    assert Case.objects.count() == 0 and Organisation.objects.count() == organisations


def test_a_credit_code_of_a_department_is_refused(hotline, zigui_org):
    _, key = hotline
    code = factories.valid_credit_code()
    Organisation.objects.filter(pk=zigui_org.pk).update(credit_code=code)
    response = client_with(key).post(URL, order(credit_code=code), format="json")
    assert response.status_code == 400
    assert "credit_code" in response.json()["error"]["fields"]


def test_a_revoked_key_files_nothing_and_a_rotated_one_does(hotline):
    system, key = hotline
    system_revoke(system=system)
    response = client_with(key).post(URL, order(), format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "key_revoked"
    new_key = system_rotate_key(system=system)
    assert client_with(key).post(URL, order(), format="json").status_code == 401
    assert client_with(new_key).post(URL, order(), format="json").status_code == 201


def test_an_unknown_key_is_refused(db):
    response = client_with("not-a-key").post(URL, order(), format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "key_invalid"


def test_a_system_may_only_do_what_it_was_allowed(db):
    _, key = system_create(
        name="走访记录系统", channel=Case.SourceChannel.VISIT, operations=["read_case"]
    )
    response = client_with(key).post(URL, order(), format="json")
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_a_system_for_one_enterprise_files_only_for_it(enterprise_org):
    code = factories.valid_credit_code()
    Organisation.objects.filter(pk=enterprise_org.pk).update(credit_code=code)
    enterprise_org.refresh_from_db()
    _, key = system_create(
        name="企业服务专员",
        channel=Case.SourceChannel.VISIT,
        operations=["file_case"],
        organisation=enterprise_org,
    )
    other = client_with(key).post(URL, order(credit_code=factories.valid_credit_code()))
    assert other.status_code == 400
    own = client_with(key).post(URL, order(credit_code=""), format="json")
    assert own.status_code == 201
    assert Case.objects.get().enterprise == enterprise_org


def test_a_system_reads_back_only_its_own_cases(hotline):
    _, key = hotline
    client_with(key).post(URL, order(), format="json")
    assert client_with(key).get(URL + "GD-2026-0001/").json()["status"] == "submitted"
    _, other_key = system_create(
        name="营商环境门户", channel=Case.SourceChannel.PORTAL, operations=["read_case"]
    )
    assert client_with(other_key).get(URL + "GD-2026-0001/").status_code == 404


def test_the_case_list_filters_by_source_channel(hotline, coordinator, enterprise_user, client):
    _, key = hotline
    filed = client_with(key).post(URL, order(), format="json").json()
    own = factories.case(enterprise_user)
    api = APIClient()
    api.force_authenticate(coordinator)
    listed = api.get("/api/v1/cases/?source_channel=hotline_12345").json()["results"]
    assert [row["id"] for row in listed] == [filed["id"]]
    client.force_login(coordinator)
    page = client.get("/cases/?tab=all&channel=own_form").content.decode()
    assert own.reference in page and filed["reference"] not in page
    detail = client.get(f"/cases/{filed['id']}/").content.decode()
    assert "12345 热线" in detail and "GD-2026-0001" in detail


def test_the_statistics_filter_by_source_channel(hotline, enterprise_user):
    _, key = hotline
    filed = client_with(key).post(URL, order(), format="json").json()
    own = factories.case(enterprise_user)
    hotline_only = statistics_filters.parse({"channel": "hotline_12345"})
    assert [c.pk for c in statistics_selectors.cases(hotline_only)] == [filed["id"]]
    own_only = statistics_filters.parse({"channel": "own_form"})
    assert [c.pk for c in statistics_selectors.cases(own_only)] == [own.pk]
    with pytest.raises(ValidationError) as refused:
        statistics_filters.parse({"channel": "fax"})
    assert "channel" in refused.value.message_dict


def test_the_administrator_creates_a_system_and_sees_its_key_once(admin_client):
    response = admin_client.post(
        "/admin/workflow/externalsystem/add/",
        {
            "name": "12345热线平台",
            "channel": "hotline_12345",
            "operations": ["file_case"],
            "callback_url": "https://hotline.example.org/hook",
            "subscription": "own",
        },
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    key = next(m for m in shown if m.startswith("API 密钥")).split("：")[-1]
    system = ExternalSystem.objects.get(name="12345热线平台")
    assert system.key_digest == ExternalSystem.digest_of(key) and key not in system.key_digest
    assert any(system.signing_secret in m for m in shown)
    assert client_with(key).post(URL, order(), format="json").status_code == 201
    listing = admin_client.get("/admin/workflow/externalsystem/").content.decode()
    assert key not in listing
    revoke = admin_client.post(
        "/admin/workflow/externalsystem/",
        {"action": "revoke", "_selected_action": [system.pk]},
    )
    assert revoke.status_code == 302
    assert client_with(key).post(URL, order(), format="json").status_code == 401


def test_own_form_is_not_a_channel_for_a_system(admin_client):
    page = admin_client.get("/admin/workflow/externalsystem/add/").content.decode()
    assert 'value="hotline_12345"' in page and 'value="own_form"' not in page


def test_the_case_page_names_the_channel_in_english(hotline, coordinator, client):
    _, key = hotline
    filed = client_with(key).post(URL, order(), format="json").json()
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    page = client.get(f"/cases/{filed['id']}/").content.decode()
    assert "Source channel" in page and "12345 hotline" in page and "Publish on Open311" in page
    listing = client.get("/cases/?tab=all").content.decode()
    assert "All source channels" in listing
