"""The server-rendered pages through Django's test client: who may open what, and each form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case
from tests import factories
from workflow.casefile import services as case_services
from workflow.items import services as item_services
from workflow.items.models import ActionItem

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def implementing_case(submitted_case, coordinator, zigui_org):
    case_services.case_accept(case=submitted_case, by=coordinator)
    return item_services.case_assign(
        case=submitted_case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(20)}
        ],
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_and_sign_in(client, enterprise_user):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "enterprise", "password": "pw"})
    assert response.status_code == 302
    assert response.url == "/"
    assert "陈" in client.get("/").content.decode() or client.get("/").status_code == 200


def test_login_error_shown(client, enterprise_user):
    response = client.post(reverse("login"), {"username": "enterprise", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["enterprise_user", "coordinator", "department_officer", "legal_expert"]
)
def test_home_inbox_and_lists_open_for_everyone(request, as_user, persona, implementing_case):
    client = as_user(request.getfixturevalue(persona))
    for url in ["/", "/notifications/", "/cases/", "/items/"]:
        assert client.get(url).status_code == 200, url


def test_home_shows_what_waits(as_user, enterprise_user, coordinator, submitted_case):
    case_services.case_return_for_info(case=submitted_case, by=coordinator, reason="请补充材料")
    page = as_user(enterprise_user).get("/").content.decode()
    assert submitted_case.title in page
    assert "诉求事项需要补正" in page  # the unread notification


def test_coordinator_queue_tabs_and_search(as_user, coordinator, enterprise_user, category):
    wanted = factories.case(enterprise_user, title="自来水主管迁改", category=category)
    other = factories.case(enterprise_user, title="消防审查咨询", category=category)
    client = as_user(coordinator)
    page = client.get("/cases/?tab=new").content.decode()
    assert wanted.title in page and other.title in page
    page = client.get("/cases/?tab=new&q=自来水").content.decode()
    assert wanted.title in page and other.title not in page
    assert wanted.title not in client.get("/cases/?tab=needs_info").content.decode()
    assert client.get("/cases/?tab=red").status_code == 200
    assert client.get("/cases/?tab=yellow").status_code == 200


def test_case_list_query_count_does_not_grow(
    as_user, coordinator, enterprise_user, category, django_assert_max_num_queries
):
    for n in range(3):
        factories.case(enterprise_user, title=f"诉求{n}", category=category)
    client = as_user(coordinator)
    with django_assert_max_num_queries(8):
        client.get("/cases/?tab=all")
    for n in range(30):
        factories.case(enterprise_user, title=f"更多诉求{n}", category=category)
    with django_assert_max_num_queries(8):
        client.get("/cases/?tab=all")


def test_file_a_case_with_attachment(as_user, enterprise_user, category):
    client = as_user(enterprise_user)
    assert client.get("/cases/new/").status_code == 200
    response = client.post(
        "/cases/new/",
        {
            "title": "周边市政配套滞后",
            "category": category.pk,
            "description": "影响综合验收",
            "urgency": "urgent",
            "attachments": [SimpleUploadedFile("说明.pdf", PDF, "application/pdf")],
        },
    )
    case = Case.objects.get(title="周边市政配套滞后")
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    assert case.status == Case.Status.SUBMITTED
    assert case.attachments.get().original_name == "说明.pdf"


def test_file_a_case_errors_beside_fields(as_user, enterprise_user, category):
    response = as_user(enterprise_user).post(
        "/cases/new/",
        {
            "title": "",
            "category": category.pk,
            "description": "x",
            "urgency": "normal",
            "attachments": [SimpleUploadedFile("a.pdf", b"not a pdf", "application/pdf")],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_title_errors"' in page
    assert "不支持的文件类型" in page
    assert not Case.objects.exists()


def test_only_enterprise_users_file(as_user, coordinator):
    assert as_user(coordinator).get("/cases/new/").status_code == 403


def test_other_enterprise_gets_404(as_user, other_enterprise_user, submitted_case):
    client = as_user(other_enterprise_user)
    assert client.get(f"/cases/{submitted_case.pk}/").status_code == 404
    response = client.post(f"/cases/{submitted_case.pk}/transitions/withdraw/", {"reason": "x"})
    assert response.status_code == 404
    assert "页面不存在" in client.get(f"/cases/{submitted_case.pk}/").content.decode()


def test_case_page_offers_only_permitted_transitions(
    as_user, coordinator, enterprise_user, submitted_case, django_assert_max_num_queries
):
    client = as_user(coordinator)
    # 16 for the case, up to 5 for its precedents card: the candidates (on PostgreSQL inside a
    # savepoint with their settings) and the precedents the case followed.
    with django_assert_max_num_queries(21):
        page = client.get(f"/cases/{submitted_case.pk}/").content.decode()
    assert "受理" in page and "退回补正" in page
    assert "transitions/withdraw/" not in page
    page = as_user(enterprise_user).get(f"/cases/{submitted_case.pk}/").content.decode()
    assert "transitions/withdraw/" in page and "transitions/accept/" not in page


def test_return_for_info_needs_a_reason_then_answer(
    as_user, coordinator, enterprise_user, submitted_case
):
    url = f"/cases/{submitted_case.pk}/transitions/"
    response = as_user(coordinator).post(url + "return_for_info/", {"reason": ""})
    assert response.status_code == 400
    assert 'id="case-return_for_info-reason-errors"' in response.content.decode()
    assert (
        as_user(coordinator).post(url + "return_for_info/", {"reason": "补充"}).status_code == 302
    )
    response = as_user(enterprise_user).post(url + "resubmit/", {"reply": "已补充"})
    assert response.status_code == 302
    submitted_case.refresh_from_db()
    assert submitted_case.status == Case.Status.SUBMITTED


def test_wrong_role_gets_403_and_wrong_state_an_error(
    as_user, coordinator, enterprise_user, submitted_case
):
    url = f"/cases/{submitted_case.pk}/transitions/"
    assert as_user(enterprise_user).post(url + "accept/", {}).status_code == 403
    response = as_user(coordinator).post(url + "resolve/", {}, follow=True)
    assert response.redirect_chain == [(f"/cases/{submitted_case.pk}/", 302)]
    assert "不能执行此操作" in response.content.decode()


def test_assign_with_rows_and_due_dates(
    as_user, coordinator, submitted_case, zigui_org, kaitou_org
):
    client = as_user(coordinator)
    url = f"/cases/{submitted_case.pk}/transitions/"
    client.post(url + "accept/", {"note": ""})
    response = client.post(
        url + "assign/",
        {
            "assignments-0-organisation": zigui_org.pk,
            "assignments-0-title": "规划审批",
            "assignments-0-due_date": factories.due_in(10).isoformat(),
            "assignments-1-organisation": kaitou_org.pk,
            "assignments-1-title": "实施市政配套工程",
            "assignments-1-due_in_working_days": "15",
            "assignments-2-organisation": "",
        },
    )
    assert response.status_code == 302
    assert set(submitted_case.action_items.values_list("owner__name", flat=True)) == {
        "资规局",
        "海曙开投集团",
    }


def test_assign_errors_shown(as_user, coordinator, submitted_case, zigui_org):
    client = as_user(coordinator)
    url = f"/cases/{submitted_case.pk}/transitions/"
    client.post(url + "accept/", {})
    response = client.post(
        url + "assign/", {"assignments-0-organisation": zigui_org.pk, "assignments-0-title": "x"}
    )
    assert response.status_code == 400
    assert "二选一" in response.content.decode()


def test_department_works_an_item_to_done_and_enterprise_confirms(
    as_user, department_officer, coordinator, enterprise_user, implementing_case
):
    item = implementing_case.action_items.get()
    client = as_user(department_officer)
    assert item.title in client.get("/items/").content.decode()
    assert client.get(f"/items/{item.pk}/").status_code == 200
    base = f"/items/{item.pk}/transitions/"
    assert client.post(base + "sign/").status_code == 302
    assert client.post(base + "start/").status_code == 302
    response = client.post(base + "complete/", {"note": ""})
    assert response.status_code == 400
    assert client.post(base + "complete/", {"note": "已批复"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    implementing_case.refresh_from_db()
    assert implementing_case.status == Case.Status.UNDER_REVIEW
    as_user(coordinator).post(f"/cases/{implementing_case.pk}/transitions/resolve/")
    client = as_user(enterprise_user)
    response = client.post(
        f"/cases/{implementing_case.pk}/transitions/confirm/", {"rating": "satisfied"}
    )
    assert response.status_code == 302
    implementing_case.refresh_from_db()
    assert implementing_case.status == Case.Status.CLOSED


def test_other_department_cannot_open_the_item(
    as_user, other_department_officer, implementing_case
):
    item = implementing_case.action_items.get()
    assert as_user(other_department_officer).get(f"/items/{item.pk}/").status_code == 404


def test_block_return_extension_and_supervision(
    as_user, department_officer, coordinator, implementing_case
):
    item = implementing_case.action_items.get()
    client = as_user(department_officer)
    client.post(f"/items/{item.pk}/transitions/sign/")
    assert client.post(f"/items/{item.pk}/transitions/block/", {"reason": ""}).status_code == 400
    assert (
        client.post(f"/items/{item.pk}/transitions/block/", {"reason": "缺图纸"}).status_code == 302
    )
    response = client.post(f"/items/{item.pk}/extensions/", {"due_date": "", "reason": ""})
    assert response.status_code == 400
    due = factories.due_in(40).isoformat()
    response = client.post(f"/items/{item.pk}/extensions/", {"due_date": due, "reason": "图纸"})
    assert response.status_code == 302
    extension = item.extensions.get()
    page = as_user(coordinator).get(f"/items/{item.pk}/").content.decode()
    assert f"/extensions/{extension.pk}/transitions/approve/" in page
    response = as_user(coordinator).post(f"/extensions/{extension.pk}/transitions/approve/", {})
    assert response.status_code == 302
    # Supervision is only for overdue items: the service refuses, the page says why.
    response = as_user(coordinator).post(f"/items/{item.pk}/supervision/", {"text": "请加快"})
    assert response.status_code in (302, 400)


def test_item_returned_with_reason(as_user, department_officer, implementing_case):
    item = implementing_case.action_items.get()
    client = as_user(department_officer)
    response = client.post(f"/items/{item.pk}/transitions/return/", {"reason": "不属本单位"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.RETURNED


def test_comment_and_upload_on_case_page(as_user, enterprise_user, submitted_case):
    client = as_user(enterprise_user)
    refused = client.post(f"/cases/{submitted_case.pk}/comments/", {"body": ""}, follow=True)
    assert refused.redirect_chain[-1][0] == f"/cases/{submitted_case.pk}/#comment-form"
    assert "留言内容不能为空" in refused.content.decode()
    assert not submitted_case.comments.exists()
    response = client.post(
        f"/cases/{submitted_case.pk}/comments/", {"body": "补充说明", "visibility": "internal"}
    )
    assert response.status_code == 302
    assert submitted_case.comments.get().visibility == "shared"
    upload = SimpleUploadedFile("图纸.pdf", PDF, "application/pdf")
    response = client.post(f"/cases/{submitted_case.pk}/attachments/", {"file": upload})
    assert response.status_code == 302
    page = client.get(f"/cases/{submitted_case.pk}/").content.decode()
    assert "图纸.pdf" in page and "补充说明" in page


def test_withdraw(as_user, enterprise_user, submitted_case):
    response = as_user(enterprise_user).post(
        f"/cases/{submitted_case.pk}/transitions/withdraw/", {"reason": "已自行解决"}
    )
    assert response.status_code == 302
    submitted_case.refresh_from_db()
    assert submitted_case.status == Case.Status.WITHDRAWN


def test_inbox_open_marks_read_and_follows(as_user, enterprise_user, coordinator, submitted_case):
    case_services.case_return_for_info(case=submitted_case, by=coordinator, reason="补充")
    notification = enterprise_user.notifications.get()
    client = as_user(enterprise_user)
    assert "诉求事项需要补正" in client.get("/notifications/").content.decode()
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response.url == f"/cases/{submitted_case.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client.post("/notifications/read-all/").status_code == 302


def test_english_switch(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "My work" in page  # compiled from locale/en by `make install`


def test_items_for_department_sign_via_service_then_list(department_officer, implementing_case):
    item = implementing_case.action_items.get()
    item_services.action_item_sign(item=item, by=department_officer)
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.SIGNED


def test_chinese_whatever_the_browser_asks(client, enterprise_user):
    client.force_login(enterprise_user)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page and "待办" in page


def test_item_list_query_count_does_not_grow(
    as_user,
    coordinator,
    department_officer,
    enterprise_user,
    category,
    zigui_org,
    django_assert_max_num_queries,
):
    def assigned_case(n):
        case = factories.case(enterprise_user, title=f"诉求{n}", category=category)
        case_services.case_accept(case=case, by=coordinator)
        item_services.case_assign(
            case=case,
            by=coordinator,
            assignments=[
                {"organisation": zigui_org, "title": f"任务{n}", "due_date": factories.due_in(9)}
            ],
        )

    assigned_case(0)
    client = as_user(department_officer)
    with django_assert_max_num_queries(9):
        client.get("/items/")
    for n in range(1, 8):
        assigned_case(n)
    with django_assert_max_num_queries(9):
        assert "任务7" in client.get("/items/").content.decode()


def test_internal_comment_hidden_from_the_enterprise(
    as_user, coordinator, enterprise_user, submitted_case
):
    client = as_user(coordinator)
    url = f"/cases/{submitted_case.pk}/comments/"
    assert (
        client.post(url, {"body": "内部研判：需资规局先行", "visibility": "internal"}).status_code
        == 302
    )
    assert "内部研判" in client.get(f"/cases/{submitted_case.pk}/").content.decode()
    page = as_user(enterprise_user).get(f"/cases/{submitted_case.pk}/").content.decode()
    assert "内部研判" not in page
