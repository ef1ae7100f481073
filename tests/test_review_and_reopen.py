"""The direct route's guards added for a day's work: due dates on future working days, the
office's review before the enterprise is asked (待审核, 退回重办), 不满意 that reopens the case
with a reason, a clock and a notice, the blocked item's notice, the 交办 rows in words, the
item tabs and the extension that is offered only when it could be granted."""

from datetime import date as D

import pytest

from cases.models import Case
from tests import factories
from workflow.casefile import services as case_services
from workflow.deadlines.models import Clock
from workflow.extensions import services as extensions
from workflow.items import services as items
from workflow.items.models import ActionItem
from workflow.record.models import Event

pytestmark = pytest.mark.django_db

TUESDAY = D(2026, 12, 1)
FRIDAY = D(2026, 12, 4)
SATURDAY = D(2026, 12, 5)
NEXT_WEEK = D(2026, 12, 8)


@pytest.fixture
def today(settings, monkeypatch):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    settings.SHENLIANTI_TODAY = TUESDAY.isoformat()
    return TUESDAY


@pytest.fixture
def accepted(today, submitted_case, coordinator):
    return case_services.case_accept(case=submitted_case, by=coordinator)


def assign_body(*rows):
    return {
        "name": "assign",
        "assignments": [
            {"organisation": org.pk, "title": title, "due_date": due.isoformat()}
            for org, title, due in rows
        ],
    }


def fire(api, user, case, body):
    return api.as_user(user).post(f"/api/v1/cases/{case.pk}/transitions/", body, format="json")


def under_review(case, coordinator, *work):
    """Assign `case` to each (organisation, officer) of `work`; each officer signs and
    completes, through the services, so the case waits for the office's review."""
    case = items.case_assign(
        case=case,
        by=coordinator,
        assignments=[
            {"organisation": org, "title": f"任务{n}", "due_date": FRIDAY, "deliverable": "批复"}
            for n, (org, _officer) in enumerate(work)
        ],
    )
    for org, officer in work:
        item = items.action_item_sign(item=case.action_items.get(owner=org), by=officer)
        items.action_item_complete(item=item, by=officer, note="已办结")
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW
    return case


# Due dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "due,words",
    [
        (D(2026, 11, 30), "今天以后"),
        (TUESDAY, "今天以后"),
        (SATURDAY, "不是工作日"),
        (D(2026, 10, 1), "今天以后"),
    ],
)
def test_assign_refuses_a_due_date_that_is_not_a_future_working_day(
    api, accepted, coordinator, zigui_org, due, words
):
    response = fire(api, coordinator, accepted, assign_body((zigui_org, "规划审批", due)))

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert words in fields["assignments.0.due_date"][0]
    accepted.refresh_from_db()
    assert accepted.status == Case.Status.ACCEPTED
    assert not accepted.action_items.exists()


def test_assign_names_every_bad_row_at_once_and_in_english(
    api, settings, accepted, coordinator, zigui_org, zhujian_org
):
    body = assign_body(
        (zigui_org, "规划审批", FRIDAY),
        (zhujian_org, "施工许可", SATURDAY),
        (zigui_org, "用地预审", D(2026, 11, 2)),
    )
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = fire(api, coordinator, accepted, body)

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"assignments.1.due_date", "assignments.2.due_date"}
    assert "not a working day" in fields["assignments.1.due_date"][0]
    assert "after today" in fields["assignments.2.due_date"][0]


def test_assign_on_a_future_working_day_opens_the_items(api, accepted, coordinator, zigui_org):
    response = fire(api, coordinator, accepted, assign_body((zigui_org, "规划审批", FRIDAY)))

    assert response.status_code == 200, response.json()
    assert accepted.action_items.get().due_date == FRIDAY


def test_an_extension_to_a_weekend_is_refused(accepted, coordinator, department_officer, zigui_org):
    case = items.case_assign(
        case=accepted,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": FRIDAY}],
    )
    item = case.action_items.get()
    with pytest.raises(Exception) as refused:
        extensions.extension_request(
            item=item, by=department_officer, due_date=SATURDAY, reason="图纸未到"
        )
    assert "due_date" in refused.value.message_dict
    assert not item.extensions.exists()


# Review before resolution ---------------------------------------------------------------------


def test_the_office_asks_the_enterprise_after_review(
    api, accepted, coordinator, department_officer, zigui_org, enterprise_user
):
    case = under_review(accepted, coordinator, (zigui_org, department_officer))
    assert Clock.objects.open().filter(case=case, kind="review").exists()

    response = fire(api, coordinator, case, {"name": "resolve"})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "resolved"
    assert enterprise_user.notifications.filter(kind="confirmation_requested").count() == 1
    assert not Clock.objects.open().filter(case=case, kind="review").exists()
    assert Clock.objects.open().filter(case=case, kind="confirm").exists()


def send_back_body(case, **fields):
    return {
        "name": "send_back",
        "items": [case.action_items.first().pk],
        "reason": "佐证材料缺少盖章批文",
        "due_date": NEXT_WEEK.isoformat(),
        **fields,
    }


def test_sending_items_back_reopens_them_with_reason_due_date_clock_and_notice(
    api, accepted, coordinator, department_officer, other_department_officer, zigui_org,
    zhujian_org,
):  # fmt: skip
    case = under_review(
        accepted,
        coordinator,
        (zigui_org, department_officer),
        (zhujian_org, other_department_officer),
    )
    zigui_item = case.action_items.get(owner=zigui_org)

    response = fire(api, coordinator, case, send_back_body(case, items=[zigui_item.pk]))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "implementing"
    zigui_item.refresh_from_db()
    assert zigui_item.status == ActionItem.Status.IN_PROGRESS
    assert zigui_item.status_reason == "佐证材料缺少盖章批文"
    assert zigui_item.due_date == NEXT_WEEK
    assert zigui_item.completed_at is None
    assert case.action_items.get(owner=zhujian_org).status == ActionItem.Status.DONE
    assert Clock.objects.open().filter(action_item=zigui_item, due=NEXT_WEEK).exists()
    assert department_officer.notifications.filter(kind="action_item_rework").exists()
    assert not other_department_officer.notifications.filter(kind="action_item_rework").exists()
    assert Event.objects.filter(case=case, kind="action_item_rework").count() == 1
    # Done again: back in the office's queue.
    items.action_item_complete(item=zigui_item, by=department_officer, note="已补盖章批文")
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW


@pytest.mark.parametrize(
    "change,field",
    [
        ({"reason": " "}, "reason"),
        ({"items": []}, "items"),
        ({"due_date": "2026-11-30"}, "due_date"),
        ({"due_date": SATURDAY.isoformat()}, "due_date"),
    ],
)
def test_sending_back_is_refused_without_reason_items_or_a_working_due_date(
    api, accepted, coordinator, department_officer, zigui_org, change, field
):
    case = under_review(accepted, coordinator, (zigui_org, department_officer))

    response = fire(api, coordinator, case, send_back_body(case, **change))

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW
    assert case.action_items.get().status == ActionItem.Status.DONE
    assert not Event.objects.filter(case=case, kind="send_back").exists()


def test_an_item_of_another_case_cannot_be_sent_back(
    api, accepted, coordinator, department_officer, zigui_org, enterprise_user, category
):
    case = under_review(accepted, coordinator, (zigui_org, department_officer))
    other = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)

    response = fire(
        api, coordinator, case, send_back_body(case, items=[other.action_items.get().pk])
    )

    assert response.status_code == 400
    assert "items" in response.json()["error"]["fields"]


def test_sending_back_is_for_the_office_and_only_under_review(
    api, accepted, coordinator, department_officer, zigui_org
):
    case = under_review(accepted, coordinator, (zigui_org, department_officer))
    assert fire(api, department_officer, case, send_back_body(case)).status_code == 403
    fire(api, coordinator, case, {"name": "resolve"})

    response = fire(api, coordinator, case, send_back_body(case))

    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED


def test_the_review_queue_and_home_show_the_case(
    as_user, accepted, coordinator, department_officer, zigui_org
):
    case = under_review(accepted, coordinator, (zigui_org, department_officer))
    client = as_user(coordinator)

    assert case.title in client.get("/cases/?tab=review").content.decode()
    home = client.get("/").content.decode()
    assert "待审核" in home and case.title in home
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "办结审核" in page and "已办结" in page  # the completion note, to check


# 不满意 reopens ---------------------------------------------------------------------------------


@pytest.fixture
def resolved(accepted, coordinator, department_officer, zigui_org):
    case = under_review(accepted, coordinator, (zigui_org, department_officer))
    return items.case_resolve(case=case, by=coordinator)


def test_dissatisfied_needs_a_reason(api, resolved, enterprise_user):
    response = fire(api, enterprise_user, resolved, {"name": "confirm", "rating": "dissatisfied"})

    assert response.status_code == 400
    assert "comment" in response.json()["error"]["fields"]
    resolved.refresh_from_db()
    assert resolved.status == Case.Status.RESOLVED


def test_dissatisfied_reopens_tells_the_office_and_starts_a_clock(
    api, resolved, enterprise_user, coordinator, zhujian_org
):
    body = {"name": "confirm", "rating": "dissatisfied", "comment": "管线仍未迁改"}

    response = fire(api, enterprise_user, resolved, body)

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    notice = coordinator.notifications.get(kind="case_reopened")
    assert "不满意" in notice.rendered_title
    assert notice.rendered_body == "管线仍未迁改"
    clock = Clock.objects.open().get(case=resolved, kind="reopen")
    assert clock.limit_days == resolved.category.convene_days
    # Routed again: the reopening clock stops, the new item's clock runs.
    items.case_assign(
        case=resolved,
        by=coordinator,
        assignments=[{"organisation": zhujian_org, "title": "管线迁改", "due_date": NEXT_WEEK}],
    )
    clock.refresh_from_db()
    assert clock.state == Clock.State.MET


def test_the_reopened_case_page_says_so(as_user, resolved, enterprise_user, coordinator):
    client = as_user(enterprise_user)
    page = client.get(f"/cases/{resolved.pk}/").content.decode()
    assert "确认确认" not in page
    assert "选择“不满意”将退回政务服务办重新办理" in page

    response = client.post(
        f"/cases/{resolved.pk}/transitions/confirm/", {"rating": "dissatisfied", "comment": ""}
    )
    assert response.status_code == 400
    assert "请说明哪些问题仍未解决" in response.content.decode()

    response = client.post(
        f"/cases/{resolved.pk}/transitions/confirm/",
        {"rating": "dissatisfied", "comment": "管线仍未迁改"},
        follow=True,
    )
    page = response.content.decode()
    assert "已提交不满意意见" in page
    assert "重新办理中" in page and "管线仍未迁改" in page
    assert "已确认评价" not in page


def test_a_satisfied_rating_says_the_case_is_closed(as_user, resolved, enterprise_user):
    response = as_user(enterprise_user).post(
        f"/cases/{resolved.pk}/transitions/confirm/", {"rating": "satisfied"}, follow=True
    )
    assert "已提交评价，诉求事项已归档" in response.content.decode()


# Blocked items, tabs, extensions, the assign rows ---------------------------------------------


def test_a_blocked_item_notifies_the_office(
    accepted, coordinator, other_coordinator, department_officer, zigui_org
):
    case = items.case_assign(
        case=accepted,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": FRIDAY}],
    )
    item = items.action_item_sign(item=case.action_items.get(), by=department_officer)

    items.action_item_block(item=item, by=department_officer, reason="缺少红线图")

    for person in (coordinator, other_coordinator):
        notice = person.notifications.get(kind="action_item_blocked")
        assert "缺少红线图" in notice.rendered_body
    assert not department_officer.notifications.filter(kind="action_item_blocked").exists()


def test_a_blocked_item_waits_on_the_office_home_page(
    as_user, accepted, coordinator, department_officer, zigui_org
):
    case = items.case_assign(
        case=accepted,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": FRIDAY}],
    )
    item = items.action_item_sign(item=case.action_items.get(), by=department_officer)
    home = as_user(coordinator).get("/").content.decode()
    assert f"/items/{item.pk}/" not in home and "没有被退回或受阻的任务。" in home

    items.action_item_block(item=item, by=department_officer, reason="缺少红线图")

    home = as_user(coordinator).get("/").content.decode()
    assert f'<a href="/items/{item.pk}/">规划审批</a>' in home
    assert "缺少红线图" in home and "受阻" in home


def test_items_to_sign_for_have_their_own_tab(
    as_user, accepted, coordinator, department_officer, zigui_org
):
    case = items.case_assign(
        case=accepted,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": FRIDAY},
            {"organisation": zigui_org, "title": "用地预审", "due_date": FRIDAY},
        ],
    )
    items.action_item_sign(item=case.action_items.get(title="用地预审"), by=department_officer)
    client = as_user(department_officer)

    waiting = client.get("/items/?tab=assigned").content.decode()
    working = client.get("/items/?tab=open").content.decode()
    default = client.get("/items/").content.decode()

    assert "规划审批" in waiting and "用地预审" not in waiting
    assert "用地预审" in working and "规划审批" not in working
    assert "规划审批" in default  # new work first


def test_the_task_table_shows_each_deliverable(
    as_user, accepted, coordinator, department_officer, zigui_org
):
    items.case_assign(
        case=accepted,
        by=coordinator,
        assignments=[
            {
                "organisation": zigui_org,
                "title": "规划审批",
                "due_date": FRIDAY,
                "deliverable": "规划许可证复印件",
            }
        ],
    )
    page = as_user(coordinator).get(f"/cases/{accepted.pk}/").content.decode()
    assert "规划许可证复印件" in page


def test_an_extension_is_not_offered_while_one_is_pending(
    as_user, accepted, coordinator, department_officer, zigui_org
):
    case = items.case_assign(
        case=accepted,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": FRIDAY}],
    )
    item = case.action_items.get()
    client = as_user(department_officer)
    assert f"/items/{item.pk}/extensions/" in client.get(f"/items/{item.pk}/").content.decode()

    extensions.extension_request(
        item=item, by=department_officer, due_date=NEXT_WEEK, reason="图纸未到"
    )

    assert f"/items/{item.pk}/extensions/" not in client.get(f"/items/{item.pk}/").content.decode()


def test_an_extension_is_not_offered_once_overdue(
    as_user, settings, accepted, coordinator, department_officer, zigui_org
):
    case = items.case_assign(
        case=accepted,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": FRIDAY}],
    )
    item = case.action_items.get()
    settings.SHENLIANTI_TODAY = NEXT_WEEK.isoformat()

    page = as_user(department_officer).get(f"/items/{item.pk}/").content.decode()

    assert f"/items/{item.pk}/extensions/" not in page


def test_the_assign_form_reads_every_counted_row_and_answers_per_row_in_words(
    as_user, accepted, coordinator, zigui_org, zhujian_org, kaitou_org
):
    client = as_user(coordinator)
    page = client.get(f"/cases/{accepted.pk}/").content.decode()
    assert 'name="assignments-TOTAL_FORMS" value="3"' in page
    assert "assignments-2-organisation" in page and "Assignments" not in page
    rows = {
        "assignments-TOTAL_FORMS": "5",
        "assignments-0-organisation": zigui_org.pk,
        "assignments-0-title": "规划审批",
        "assignments-0-due_date": D(2026, 11, 30).isoformat(),
        # Row 2 left empty: ignored.
        "assignments-2-organisation": zhujian_org.pk,
        "assignments-2-due_date": FRIDAY.isoformat(),
        "assignments-4-organisation": kaitou_org.pk,
        "assignments-4-title": "市政配套",
        "assignments-4-deliverable": "竣工报告",
        "assignments-4-due_date": FRIDAY.isoformat(),
    }

    response = client.post(f"/cases/{accepted.pk}/transitions/assign/", rows)

    assert response.status_code == 400
    page = response.content.decode()
    assert "第 2 行 任务：" in page  # the serializer's row error, in words
    assert "0: title" not in page and "title:" not in page
    assert not accepted.action_items.exists()
    rows["assignments-2-title"] = "施工许可"
    response = client.post(f"/cases/{accepted.pk}/transitions/assign/", rows)
    assert response.status_code == 400
    assert "第 1 行 办理期限：期限必须是今天以后的日期。" in response.content.decode()

    rows["assignments-0-due_date"] = FRIDAY.isoformat()
    response = client.post(f"/cases/{accepted.pk}/transitions/assign/", rows)

    assert response.status_code == 302
    assert sorted(accepted.action_items.values_list("title", flat=True)) == sorted(
        ["规划审批", "施工许可", "市政配套"]
    )
    assert accepted.action_items.get(title="市政配套").deliverable == "竣工报告"


def test_the_assign_form_in_english(as_user, settings, accepted, coordinator, zigui_org):
    client = as_user(coordinator)
    rows = {
        "assignments-TOTAL_FORMS": "1",
        "assignments-0-organisation": zigui_org.pk,
        "assignments-0-due_date": SATURDAY.isoformat(),
    }
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(f"/cases/{accepted.pk}/transitions/assign/", rows)
    page = response.content.decode()
    assert "Row 1, Task:" in page and "Add a row" in page
    assert "第 1 行" not in page
