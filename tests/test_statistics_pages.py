"""The leaders' pages, API and Excel exports: who may read what, bad filters, drill-downs, the
register's supervision form and the daily rollup."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from config import timesource
from tests import factories
from workflow.items.models import ActionItem
from workflow.statistics import rollup
from workflow.statistics.models import FigureSnapshot
from workflow.supervision.models import SupervisionNotice

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/statistics/overview/",
    "/api/v1/statistics/rates/",
    "/api/v1/statistics/league/",
    "/api/v1/statistics/league/export/",
    "/api/v1/statistics/supervision/",
    "/api/v1/statistics/supervision/export/",
    "/api/v1/statistics/cases/?measure=open",
    "/api/v1/statistics/items/?measure=received",
]
PAGES = [
    "/statistics/",
    "/statistics/league/",
    "/statistics/supervision/",
    "/statistics/cases/?measure=filed",
    "/statistics/items/?measure=overdue_now",
    "/statistics/league/export/",
    "/statistics/supervision/export/",
]


@pytest.fixture
def office_leader(office):
    return factories.user("office_leader", office, organisation_role="leader")


@pytest.fixture
def overdue_case(enterprise_user, coordinator, zigui_org, zhujian_org):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, zhujian_org)
    ActionItem.objects.filter(case=case).update(
        due_date=timesource.today() - datetime.timedelta(days=3)
    )
    return case


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_gets_401_and_other_roles_403(
    api, url, enterprise_user, department_officer, legal_expert
):
    assert api.get(url).status_code in (401, 403)
    for user in (enterprise_user, department_officer, legal_expert):
        response = api.as_user(user).get(url)
        assert response.status_code == 403, (user, response.content[:200])
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_office_and_department_leader_read_every_endpoint(
    api, url, coordinator, department_leader, overdue_case
):
    assert api.as_user(coordinator).get(url).status_code == 200
    assert api.as_user(department_leader).get(url).status_code == 200


def test_department_leader_sees_only_their_own_row_and_may_not_ask_for_another(
    api, department_leader, zhujian_org, overdue_case
):
    body = api.as_user(department_leader).get("/api/v1/statistics/league/").json()
    assert [row["name"] for row in body["results"]] == ["资规局"]
    other = api.as_user(department_leader).get(
        "/api/v1/statistics/league/", {"department": zhujian_org.pk}
    )
    assert other.status_code == 403
    officers = api.as_user(department_leader).get(
        f"/api/v1/statistics/league/{zhujian_org.pk}/officers/"
    )
    assert officers.status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "decade"}, "period"),
        ({"period": "custom"}, "from"),
        ({"period": "custom", "from": "2026-05-01", "to": "2026-04-01"}, "to"),
        ({"period": "custom", "from": "1 May", "to": "2026-04-01"}, "from"),
        ({"category": "x"}, "category"),
        ({"category": "99999"}, "category"),
        ({"tier": "giant"}, "tier"),
        ({"route": "sideways"}, "route"),
        ({"sort": "nonsense"}, "sort"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(api, coordinator, params, field):
    response = api.as_user(coordinator).get("/api/v1/statistics/league/", params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_bad_filters_on_a_page_show_the_form_with_the_error(as_user, coordinator):
    response = as_user(coordinator).get("/statistics/", {"period": "custom", "from": "2026-05-01"})
    assert response.status_code == 400
    assert "自定义期间需要起止日期。" in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_the_office_and_refuse_others(
    as_user, url, coordinator, department_officer, enterprise_user, overdue_case
):
    assert as_user(coordinator).get(url).status_code == 200
    assert as_user(department_officer).get(url).status_code == 403
    assert as_user(enterprise_user).get(url).status_code == 403


def test_department_leader_is_sent_to_their_league_row_and_sees_it_in_the_menu(
    as_user, department_leader, overdue_case
):
    client = as_user(department_leader)
    assert client.get("/statistics/").url == "/statistics/league/"
    page = client.get("/statistics/league/").content.decode()
    assert "资规局：按经办人" in page and "住建局</strong>" not in page
    assert 'href="/statistics/league/"' in client.get("/").content.decode()
    assert client.get("/statistics/supervision/").status_code == 403


def test_board_shows_rates_as_numerator_and_denominator_with_drill_down_links(
    as_user, coordinator, overdue_case
):
    page = as_user(coordinator).get("/statistics/", {"period": "year"}).content.decode()
    assert 'href="/statistics/items/?period=year&amp;measure=clock_on_time&amp;owner=' in page
    assert "measure=accept_due" in page and "measure=accepted_on_time" in page
    assert 'href="/statistics/"' in as_user(coordinator).get("/").content.decode()


def test_drill_down_lists_the_items_behind_a_league_figure(
    as_user, coordinator, zigui_org, overdue_case
):
    page = as_user(coordinator).get(
        "/statistics/items/", {"measure": "overdue_now", "owner": zigui_org.pk}
    )
    body = page.content.decode()
    assert page.status_code == 200
    zigui_item = ActionItem.objects.get(case=overdue_case, owner=zigui_org)
    assert re.findall(r'href="/items/(\d+)/"', body) == [str(zigui_item.pk)]
    assert as_user(coordinator).get("/statistics/items/", {"measure": "x"}).status_code == 404


def _workbook(response):
    data = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(data), read_only=True).active


def test_league_export_has_chinese_headers_and_the_filters_on_screen(
    as_user, coordinator, zigui_org, overdue_case
):
    response = as_user(coordinator).get(
        "/statistics/league/export/", {"period": "year", "department": zigui_org.pk}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = list(_workbook(response).iter_rows(values_only=True))
    assert rows[0][0] == "部门考核排名"
    assert rows[1][0].startswith("本年度：") and "单位：资规局" in rows[1][0]
    assert rows[2][:5] == ("单位", "收到任务", "逾期签收", "按时办结", "当前超期")
    assert [row[0] for row in rows[3:]] == ["资规局"]
    assert rows[3][4] == 1  # overdue now


def test_register_export_and_issuing_a_notice_from_the_register(
    as_user, api, coordinator, overdue_case
):
    client = as_user(coordinator)
    page = client.get("/statistics/supervision/").content.decode()
    assert page.count("发出督办通知") == 2
    item = ActionItem.objects.filter(case=overdue_case).order_by("id").first()
    response = client.post(
        f"/statistics/supervision/items/{item.pk}/", {"text": "请三日内答复", "next": "period=year"}
    )
    assert response.status_code == 302 and response.url.endswith("?period=year")
    notice = SupervisionNotice.objects.get(action_item=item)
    assert notice.issued_by == coordinator
    page = client.get("/statistics/supervision/").content.decode()
    assert page.count("发出督办通知") == 1 and "待答复" in page

    rows = list(
        _workbook(client.get("/statistics/supervision/export/")).iter_rows(values_only=True)
    )
    assert rows[2][:4] == ("诉求编号", "诉求事项", "任务", "被督办单位")
    assert rows[3][2] == item.title and rows[3][7] == "待答复"
    assert isinstance(rows[3][6], datetime.datetime)  # a date cell, shown as 年月日

    body = api.as_user(coordinator).get("/api/v1/statistics/supervision/", {"state": "open"})
    assert [row["id"] for row in body.json()["results"]] == [notice.pk]
    assert (
        api.as_user(coordinator)
        .get("/api/v1/statistics/supervision/", {"state": "late"})
        .json()["results"]
        == []
    )


def test_register_issue_refuses_an_item_not_overdue(
    as_user, coordinator, enterprise_user, zigui_org
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org)
    item = ActionItem.objects.get(case=case)
    response = as_user(coordinator).post(
        f"/statistics/supervision/items/{item.pk}/", {"text": "催办"}
    )
    assert response.status_code == 302
    assert not SupervisionNotice.objects.exists()


def test_the_daily_rollup_serves_unfiltered_periods_and_filters_stay_live(
    api, coordinator, zigui_org, overdue_case
):
    assert rollup.refresh()  # computed: four periods, three views each, and last week's report
    assert FigureSnapshot.objects.count() == 13
    assert rollup.refresh() == {}  # today's exist: nothing to do
    FigureSnapshot.objects.filter(key__startswith="league?period=year").update(
        figures={"period": ["2000-01-01", "2000-12-31"], "data": []}
    )
    body = api.as_user(coordinator).get("/api/v1/statistics/league/", {"period": "year"}).json()
    assert body["results"]  # a snapshot for another period is not used
    rollup.refresh(force=True)
    body = api.as_user(coordinator).get("/api/v1/statistics/league/", {"period": "year"}).json()
    assert body["computed_at"] is not None
    filtered = (
        api.as_user(coordinator)
        .get("/api/v1/statistics/league/", {"period": "year", "department": zigui_org.pk})
        .json()
    )
    assert filtered["computed_at"] is None


@pytest.mark.parametrize("url", ["/api/v1/statistics/supervision/", "/statistics/supervision/"])
def test_register_reads_a_fixed_number_of_queries(
    client, api, url, coordinator, enterprise_user, zigui_org
):
    def queries():
        if url.startswith("/api/"):
            call = lambda: api.as_user(coordinator).get(url)  # noqa: E731
        else:
            client.force_login(coordinator)
            call = lambda: client.get(url)  # noqa: E731
        call()
        with CaptureQueriesContext(connection) as captured:
            assert call().status_code == 200
        return len(captured)

    def supervised_case():
        case = factories.assigned_case(enterprise_user, coordinator, zigui_org)
        item = ActionItem.objects.get(case=case)
        ActionItem.objects.filter(pk=item.pk).update(
            due_date=timesource.today() - datetime.timedelta(days=2)
        )
        item.refresh_from_db()
        from workflow.supervision.services import supervision_issue

        supervision_issue(item=item, by=coordinator, text="请加快")

    supervised_case()
    one = queries()
    for _ in range(4):
        supervised_case()
    assert queries() == one
