"""The problem categories (问题类别) and their time limits kept from pages: who may, adding and
editing (wrong and right), retiring one in use instead of deleting it, the change log."""

import pytest
from django.contrib.admin.models import LogEntry

from cases.models import Category
from tests import factories

PAGE = "/reference/categories/"
GOOD = {
    "name": "供电接入",
    "name_en": "Power connection",
    "code": "power_connection",
    "description": "",
    "accept_days": "2",
    "convene_days": "5",
    "rules_days": "3",
    "confirm_days": "7",
    "position": "20",
}


def test_only_the_office_leader_and_the_administrator_keep_the_categories(
    as_user, client, office_leader, coordinator, department_leader, enterprise_user, category
):
    assert client.get(PAGE).status_code == 302
    addresses = [PAGE, f"{PAGE}new/", f"{PAGE}{category.pk}/"]
    for person in (coordinator, department_leader, enterprise_user):
        for address in addresses:
            assert as_user(person).get(address).status_code == 403
        assert as_user(person).post(f"{PAGE}new/", GOOD).status_code == 403
        assert (
            as_user(person).post(f"{PAGE}{category.pk}/active/", {"active": "0"}).status_code == 403
        )
    assert not Category.objects.filter(code="power_connection").exists()
    assert Category.objects.get(pk=category.pk).is_active
    admin = factories.user("admin", None, is_staff=True)
    for person in (office_leader, admin):
        for address in addresses:
            assert as_user(person).get(address).status_code == 200


def test_a_new_category_with_its_limits_is_recorded(as_user, office_leader):
    response = as_user(office_leader).post(f"{PAGE}new/", GOOD)
    assert response.status_code == 302
    category = Category.objects.get(code="power_connection")
    assert (category.accept_days, category.name_en) == (2, "Power connection")
    entry = LogEntry.objects.get()
    assert entry.user == office_leader and entry.object_repr == "供电接入"
    assert "供电接入" in as_user(office_leader).get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"accept_days": "0"}, "accept_days", "时限应为 1 到 250 个工作日"),
        ({"confirm_days": "400"}, "confirm_days", "时限应为 1 到 250 个工作日"),
        ({"convene_days": "abc"}, "convene_days", "输入整数"),
        ({"name": ""}, "name", "该字段是必填项"),
        ({"name": "市政配套"}, "name", "已存在"),
        ({"code": "有 空格"}, "code", "有效"),
    ],
)
def test_a_wrong_category_is_refused_beside_its_field(
    as_user, office_leader, changes, field, message
):
    response = as_user(office_leader).post(f"{PAGE}new/", {**GOOD, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Category.objects.filter(code="power_connection").exists()
    assert not LogEntry.objects.exists()


def test_editing_the_limits_names_the_changed_fields_in_the_log(
    as_user, office_leader, category, client
):
    data = {
        **GOOD,
        "name": category.name,
        "name_en": category.name_en,
        "code": category.code,
        "accept_days": "3",
    }
    response = as_user(office_leader).post(f"{PAGE}{category.pk}/", data)
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.accept_days == 3
    message = LogEntry.objects.get().get_change_message()
    assert "受理时限（工作日）" in message
    assert "受理时限" in as_user(office_leader).get(PAGE).content.decode()


def test_a_category_in_use_is_retired_not_deleted(
    as_user, office_leader, enterprise_user, category
):
    factories.case(enterprise_user, category=category)
    refused = as_user(office_leader).post(f"{PAGE}{category.pk}/delete/", follow=True)
    assert "已有诉求事项使用这个类别，不能删除；可以停用" in refused.content.decode()
    assert Category.objects.filter(pk=category.pk).exists()
    as_user(office_leader).post(f"{PAGE}{category.pk}/active/", {"active": "0"})
    category.refresh_from_db()
    assert not category.is_active
    # No new case is filed in a retired category; the page still lists it (to restore it).
    new_case = as_user(enterprise_user).get("/cases/new/").content.decode()
    assert f'value="{category.pk}"' not in new_case
    assert "已停用" in as_user(office_leader).get(PAGE).content.decode()
    as_user(office_leader).post(f"{PAGE}{category.pk}/active/", {"active": "1"})
    category.refresh_from_db()
    assert category.is_active


def test_a_category_no_case_uses_can_be_deleted(as_user, office_leader):
    as_user(office_leader).post(f"{PAGE}new/", GOOD)
    category = Category.objects.get(code="power_connection")
    assert as_user(office_leader).post(f"{PAGE}{category.pk}/delete/").status_code == 302
    assert not Category.objects.filter(pk=category.pk).exists()
    assert LogEntry.objects.filter(action_flag=3, object_repr="供电接入").exists()
