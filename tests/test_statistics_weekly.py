"""The weekly report (周报) against a hand-built week whose answers are known: cases filed and
accepted, overdue items by organisation, supervision issued and answered, sessions held, the
三率; the printable page, its Excel workbook and the API."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Case
from config import timesource
from tests import factories
from workflow.casefile import services as case_services
from workflow.items import services as item_services
from workflow.items.models import ActionItem
from workflow.record.models import Event
from workflow.sessions import services as session_services
from workflow.sessions.models import JointSession
from workflow.statistics import weekly
from workflow.statistics.definitions import rate
from workflow.supervision import services as supervision_services
from workflow.supervision.models import SupervisionNotice

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return weekly.last_complete_week() + datetime.timedelta(days=offset)


def at(offset: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(offset), datetime.time(hour)))


@pytest.fixture
def week(enterprise_user, coordinator, zigui_org, department_officer):
    """Last week: one case filed and accepted on Tuesday; three items of 资规局: one due on
    Wednesday still open, one due on Thursday done on Wednesday, one due the week before and
    done only this week; a notice issued on Friday answered late on Saturday; a session held
    (adjourned) on Tuesday and one cancelled on Thursday."""
    filed = factories.assigned_case(enterprise_user, coordinator, zigui_org, zigui_org, zigui_org)
    Case.objects.filter(pk=filed.pk).update(submitted_at=at(1, 9))
    # Accepted last Tuesday: the record is append-only (on PostgreSQL a trigger refuses any
    # UPDATE), so the past is written as a row of its own, not by moving today's.
    Event.objects.create(case=filed, kind="accept", to_state="accepted", created_at=at(1, 11))
    factories.case(enterprise_user)  # filed this week: not in last week's report

    open_late, done_on_time, done_after = ActionItem.objects.filter(case=filed).order_by("id")
    for item in (done_on_time, done_after):
        item_services.action_item_sign(item=item, by=department_officer)
        item_services.action_item_complete(item=item, by=department_officer, note="已办结")
    ActionItem.objects.filter(pk=open_late.pk).update(due_date=day(2))
    ActionItem.objects.filter(pk=done_on_time.pk).update(due_date=day(3), completed_at=at(2))
    ActionItem.objects.filter(pk=done_after.pk).update(due_date=day(-3))

    notice = supervision_services.supervision_issue(
        item=ActionItem.objects.get(pk=open_late.pk), by=coordinator, text="请加快办理"
    )
    supervision_services.supervision_answer(notice=notice, by=department_officer, answer="正在办理")
    SupervisionNotice.objects.filter(pk=notice.pk).update(
        created_at=at(4), answer_due=day(4), answered_at=at(5)
    )

    convened = factories.case(enterprise_user)
    case_services.case_accept(case=convened, by=coordinator)
    held = factories.session(convened, coordinator)
    JointSession.objects.filter(pk=held.pk).update(
        status="adjourned", started_at=at(1, 14), ended_at=at(1, 16)
    )
    other = factories.case(enterprise_user)
    case_services.case_accept(case=other, by=coordinator)
    cancelled = factories.session(other, coordinator)
    session_services.session_cancel(session=cancelled, by=coordinator, reason="改期")
    JointSession.objects.filter(pk=cancelled.pk).update(ended_at=at(3))
    return {"org": zigui_org}


def report_of_last_week(user):
    return weekly.report(weekly.filters_for({}, user))


def test_the_weeks_figures(week, coordinator):
    data = report_of_last_week(coordinator)
    assert data["start"] == day(0).isoformat() and data["end"] == day(6).isoformat()
    assert data["flow"] == {
        "filed": 1,
        "accepted": 1,
        "resolved": 0,
        "closed": 0,
        "rejected": 0,
        "withdrawn": 0,
    }
    [row] = data["overdue_by_department"]
    assert row["name"] == week["org"].name
    assert (row["due"], row["late"], row["overdue_at_end"]) == (2, 1, 2)
    assert data["supervision"] == {"issued": 1, "answered": 1, "answered_late": 1}
    assert data["sessions"] == {"held": 1, "concluded": 0, "adjourned": 1, "cancelled": 1}
    # Completed on Wednesday by Thursday's date; open past Wednesday's: one of two on time.
    assert data["rates"]["on_time"] == rate(1, 2)


def test_a_week_is_chosen_by_iso_week_and_a_future_one_is_refused(coordinator):
    monday = weekly.week_start("2026-W10")
    assert monday == datetime.date(2026, 3, 2)
    assert weekly.iso_week(monday) == "2026-W10"
    for bad in ("2026-10", "2026-W60", "nope"):
        with pytest.raises(Exception) as refused:
            weekly.week_start(bad)
        assert "week" in refused.value.message_dict
    future = timesource.today() + datetime.timedelta(days=14)
    with pytest.raises(Exception) as refused:
        weekly.week_start(weekly.iso_week(future))
    assert "week" in refused.value.message_dict


def test_printable_page_and_its_workbook(as_user, coordinator, week):
    client = as_user(coordinator)
    page = client.get("/statistics/weekly/")
    assert page.status_code == 200
    html = page.content.decode()
    assert weekly.iso_week(day(0)) in html and "data-print" in html
    assert 'data-rate="on_time"' in html
    assert client.get("/statistics/weekly/?week=2026-W99").status_code == 400
    export = client.get("/statistics/weekly/export/", {"week": weekly.iso_week(day(0))})
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert book.sheetnames == ["周报", "超期任务"]
    summary = list(book["周报"].iter_rows(values_only=True))
    assert summary[0][0].startswith("审联体周报")
    assert ("提交诉求", 1) in [row[:2] for row in summary]
    assert ("按时办结率", 1, 2, 50.0) in [row[:4] for row in summary]
    assert isinstance(summary[2][1], datetime.datetime)  # a date cell, shown as 年月日
    overdue = list(book["超期任务"].iter_rows(values_only=True))
    assert overdue[1] == ("单位", "本周到期", "其中逾期", "周末仍超期")
    assert overdue[2] == (week["org"].name, 2, 1, 2)


def test_api_and_who_may_read(api, coordinator, department_leader, enterprise_user, week):
    body = api.as_user(coordinator).get("/api/v1/statistics/weekly/").json()
    assert body["supervision"]["issued"] == 1 and body["week"] == weekly.iso_week(day(0))
    bad = api.as_user(coordinator).get("/api/v1/statistics/weekly/", {"week": "x"})
    assert bad.status_code == 400 and "week" in bad.json()["error"]["fields"]
    export = api.as_user(coordinator).get("/api/v1/statistics/weekly/export/")
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    for person in (department_leader, enterprise_user):
        assert api.as_user(person).get("/api/v1/statistics/weekly/").status_code == 403
    api.force_authenticate(user=None)
    assert api.get("/api/v1/statistics/weekly/export/").status_code == 401


def test_last_weeks_report_is_kept_by_the_daily_rollup(api, coordinator, zigui_org, week):
    from workflow.statistics import rollup

    rollup.refresh(force=True)
    served = api.as_user(coordinator).get("/api/v1/statistics/weekly/").json()
    assert served["computed_at"] is not None and served["supervision"]["issued"] == 1
    live = (
        api.as_user(coordinator)
        .get("/api/v1/statistics/weekly/", {"department": zigui_org.pk})
        .json()
    )
    assert live["computed_at"] is None and live["supervision"]["issued"] == 1
