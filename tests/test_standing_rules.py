"""Standing rules (常态化机制): the office leader promotes a resolved case's resolution and rules
to a standing rule of its category, puts it in force, amends and retires it; a coordinator
assigns a new case of that category directly under the rule in force, which the record cites."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Category
from config import timesource
from config.fsm import Conflict
from tests import factories
from workflow.deadlines.working_days import add_working_days
from workflow.items import services as items
from workflow.record.models import Event
from workflow.standing_rules import services
from workflow.standing_rules.models import (
    StandingRule,
    StandingRuleApplication,
    StandingRuleVersion,
)


@pytest.fixture
def utilities(db):
    return Category.objects.get(code="utility_relocation")


@pytest.fixture
def resolved_case(enterprise_user, coordinator, department_officer, zigui_org, utilities):
    """A water-main relocation the office assigned to 资规局 and which is now resolved."""
    case = factories.assigned_case(
        enterprise_user, coordinator, zigui_org, category=utilities, title="自来水主管迁改"
    )
    item = case.action_items.get()
    items.action_item_sign(item=item, by=department_officer)
    items.action_item_complete(item=item, by=department_officer, note="许可证已核发")
    return items.case_resolve(case=Case.objects.get(pk=case.pk), by=coordinator)


def item_rows(*owners_and_days):
    return [
        {"owner": owner, "title": f"事项{n}", "deliverable": "许可证", "working_days": days}
        for n, (owner, days) in enumerate(owners_and_days, start=1)
    ]


@pytest.fixture
def promote(resolved_case, office_leader, zigui_org, kaitou_org):
    def promote(*, effective_on=None, enact=True, rows=None):
        return services.standing_rule_promote(
            case=resolved_case,
            by=office_leader,
            title="水电气管线迁改",
            summary="由管线产权单位报资规局审批后实施迁改",
            legal_basis="《城镇供水条例》第三十条",
            effective_on=effective_on or timesource.today(),
            items=rows or item_rows((zigui_org, 5), (kaitou_org, 10)),
            enact=enact,
        )

    return promote


@pytest.fixture
def new_case(other_enterprise_user, utilities):
    return factories.case(other_enterprise_user, category=utilities, title="燃气管道迁改")


def today_is(settings, day):
    settings.SHENLIANTI_TODAY = day.isoformat()


# Promoting, putting in force, amending, retiring: the office leader only.


def test_the_leader_promotes_a_resolved_case_to_a_draft_with_an_internal_event(
    promote, resolved_case, enterprise_user
):
    rule = promote(enact=False)
    version = rule.versions.get()
    assert (rule.number, rule.category_id, version.version) == (1, resolved_case.category_id, 1)
    assert version.status == "draft"
    assert [(i.number, i.working_days) for i in version.items.all()] == [(1, 5), (2, 10)]
    event = Event.objects.get(case=resolved_case, kind="standing_rule_promoted")
    assert event.internal and event.payload["number"] == 1
    assert not Event.objects.visible_to(enterprise_user).filter(pk=event.pk).exists()


@pytest.mark.parametrize("persona", ["coordinator", "department_officer", "enterprise_user"])
def test_only_the_office_leader_promotes(request, resolved_case, zigui_org, persona):
    with pytest.raises(PermissionDenied):
        services.standing_rule_promote(
            case=resolved_case,
            by=request.getfixturevalue(persona),
            title="t",
            summary="s",
            legal_basis="b",
            effective_on=timesource.today(),
            items=item_rows((zigui_org, 5)),
        )


def test_a_case_not_yet_resolved_is_not_promoted(submitted_case, office_leader, zigui_org):
    with pytest.raises(Conflict) as refused:
        services.standing_rule_promote(
            case=submitted_case,
            by=office_leader,
            title="t",
            summary="s",
            legal_basis="b",
            effective_on=timesource.today(),
            items=item_rows((zigui_org, 5)),
        )
    assert refused.value.code == "invalid_state"


def test_promotion_names_every_bad_field_and_writes_nothing(
    resolved_case, office_leader, enterprise_user
):
    with pytest.raises(ValidationError) as refused:
        services.standing_rule_promote(
            case=resolved_case,
            by=office_leader,
            title=" ",
            summary="s",
            legal_basis="",
            effective_on=timesource.today() - timedelta(days=1),
            items=[{"owner": enterprise_user.organisation, "title": "", "working_days": 0}],
        )
    assert set(refused.value.message_dict) == {
        "title",
        "legal_basis",
        "effective_on",
        "items.0.title",
        "items.0.owner",
        "items.0.working_days",
    }
    assert not StandingRuleVersion.objects.exists()


def test_putting_in_force_is_the_leaders_and_only_from_draft(promote, coordinator, office_leader):
    version = promote(enact=False).versions.get()
    with pytest.raises(PermissionDenied):
        services.standing_rule_enact(version=version, by=coordinator)
    services.standing_rule_enact(version=version, by=office_leader)
    version.refresh_from_db()
    assert version.status == "in_force" and version.enacted_by == office_leader
    with pytest.raises(Conflict) as refused:
        services.standing_rule_enact(version=version, by=office_leader)
    assert refused.value.code == "invalid_state"


def test_a_draft_whose_effective_date_has_passed_is_not_put_in_force(
    settings, promote, office_leader
):
    version = promote(enact=False).versions.get()
    today_is(settings, add_working_days(timesource.today(), 3))
    with pytest.raises(Conflict) as refused:
        services.standing_rule_enact(version=version, by=office_leader)
    assert refused.value.code == "guard_failed"


def amend(rule, by, zigui_org, *, effective_on, days=7, reason="时限调整", enact=True):
    return services.standing_rule_amend(
        rule=rule,
        by=by,
        summary="修订后的方案",
        legal_basis="《城镇供水条例》第三十条",
        effective_on=effective_on,
        items=item_rows((zigui_org, days)),
        reason=reason,
        enact=enact,
    )


def test_an_amendment_supersedes_the_version_in_force_on_its_effective_date(
    settings, promote, office_leader, zigui_org
):
    rule = promote()
    later = timesource.today() + timedelta(days=10)
    second = amend(rule, office_leader, zigui_org, effective_on=later)
    assert second.version == 2 and second.status == "in_force"
    assert rule.in_force_on(timesource.today()).version == 1
    assert rule.in_force_on(later - timedelta(days=1)).version == 1
    assert rule.in_force_on(later).version == 2
    # Both versions are kept and readable.
    assert list(rule.versions.values_list("version", "status")) == [
        (1, "in_force"),
        (2, "in_force"),
    ]


def test_an_amendment_takes_effect_after_the_version_before_it(promote, office_leader, zigui_org):
    rule = promote(effective_on=timesource.today() + timedelta(days=10))
    with pytest.raises(Conflict) as refused:
        amend(rule, office_leader, zigui_org, effective_on=timesource.today() + timedelta(days=5))
    assert refused.value.code == "guard_failed"
    # The refusal undid the draft too.
    assert rule.versions.count() == 1


def test_amending_needs_a_reason_a_rule_in_force_and_no_pending_draft(
    promote, office_leader, coordinator, zigui_org
):
    draft_only = promote(enact=False)
    with pytest.raises(Conflict):
        amend(draft_only, office_leader, zigui_org, effective_on=timesource.today())
    services.standing_rule_enact(version=draft_only.versions.get(), by=office_leader)
    with pytest.raises(PermissionDenied):
        amend(draft_only, coordinator, zigui_org, effective_on=timesource.today())
    with pytest.raises(ValidationError) as refused:
        amend(draft_only, office_leader, zigui_org, effective_on=timesource.today(), reason=" ")
    assert "reason" in refused.value.message_dict
    later = timesource.today() + timedelta(days=3)
    amend(draft_only, office_leader, zigui_org, effective_on=later, enact=False)
    with pytest.raises(Conflict) as refused:
        amend(draft_only, office_leader, zigui_org, effective_on=later)
    assert refused.value.code == "draft_pending"


def test_retiring_is_the_leaders_needs_a_reason_and_happens_once(
    promote, office_leader, coordinator
):
    rule = promote()
    with pytest.raises(PermissionDenied):
        services.standing_rule_retire(rule=rule, by=coordinator, reason="不再适用")
    with pytest.raises(ValidationError):
        services.standing_rule_retire(rule=rule, by=office_leader, reason="")
    services.standing_rule_retire(rule=rule, by=office_leader, reason="法规修订，不再适用")
    assert set(rule.versions.values_list("status", flat=True)) == {"retired"}
    assert rule.in_force_on(timesource.today()) is None
    with pytest.raises(Conflict):
        services.standing_rule_retire(rule=rule, by=office_leader, reason="再次废止")


# Applying at triage.


def test_applying_assigns_a_new_case_directly_with_due_dates_in_working_days(
    promote, new_case, coordinator, zigui_org, kaitou_org
):
    rule = promote()
    application = services.standing_rule_apply(case=new_case, rule=rule, by=coordinator)
    case = Case.objects.get(pk=new_case.pk)
    assert case.status == "implementing"
    today = timesource.today()
    assert sorted(
        (i.owner_id, i.title, i.deliverable, i.due_date) for i in case.action_items.all()
    ) == sorted(
        [
            (zigui_org.pk, "事项1", "许可证", add_working_days(today, 5)),
            (kaitou_org.pk, "事项2", "许可证", add_working_days(today, 10)),
        ]
    )
    assert application.version.version == 1 and application.applied_by == coordinator
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-4:] == ["accept", "assign", "action_item_assigned", "action_item_assigned"]
    assign = case.events.get(kind="assign")
    assert assign.payload["standing_rule"] == {
        "rule": rule.pk,
        "number": 1,
        "version": 1,
        "title": "水电气管线迁改",
    }
    assert not assign.internal


def test_an_accepted_case_is_assigned_under_the_rule_too(promote, new_case, coordinator):
    from workflow.casefile.services import case_accept

    case_accept(case=new_case, by=coordinator)
    services.standing_rule_apply(case=new_case, rule=promote(), by=coordinator)
    assert Case.objects.get(pk=new_case.pk).status == "implementing"


@pytest.mark.parametrize("persona", ["department_officer", "enterprise_user"])
def test_only_a_coordinator_applies_a_rule(request, promote, new_case, persona):
    with pytest.raises(PermissionDenied):
        services.standing_rule_apply(
            case=new_case, rule=promote(), by=request.getfixturevalue(persona)
        )


def test_a_rule_not_yet_effective_or_retired_or_drafted_is_not_applied(
    settings, promote, new_case, coordinator, office_leader
):
    rule = promote(effective_on=timesource.today() + timedelta(days=5))
    with pytest.raises(Conflict) as refused:
        services.standing_rule_apply(case=new_case, rule=rule, by=coordinator)
    assert refused.value.code == "not_in_force"
    services.standing_rule_retire(rule=rule, by=office_leader, reason="撤回")
    today_is(settings, timesource.today() + timedelta(days=6))
    with pytest.raises(Conflict):
        services.standing_rule_apply(case=new_case, rule=rule, by=coordinator)
    assert Case.objects.get(pk=new_case.pk).status == "submitted"


def test_a_draft_is_not_applied(promote, new_case, coordinator):
    with pytest.raises(Conflict) as refused:
        services.standing_rule_apply(case=new_case, rule=promote(enact=False), by=coordinator)
    assert refused.value.code == "not_in_force"


def test_a_case_of_another_category_is_not_assigned_under_the_rule(
    promote, submitted_case, coordinator
):
    with pytest.raises(Conflict) as refused:
        services.standing_rule_apply(case=submitted_case, rule=promote(), by=coordinator)
    assert refused.value.code == "wrong_category"
    assert not submitted_case.action_items.exists()


def test_a_case_past_triage_or_already_handled_is_refused(
    promote, new_case, resolved_case, coordinator
):
    rule = promote()
    with pytest.raises(Conflict) as refused:
        services.standing_rule_apply(case=resolved_case, rule=rule, by=coordinator)
    assert refused.value.code == "invalid_state"
    services.standing_rule_apply(case=new_case, rule=rule, by=coordinator)
    with pytest.raises(Conflict):
        services.standing_rule_apply(case=new_case, rule=rule, by=coordinator)
    assert StandingRuleApplication.objects.count() == 1


def test_the_version_applied_follows_the_date(
    settings, promote, new_case, coordinator, office_leader, zigui_org, other_enterprise_user
):
    rule = promote()
    later = add_working_days(timesource.today(), 4)
    amend(rule, office_leader, zigui_org, effective_on=later, days=2)
    first = services.standing_rule_apply(case=new_case, rule=rule, by=coordinator)
    assert first.version.version == 1
    today_is(settings, later)
    second_case = factories.case(other_enterprise_user, category=new_case.category)
    second = services.standing_rule_apply(case=second_case, rule=rule, by=coordinator)
    assert second.version.version == 2
    assert second_case.action_items.get().due_date == add_working_days(later, 2)


def test_a_stale_version_is_refused(
    settings, promote, new_case, coordinator, office_leader, zigui_org
):
    rule = promote()
    later = timesource.today() + timedelta(days=3)
    amend(rule, office_leader, zigui_org, effective_on=later)
    today_is(settings, later)
    with pytest.raises(Conflict) as refused:
        services.standing_rule_apply(case=new_case, rule=rule, by=coordinator, version=1)
    assert refused.value.code == "version_changed"


# The API.


def promote_body(source, *owners, **fields):
    return {
        "case": source.pk,
        "title": "水电气管线迁改",
        "summary": "由管线产权单位报资规局审批后实施迁改",
        "legal_basis": "《城镇供水条例》第三十条",
        "effective_on": timesource.today().isoformat(),
        "items": [{"owner": owner.pk, "title": "出具许可", "working_days": 5} for owner in owners],
        "enact": True,
        **fields,
    }


def test_the_api_promotes_amends_enacts_and_retires(api, resolved_case, office_leader, zigui_org):
    client = api.as_user(office_leader)
    made = client.post(
        "/api/v1/standing-rules/", promote_body(resolved_case, zigui_org), format="json"
    )
    assert made.status_code == 201, made.json()
    rule = made.json()
    assert (rule["number"], rule["current_version"]) == (1, 1)
    later = (timesource.today() + timedelta(days=5)).isoformat()
    amended = client.post(
        f"/api/v1/standing-rules/{rule['id']}/versions/",
        {
            "summary": "修订",
            "legal_basis": "依据",
            "effective_on": later,
            "items": [{"owner": zigui_org.pk, "title": "出具许可", "working_days": 3}],
            "reason": "缩短时限",
        },
        format="json",
    )
    assert amended.status_code == 201, amended.json()
    assert amended.json()["status"] == "draft"
    enacted = client.post(f"/api/v1/standing-rules/{rule['id']}/versions/2/enact/")
    assert enacted.status_code == 200 and enacted.json()["status"] == "in_force"
    versions = client.get(f"/api/v1/standing-rules/{rule['id']}/versions/").json()["results"]
    assert [v["version"] for v in versions] == [1, 2]
    retired = client.post(
        f"/api/v1/standing-rules/{rule['id']}/retire/", {"reason": "不再适用"}, format="json"
    )
    assert retired.status_code == 200 and retired.json()["current_version"] is None


@pytest.mark.parametrize(
    "fields,status,where",
    [
        ({"items": []}, 400, "items.non_field_errors"),
        ({"effective_on": "2001-01-01"}, 400, "effective_on"),
        ({"items": [{"owner": 0, "title": "x", "working_days": 5}]}, 400, "items.0.owner"),
        ({"items": [{"title": "x", "working_days": 0}]}, 400, "items.0.working_days"),
        ({"case": 999999}, 404, None),
    ],
)
def test_the_api_refuses_bad_promotions_clearly(
    api, resolved_case, office_leader, zigui_org, fields, status, where
):
    body = promote_body(resolved_case, zigui_org, **fields)
    if "items" in fields and fields["items"] and "owner" not in fields["items"][0]:
        body["items"][0]["owner"] = zigui_org.pk
    response = api.as_user(office_leader).post("/api/v1/standing-rules/", body, format="json")
    assert response.status_code == status, response.json()
    if where:
        assert where in response.json()["error"]["fields"]


def test_the_api_answers_403_to_a_coordinator_promoting_and_409_to_a_second_retire(
    api, promote, resolved_case, coordinator, office_leader, zigui_org
):
    response = api.as_user(coordinator).post(
        "/api/v1/standing-rules/", promote_body(resolved_case, zigui_org), format="json"
    )
    assert response.status_code == 403
    rule = promote()
    url = f"/api/v1/standing-rules/{rule.pk}/retire/"
    assert api.as_user(office_leader).post(url, {"reason": "x"}, format="json").status_code == 200
    second = api.as_user(office_leader).post(url, {"reason": "x"}, format="json")
    assert second.status_code == 409 and second.json()["error"]["code"] == "invalid_state"


def test_the_case_endpoint_offers_the_rule_and_applies_it(
    api, promote, new_case, coordinator, other_enterprise_user
):
    rule = promote()
    url = f"/api/v1/cases/{new_case.pk}/standing-rule/"
    offer = api.as_user(coordinator).get(url).json()
    assert offer["application"] is None
    assert [(o["standing_rule"], o["version"]) for o in offer["offers"]] == [(rule.pk, 1)]
    assert [i["working_days"] for i in offer["offers"][0]["items"]] == [5, 10]
    # The enterprise is not offered anything at triage.
    assert api.as_user(other_enterprise_user).get(url).json()["offers"] == []
    applied = api.as_user(coordinator).post(
        url, {"standing_rule": rule.pk, "version": 1}, format="json"
    )
    assert applied.status_code == 201, applied.json()
    again = api.as_user(coordinator).post(url, {"standing_rule": rule.pk}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_state"


def test_the_case_endpoint_refuses_a_department_and_a_missing_rule(
    api, promote, new_case, coordinator, department_officer
):
    promote()
    url = f"/api/v1/cases/{new_case.pk}/standing-rule/"
    assert (
        api.as_user(coordinator).post(url, {"standing_rule": 999}, format="json").status_code == 404
    )
    response = api.as_user(department_officer).post(url, {"standing_rule": 1}, format="json")
    assert response.status_code == 404  # the department does not see this case at all


# Who sees what.


def test_the_enterprise_sees_its_case_was_handled_under_the_rule_but_not_the_rule(
    api, promote, new_case, coordinator, office_leader, other_enterprise_user, zigui_org
):
    rule = promote()
    services.standing_rule_apply(case=new_case, rule=rule, by=coordinator)
    amend(
        rule,
        office_leader,
        zigui_org,
        effective_on=timesource.today() + timedelta(days=9),
        enact=False,
    )
    client = api.as_user(other_enterprise_user)
    shown = client.get(f"/api/v1/cases/{new_case.pk}/standing-rule/").json()
    assert shown["application"]["version"]["label"] == "常态化机制第1号（第1版）"
    assert shown["application"]["version"]["legal_basis"] == "《城镇供水条例》第三十条"
    assert client.get("/api/v1/standing-rules/").json()["results"] == []
    assert client.get(f"/api/v1/standing-rules/{rule.pk}/").status_code == 404
    assert client.get(f"/api/v1/standing-rules/{rule.pk}/versions/").status_code == 404
    assign = client.get(f"/api/v1/cases/{new_case.pk}/events/").json()["results"]
    assert any(e["kind"] == "assign" for e in assign)


def test_departments_read_only_the_published_rules_that_give_them_work(
    api,
    promote,
    office_leader,
    department_officer,
    other_department_officer,
    third_party_officer,
    zigui_org,
):
    rule = promote()
    amend(
        rule,
        office_leader,
        zigui_org,
        effective_on=timesource.today() + timedelta(days=9),
        enact=False,
    )
    mine = api.as_user(department_officer).get(f"/api/v1/standing-rules/{rule.pk}/versions/")
    assert [v["status"] for v in mine.json()["results"]] == ["in_force"]
    assert api.as_user(third_party_officer).get("/api/v1/standing-rules/").json()["results"]
    other = api.as_user(other_department_officer)
    assert other.get("/api/v1/standing-rules/").json()["results"] == []
    assert other.get(f"/api/v1/standing-rules/{rule.pk}/").status_code == 404


def test_a_draft_rule_is_read_by_the_office_only(api, promote, coordinator, department_officer):
    rule = promote(enact=False)
    assert api.as_user(coordinator).get(f"/api/v1/standing-rules/{rule.pk}/").status_code == 200
    assert (
        api.as_user(department_officer).get(f"/api/v1/standing-rules/{rule.pk}/").status_code == 404
    )


@pytest.mark.parametrize(
    "path", ["/api/v1/standing-rules/", "/api/v1/standing-rules/{rule}/versions/"]
)
def test_lists_run_the_same_queries_at_page_sizes_1_and_50(
    api, resolved_case, office_leader, zigui_org, path
):
    for n in range(3):
        rule = services.standing_rule_promote(
            case=resolved_case,
            by=office_leader,
            title=f"机制 {n}",
            summary="s",
            legal_basis="b",
            effective_on=timesource.today(),
            items=item_rows((zigui_org, 5), (zigui_org, 6)),
            enact=True,
        )
        amend(rule, office_leader, zigui_org, effective_on=timesource.today() + timedelta(days=3))
    client = api.as_user(office_leader)
    url = path.format(rule=rule.pk)
    counts = []
    for size in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{url}?page_size={size}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6


# The demo, as a new user meets it.


@pytest.mark.django_db
def test_the_demo_lets_the_next_relocation_case_be_assigned_under_the_standing_rule(api):
    from django.core.management import call_command

    from departments.models import User

    call_command("seed_demo")
    coordinator = User.objects.get(username="coordinator")
    rule = StandingRule.objects.get(title="水电气管线迁改")
    assert rule.source_case.status == "closed"
    assert rule.source_case.sessions.get().resolution.legal_basis
    gas = Case.objects.get(title__startswith="二期厂房天然气管道接入")
    url = f"/api/v1/cases/{gas.pk}/standing-rule/"
    offers = api.as_user(coordinator).get(url).json()["offers"]
    assert [o["label"] for o in offers] == ["常态化机制第1号（第1版）"]
    applied = api.as_user(coordinator).post(url, {"standing_rule": rule.pk}, format="json")
    assert applied.status_code == 201, applied.json()
    gas.refresh_from_db()
    assert gas.status == "implementing" and gas.action_items.count() == 4
    assert gas.events.get(kind="assign").payload["standing_rule"]["number"] == rule.number
