"""Organisations and their people kept from pages: the office leader and the administrator keep
all of them, a department's leader only their own bureau's people; enterprises' credit codes are
checked; nothing is deleted, only deactivated; every change is in the change log."""

import pytest
from django.contrib.admin.models import LogEntry

from departments.models import ApiToken, Organisation, User
from tests import factories

ORGS = "/reference/organisations/"
ENTERPRISE = {
    "name": "宁波新材料科技有限公司",
    "short_name": "新材料",
    "kind": "enterprise",
    "credit_code": "",
    "tier": "specialised_sme",
}
PERSON = {
    "username": "zigui2",
    "display_name": "王经办",
    "email": "wang@example.org",
    "phone": "0574-87654321",
    "organisation_role": "member",
    "password": "a-long-enough-pass-2026",
}


def test_only_the_office_leader_and_the_administrator_register_organisations(
    as_user, client, office_leader, coordinator, department_leader, enterprise_user, zigui_org
):
    assert client.get(ORGS).status_code == 302
    data = {**ENTERPRISE, "credit_code": factories.valid_credit_code()}
    for person in (coordinator, enterprise_user, department_leader):
        assert as_user(person).post(f"{ORGS}new/", data).status_code == 403
        assert as_user(person).get(f"{ORGS}{zigui_org.pk}/edit/").status_code == 403
        assert (
            as_user(person).post(f"{ORGS}{zigui_org.pk}/active/", {"active": "0"}).status_code
            == 403
        )
    for person in (coordinator, enterprise_user):
        assert as_user(person).get(ORGS).status_code == 403
    assert not Organisation.objects.filter(name=ENTERPRISE["name"]).exists()
    assert Organisation.objects.get(pk=zigui_org.pk).is_active
    admin = factories.user("admin", None, is_staff=True)
    for person in (office_leader, admin):
        assert as_user(person).get(ORGS).status_code == 200
        assert as_user(person).get(f"{ORGS}new/").status_code == 200


def test_a_department_leader_is_sent_to_their_own_bureau(as_user, department_leader, zigui_org):
    response = as_user(department_leader).get(ORGS)
    assert response.status_code == 302 and response.url == f"{ORGS}{zigui_org.pk}/"
    assert as_user(department_leader).get(response.url).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"credit_code": ""}, "credit_code", "企业必须填写统一社会信用代码"),
        ({"credit_code": "91330200MA2AB"}, "credit_code", "统一社会信用代码应为18位"),
        ({"credit_code": "91330200000000000O"}, "credit_code", "不允许的字符"),
        ({"credit_code": "913302000000000019"}, "credit_code", "校验位不正确"),
        ({"kind": "department"}, "tier", "只有企业有培育层级"),
        ({"kind": "office"}, "kind", "选择一个有效的选项"),
        ({"name": "资规局"}, "name", "已存在"),
    ],
)
def test_a_wrong_organisation_is_refused_beside_its_field(
    as_user, office_leader, zigui_org, changes, field, message
):
    data = {**ENTERPRISE, **changes}
    if data["credit_code"] == "913302000000000019":
        # a code whose check character is anything but the right one
        right = factories.valid_credit_code()
        data["credit_code"] = right[:17] + ("0" if right[17] != "0" else "1")
    response = as_user(office_leader).post(f"{ORGS}new/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert message in response.content.decode()
    assert not LogEntry.objects.exists()


def test_an_enterprise_is_registered_with_its_code_in_capitals(as_user, office_leader):
    code = factories.valid_credit_code()
    response = as_user(office_leader).post(
        f"{ORGS}new/", {**ENTERPRISE, "credit_code": f" {code.lower()} "}
    )
    assert response.status_code == 302
    enterprise = Organisation.objects.get(name=ENTERPRISE["name"])
    assert enterprise.credit_code == code and enterprise.tier == "specialised_sme"
    assert LogEntry.objects.get().user == office_leader
    again = as_user(office_leader).post(
        f"{ORGS}new/", {**ENTERPRISE, "name": "另一家", "credit_code": code.lower()}
    )
    assert again.status_code == 400 and "credit_code" in again.context["form"].errors


def test_editing_keeps_the_kind_and_deactivating_keeps_the_record(
    as_user, office_leader, zigui_org, office
):
    page = as_user(office_leader).get(f"{ORGS}{zigui_org.pk}/edit/")
    assert "kind" not in page.context["form"].fields
    response = as_user(office_leader).post(
        f"{ORGS}{zigui_org.pk}/edit/",
        {
            "name": "资规局",
            "short_name": "资规",
            "credit_code": "",
            "tier": "",
            "kind": "enterprise",
        },
    )
    assert response.status_code == 302
    zigui_org.refresh_from_db()
    assert (zigui_org.short_name, zigui_org.kind) == ("资规", "department")
    assert "简称" in LogEntry.objects.get().get_change_message()
    as_user(office_leader).post(f"{ORGS}{zigui_org.pk}/active/", {"active": "0"})
    zigui_org.refresh_from_db()
    assert not zigui_org.is_active
    # The convening office is not deactivated from here.
    refused = as_user(office_leader).post(
        f"{ORGS}{office.pk}/active/", {"active": "0"}, follow=True
    )
    assert "不能停用" in refused.content.decode()
    assert Organisation.objects.get(pk=office.pk).is_active


def test_the_office_leader_opens_an_account_for_a_bureau(as_user, office_leader, zigui_org):
    response = as_user(office_leader).post(f"{ORGS}{zigui_org.pk}/people/new/", PERSON)
    assert response.status_code == 302
    person = User.objects.get(username="zigui2")
    assert person.organisation == zigui_org and person.check_password(PERSON["password"])
    assert LogEntry.objects.get().object_repr == "王经办"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "zigui"}, "username"),  # taken
        ({"username": "有 空格"}, "username"),
        ({"password": "123"}, "password"),
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"organisation_role": "boss"}, "organisation_role"),
    ],
)
def test_a_wrong_person_is_refused_beside_its_field(
    as_user, department_leader, department_officer, zigui_org, changes, field
):
    response = as_user(department_leader).post(
        f"{ORGS}{zigui_org.pk}/people/new/", {**PERSON, **changes}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not User.objects.filter(display_name="王经办").exists()


def test_a_department_leader_keeps_only_their_own_bureaus_people(
    as_user, department_leader, department_officer, other_department_officer, zigui_org, zhujian_org
):
    mine = as_user(department_leader).post(f"{ORGS}{zigui_org.pk}/people/new/", PERSON)
    assert mine.status_code == 302
    assert User.objects.get(username="zigui2").organisation == zigui_org
    other = {**PERSON, "username": "zhujian2"}
    assert as_user(department_leader).get(f"{ORGS}{zhujian_org.pk}/").status_code == 403
    assert (
        as_user(department_leader).post(f"{ORGS}{zhujian_org.pk}/people/new/", other).status_code
        == 403
    )
    person_page = f"/reference/people/{other_department_officer.pk}/"
    assert as_user(department_leader).get(person_page).status_code == 403
    active = f"/reference/people/{other_department_officer.pk}/active/"
    assert as_user(department_leader).post(active, {"active": "0"}).status_code == 403
    assert User.objects.get(pk=other_department_officer.pk).is_active
    assert not User.objects.filter(username="zhujian2").exists()
    # An officer who is not a leader keeps nobody, not even their own bureau's people.
    assert as_user(department_officer).get(f"{ORGS}{zigui_org.pk}/").status_code == 403


def test_deactivating_a_person_signs_them_out_of_the_api(
    as_user, department_leader, department_officer
):
    factories.api_token(department_officer)
    response = as_user(department_leader).post(
        f"/reference/people/{department_officer.pk}/active/", {"active": "0"}
    )
    assert response.status_code == 302
    department_officer.refresh_from_db()
    assert not department_officer.is_active
    assert not ApiToken.objects.filter(user=department_officer).live().exists()
    assert "组织角色" not in LogEntry.objects.get().get_change_message()


def test_a_leader_neither_deactivates_nor_demotes_themselves(as_user, department_leader):
    deactivate = as_user(department_leader).post(
        f"/reference/people/{department_leader.pk}/active/", {"active": "0"}, follow=True
    )
    assert "不能停用自己的账号" in deactivate.content.decode()
    demote = as_user(department_leader).post(
        f"/reference/people/{department_leader.pk}/",
        {"display_name": "李局", "email": "", "phone": "", "organisation_role": "member"},
    )
    assert demote.status_code == 400
    assert "不能修改自己的角色" in demote.content.decode()
    department_leader.refresh_from_db()
    assert department_leader.is_active and department_leader.is_leader


def test_editing_a_person_names_the_fields_changed(
    as_user, department_leader, department_officer, zigui_org
):
    response = as_user(department_leader).post(
        f"/reference/people/{department_officer.pk}/",
        {"display_name": "张经办", "email": "", "phone": "", "organisation_role": "leader"},
    )
    assert response.status_code == 302
    department_officer.refresh_from_db()
    assert department_officer.display_name == "张经办" and department_officer.is_leader
    message = LogEntry.objects.get().get_change_message()
    assert "姓名" in message and "组织角色" in message
    body = as_user(department_leader).get(f"{ORGS}{zigui_org.pk}/").content.decode()
    assert "修改记录" in body and "张经办" in body


def test_a_short_first_password_is_refused_in_chinese(as_user, office_leader, zigui_org):
    response = as_user(office_leader).post(
        f"{ORGS}{zigui_org.pk}/people/new/", {**PERSON, "password": "q9#"}
    )
    assert response.status_code == 400
    assert "密码太短，至少需要 8 个字符。" in response.content.decode()
