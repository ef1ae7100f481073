"""Excel exports of the case list, the action items and the sessions (pages and API): the
filters on screen, the reader's visibility, headers and dates in the reader's language."""

import io

import pytest
from django.conf import settings
from openpyxl import load_workbook

from cases.models import Case
from tests import factories
from workflow.casefile import services as case_services
from workflow.items.models import ActionItem
from workflow.statistics import list_exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


def _sheet(response):
    data = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(data)).active


@pytest.fixture
def two_enterprises_cases(enterprise_user, other_enterprise_user, coordinator, zigui_org):
    mine = factories.assigned_case(enterprise_user, coordinator, zigui_org, title="本企业的诉求")
    theirs = factories.case(other_enterprise_user, title="别家企业的诉求")
    return mine, theirs


def test_case_export_has_chinese_headers_and_the_visible_cases(
    as_user, coordinator, two_enterprises_cases
):
    rows = _rows(as_user(coordinator).get("/cases/export/", {"tab": "all"}))
    assert rows[0][0] == "诉求事项列表"
    assert rows[1][:6] == ("编号", "标题", "问题类别", "诉求企业", "紧急程度", "状态")
    titles = {row[1] for row in rows[2:]}
    assert titles == {"本企业的诉求", "别家企业的诉求"}
    mine = next(row for row in rows[2:] if row[1] == "本企业的诉求")
    assert mine[2] == "市政配套" and mine[5] == "实施中"  # labels, not codes


def test_case_export_dates_read_as_chinese_dates(as_user, coordinator, two_enterprises_cases):
    sheet = _sheet(as_user(coordinator).get("/cases/export/", {"tab": "all"}))
    submitted = sheet.cell(row=3, column=9)
    assert submitted.is_date
    assert submitted.number_format == 'yyyy"年"m"月"d"日" hh:mm'


def test_an_enterprise_exports_only_its_own_cases(
    as_user, api, enterprise_user, two_enterprises_cases
):
    page_rows = _rows(as_user(enterprise_user).get("/cases/export/", {"tab": "all"}))
    assert [row[1] for row in page_rows[2:]] == ["本企业的诉求"]
    api_rows = _rows(api.as_user(enterprise_user).get("/api/v1/cases/export/"))
    assert [row[1] for row in api_rows[2:]] == ["本企业的诉求"]


def test_case_export_follows_the_tab_and_the_search_on_screen(
    as_user, coordinator, enterprise_user, two_enterprises_cases
):
    factories.case(enterprise_user, title="管线迁改申请")
    new = _rows(as_user(coordinator).get("/cases/export/", {"tab": "new"}))
    assert {row[1] for row in new[2:]} == {"别家企业的诉求", "管线迁改申请"}
    searched = _rows(as_user(coordinator).get("/cases/export/", {"tab": "new", "q": "管线"}))
    assert [row[1] for row in searched[2:]] == ["管线迁改申请"]


def test_case_list_offers_the_export_of_what_it_shows(as_user, coordinator, submitted_case):
    body = as_user(coordinator).get("/cases/", {"tab": "new", "q": "市政"}).content.decode()
    assert 'href="/cases/export/?tab=new&amp;q=%E5%B8%82%E6%94%BF"' in body


def test_case_export_in_english_has_english_headers_and_dates(
    client, coordinator, two_enterprises_cases
):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/cases/export/", {"tab": "all"})
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Cases"
    assert rows[1][:3] == ("Reference", "Title", "Category")
    mine = next(row for row in rows[2:] if row[1] == "本企业的诉求")
    assert mine[2] == "Supporting municipal works" and mine[5] == "Implementing"
    assert sheet.cell(row=3, column=9).number_format == "yyyy-mm-dd hh:mm"


def test_case_api_export_takes_the_lists_filters(api, coordinator, two_enterprises_cases):
    rows = _rows(api.as_user(coordinator).get("/api/v1/cases/export/", {"status": "submitted"}))
    assert [row[1] for row in rows[2:]] == ["别家企业的诉求"]
    refused = api.as_user(coordinator).get("/api/v1/cases/export/", {"status": "nonsense"})
    assert refused.status_code == 400
    assert "status" in refused.json()["error"]["fields"]


def test_exports_need_a_signed_in_user(client, api):
    for address in ("/cases/export/", "/items/export/", "/sessions/export/"):
        assert client.get(address).status_code == 302  # to the sign-in page
    for address in ("/api/v1/cases/export/", "/api/v1/action-items/export/"):
        assert api.get(address).status_code in (401, 403)


def test_a_long_export_stops_at_its_limit_and_says_so(
    as_user, coordinator, two_enterprises_cases, monkeypatch
):
    monkeypatch.setattr(list_exports, "MAX_ROWS", 1)
    rows = _rows(as_user(coordinator).get("/cases/export/", {"tab": "all"}))
    assert len(rows) == 4
    assert rows[3][0].startswith("只导出了前 1 行")


def test_a_department_exports_its_own_items_for_the_tab_on_screen(
    as_user, api, coordinator, enterprise_user, department_officer, zigui_org, zhujian_org
):
    factories.assigned_case(enterprise_user, coordinator, zigui_org, zhujian_org)
    rows = _rows(as_user(department_officer).get("/items/export/", {"tab": "assigned"}))
    assert rows[1][:4] == ("诉求编号", "诉求事项", "任务", "承办单位")
    assert [row[3] for row in rows[2:]] == ["资规局"]
    assert rows[2][5] == "待签收"
    assert _rows(as_user(department_officer).get("/items/export/", {"tab": "open"}))[2:] == []
    everyone = _rows(api.as_user(coordinator).get("/api/v1/action-items/export/"))
    assert sorted(row[3] for row in everyone[2:]) == ["住建局", "资规局"]
    by_owner = _rows(
        api.as_user(coordinator).get("/api/v1/action-items/export/", {"owner": zhujian_org.pk})
    )
    assert [row[3] for row in by_owner[2:]] == ["住建局"]


def test_item_export_dates_and_list_button(
    as_user, coordinator, enterprise_user, department_officer, zigui_org
):
    factories.assigned_case(enterprise_user, coordinator, zigui_org)
    item = ActionItem.objects.get()
    sheet = _sheet(as_user(department_officer).get("/items/export/", {"tab": "assigned"}))
    due = sheet.cell(row=3, column=7)
    assert due.value.date() == item.due_date and due.number_format == 'yyyy"年"m"月"d"日"'
    body = as_user(department_officer).get("/items/", {"tab": "assigned"}).content.decode()
    assert 'href="/items/export/?tab=assigned"' in body


def test_session_export_shows_the_readers_sessions(
    as_user, api, coordinator, enterprise_user, other_enterprise_user
):
    filed = factories.case(enterprise_user)
    case_services.case_accept(case=filed, by=coordinator)
    factories.session(Case.objects.get(pk=filed.pk), coordinator, title="周边市政配套协调会")
    rows = _rows(as_user(coordinator).get("/sessions/export/", {"tab": "open"}))
    assert rows[1][:3] == ("会议名称", "诉求编号", "诉求事项")
    assert [(row[0], row[5]) for row in rows[2:]] == [("周边市政配套协调会", "已安排")]
    assert _rows(as_user(other_enterprise_user).get("/sessions/export/", {"tab": "all"}))[2:] == []
    by_status = api.as_user(coordinator).get("/api/v1/sessions/export/", {"status": "concluded"})
    assert _rows(by_status)[2:] == []
    body = as_user(coordinator).get("/sessions/").content.decode()
    assert 'href="/sessions/export/?tab=open"' in body
