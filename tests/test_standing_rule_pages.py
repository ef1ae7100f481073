"""The standing-rule pages (常态化机制): the leader's forms once wrong and once right, the
coordinator's offer and direct assignment on a case page, and who may open what."""

from datetime import timedelta

import pytest

from cases.models import Case
from config import timesource
from tests.test_standing_rules import new_case, promote, resolved_case, utilities
from workflow.standing_rules.models import StandingRule

pytestmark = pytest.mark.django_db
# The fixtures this module shares with the service tests.
FIXTURES = (new_case, promote, resolved_case, utilities)


def version_post(zigui_org, **fields):
    data = {
        "summary": "由管线产权单位报资规局审批后实施迁改",
        "legal_basis": "《城镇供水条例》第三十条",
        "effective_on": timesource.today().isoformat(),
        "enact": "on",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "出具规划许可",
        "items-0-owner": str(zigui_org.pk),
        "items-0-deliverable": "许可证",
        "items-0-working_days": "5",
        # A blank row is not an item.
        "items-1-title": "",
        "items-1-owner": "",
        "items-1-working_days": "",
        "items-2-title": "",
    }
    data.update(fields)
    return data


def test_the_promote_form_is_prefilled_from_the_resolved_case(
    as_user, resolved_case, office_leader
):
    page = as_user(office_leader).get(f"/cases/{resolved_case.pk}/standing-rule/promote/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="自来水主管迁改"' in html and "规划审批" in html


def test_promoting_wrong_then_right(as_user, resolved_case, office_leader, zigui_org):
    client = as_user(office_leader)
    url = f"/cases/{resolved_case.pk}/standing-rule/promote/"
    wrong = client.post(
        url,
        version_post(
            zigui_org,
            title="",
            effective_on=(timesource.today() - timedelta(days=1)).isoformat(),
            **{"items-0-working_days": "0"},
        ),
    )
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert "这个字段是必填项" in html or "该字段是必填项" in html or "必填" in html
    assert not StandingRule.objects.exists()
    past = client.post(
        url,
        version_post(
            zigui_org,
            title="水电气管线迁改",
            effective_on=(timesource.today() - timedelta(days=1)).isoformat(),
        ),
    )
    assert past.status_code == 400 and "生效日期不能早于今天。" in past.content.decode()
    right = client.post(url, version_post(zigui_org, title="水电气管线迁改"))
    rule = StandingRule.objects.get()
    assert right.status_code == 302 and right.url == f"/standing-rules/{rule.pk}/"
    version = rule.versions.get()
    assert version.status == "in_force" and version.items.count() == 1


def test_only_the_leader_opens_the_promote_form(as_user, resolved_case, coordinator):
    url = f"/cases/{resolved_case.pk}/standing-rule/promote/"
    assert as_user(coordinator).get(url).status_code == 403


def test_amending_retiring_and_putting_in_force_from_the_rule_page(
    as_user, promote, office_leader, zigui_org
):
    rule = promote()
    client = as_user(office_leader)
    page = client.get(f"/standing-rules/{rule.pk}/")
    assert "修订（新版本）" in page.content.decode()
    later = (timesource.today() + timedelta(days=7)).isoformat()
    wrong = client.post(
        f"/standing-rules/{rule.pk}/amend/",
        version_post(zigui_org, reason="", effective_on=later),
    )
    assert wrong.status_code == 400 and rule.versions.count() == 1
    drafted = client.post(
        f"/standing-rules/{rule.pk}/amend/",
        version_post(zigui_org, reason="缩短时限", effective_on=later, enact=""),
    )
    assert drafted.status_code == 302
    assert rule.versions.get(version=2).status == "draft"
    page = client.get(f"/standing-rules/{rule.pk}/").content.decode()
    assert "待生效" not in page and "草案" in page and "施行第 2 版" in page
    client.post(f"/standing-rules/{rule.pk}/versions/2/enact/")
    assert rule.versions.get(version=2).status == "in_force"
    assert "待生效" in client.get(f"/standing-rules/{rule.pk}/").content.decode()
    refused = client.post(f"/standing-rules/{rule.pk}/retire/", {"reason": " "})
    assert refused.status_code == 400
    retired = client.post(f"/standing-rules/{rule.pk}/retire/", {"reason": "法规修订"})
    assert retired.status_code == 302
    assert set(rule.versions.values_list("status", flat=True)) == {"retired"}


def test_a_coordinator_reads_the_rule_but_cannot_change_it(as_user, promote, coordinator):
    rule = promote()
    client = as_user(coordinator)
    page = client.get(f"/standing-rules/{rule.pk}/").content.decode()
    assert "沿革" in page and "修订（新版本）" not in page
    assert client.get(f"/standing-rules/{rule.pk}/amend/").status_code == 403
    assert client.post(f"/standing-rules/{rule.pk}/retire/", {"reason": "x"}).status_code == 403


def test_the_case_page_offers_the_rule_and_assigns_under_it(
    as_user, promote, new_case, coordinator, other_enterprise_user
):
    rule = promote()
    client = as_user(coordinator)
    page = client.get(f"/cases/{new_case.pk}/").content.decode()
    assert "可依常态化机制直接交办" in page and "常态化机制第1号" in page
    stale = client.post(
        f"/cases/{new_case.pk}/standing-rule/apply/", {"standing_rule": rule.pk, "version": "2"}
    )
    assert stale.status_code == 302
    assert Case.objects.get(pk=new_case.pk).status == "submitted"
    done = client.post(
        f"/cases/{new_case.pk}/standing-rule/apply/",
        {"standing_rule": rule.pk, "version": "1"},
        follow=True,
    )
    assert "已依常态化机制第1号直接交办" in done.content.decode()
    assert Case.objects.get(pk=new_case.pk).status == "implementing"
    # The enterprise reads that its case was handled under the rule, not a link to the rule.
    seen = as_user(other_enterprise_user).get(f"/cases/{new_case.pk}/").content.decode()
    assert "依常态化机制办理" in seen and f"/standing-rules/{rule.pk}/" not in seen
    assert "依据：常态化机制第1号（第1版）" in seen


def test_who_opens_the_list(as_user, promote, enterprise_user, department_officer, coordinator):
    promote()
    assert as_user(enterprise_user).get("/standing-rules/").status_code == 404
    assert "水电气管线迁改" in as_user(department_officer).get("/standing-rules/").content.decode()
    assert "水电气管线迁改" in as_user(coordinator).get("/standing-rules/").content.decode()


def test_the_pages_read_in_english(as_user, promote, coordinator):
    rule = promote()
    client = as_user(coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/standing-rules/{rule.pk}/").content.decode()
    assert "Standing rule No. 1" in page and "History" in page


def test_the_admin_reads_rules_and_applications_without_changing_them(
    client, promote, new_case, coordinator
):
    from departments.models import User
    from workflow.standing_rules import services

    rule = promote()
    services.standing_rule_apply(case=new_case, rule=rule, by=coordinator)
    client.force_login(User.objects.create_superuser("root", "root@example.invalid", "pw"))
    for url in (
        "/admin/workflow/standingrule/",
        f"/admin/workflow/standingrule/{rule.pk}/change/",
        "/admin/workflow/standingruleapplication/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/workflow/standingrule/add/").status_code == 403
