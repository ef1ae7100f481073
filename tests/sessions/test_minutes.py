"""Minutes generated from the record, as JSON and as a printable page."""

from workflow.sessions import opinions as session_opinions


def test_minutes_json_holds_attendance_agenda_latest_opinions_and_resolution(
    api, enterprise_user, concluded
):
    session, _ = concluded
    body = api.as_user(enterprise_user).get(f"/api/v1/sessions/{session.pk}/minutes/").json()
    assert body["agenda"] == ["情况通报", "各方发表意见", "形成决议"]
    attendance = {p["name"]: p["attendance"] for p in body["participants"]}
    assert attendance["资规局"] == "present"
    assert attendance["legal"] == ""
    assert [o["participant_name"] for o in body["opinions"]] == ["资规局", "海曙开投集团"]
    assert body["resolution"]["legal_basis"] == "《中华人民共和国城乡规划法》第四十条"


def test_minutes_show_only_the_latest_version(api, coordinator, in_progress, department_officer):
    session, parts = in_progress
    for stance, reasons in (("object", "缺测绘"), ("support", "已补齐")):
        session_opinions.opinion_record(
            participant=parts["zigui"], by=department_officer, stance=stance, reasons=reasons
        )
    body = api.as_user(coordinator).get(f"/api/v1/sessions/{session.pk}/minutes/").json()
    assert [(o["stance"], o["version"]) for o in body["opinions"]] == [("support", 2)]
    assert body["resolution"] is None


def test_printable_minutes_page(api, coordinator, concluded):
    session, _ = concluded
    response = api.as_user(coordinator).get(f"/api/v1/sessions/{session.pk}/minutes/?format=html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "审联体会议纪要" in page
    assert "由相邻地块的海曙开投集团报资规局审批实施" in page
    assert "同意 2" in page


def test_minutes_are_as_private_as_the_session(api, other_enterprise_user, concluded):
    session, _ = concluded
    response = api.as_user(other_enterprise_user).get(f"/api/v1/sessions/{session.pk}/minutes/")
    assert response.status_code == 404


def test_the_minutes_page_shows_the_rules_to_whom_the_rules_api_shows_them(
    api, as_user, coordinator, concluded, kaitou_org, legal_expert, npc_deputy, enterprise_user
):
    """Representatives read the session and its minutes, not the case: the rules API refuses
    them its rules, and the minutes page leaves them out (one rule, `rules_readable_by`)."""
    from tests import factories
    from workflow.implementation.services import rule_item_add

    session, _ = concluded
    rule_item_add(
        case=session.case,
        by=coordinator,
        title="开投集团报资规局审批管线迁改方案",
        owner=kaitou_org,
        due_date=factories.due_in(9),
    )
    rules_url = f"/api/v1/cases/{session.case_id}/rules/"
    minutes_url = f"/sessions/{session.pk}/minutes/"
    for person, sees in (
        (legal_expert, False),
        (npc_deputy, False),
        (enterprise_user, True),
        (coordinator, True),
    ):
        rules = api.as_user(person).get(rules_url)
        assert rules.status_code == (200 if sees else 404), person
        page = as_user(person).get(minutes_url)
        assert page.status_code == 200, person
        shown = "开投集团报资规局审批管线迁改方案" in page.content.decode()
        assert shown is sees, person
        assert ("实施细则" in page.content.decode()) is sees, person
