"""The reference scenario (seed 004) end to end through the API, as the demo accounts walk it:
file → accept → convene → invite → RSVP → start → attendance → opinions → conclude (refused,
then adopted) → rules → items done → resolved → confirmed."""

from tests import factories
from workflow.record.models import Event
from workflow.sessions.models import JointSession


def ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


def test_haishu_case_through_a_joint_session(
    api,
    enterprise_user,
    coordinator,
    department_officer,
    third_party_officer,
    legal_expert,
    npc_deputy,
    zigui_org,
    kaitou_org,
    category,
):
    as_ = api.as_user
    case = ok(
        as_(enterprise_user).post(
            "/api/v1/cases/",
            {
                "title": "园区项目周边市政配套工程滞后，影响综合验收",
                "description": "周边市政配套工程跟不上项目建设进度。",
                "category": category.pk,
                "submit": True,
            },
            format="json",
        ),
        201,
    )
    case_url = f"/api/v1/cases/{case['id']}/transitions/"
    ok(as_(coordinator).post(case_url, {"name": "accept"}, format="json"))
    ok(
        as_(coordinator).post(
            case_url,
            {
                "name": "convene",
                "title": "工业互联网研究院产业园市政配套审联体会议",
                "scheduled_at": "2030-04-15T09:30:00+08:00",
                "agenda": ["企业陈述诉求", "各方发表意见", "形成决议"],
                "place": "海曙区行政服务中心 3 楼",
            },
            format="json",
        )
    )
    (session,) = ok(as_(coordinator).get(f"/api/v1/sessions/?case={case['id']}"))["results"]
    base = f"/api/v1/sessions/{session['id']}"
    invites = [
        {"capacity": "department", "organisation": zigui_org.pk, "required": True},
        {"capacity": "third_party", "organisation": kaitou_org.pk, "required": True},
        {"capacity": "legal_expert", "person": legal_expert.pk},
        {"capacity": "npc_deputy", "person": npc_deputy.pk},
    ]
    zigui, kaitou, legal, deputy = (
        ok(as_(coordinator).post(f"{base}/participants/", body, format="json"), 201)["id"]
        for body in invites
    )
    ok(as_(coordinator).post(f"{base}/transitions/", {"name": "notify"}, format="json"))

    for user, pid in (
        (department_officer, zigui),
        (third_party_officer, kaitou),
        (legal_expert, legal),
        (npc_deputy, deputy),
    ):
        ok(
            as_(user).post(
                f"{base}/participants/{pid}/rsvp/", {"answer": "accepted"}, format="json"
            )
        )
    factories.meeting_time_comes(JointSession.objects.get(pk=session["id"]))
    ok(as_(coordinator).post(f"{base}/transitions/", {"name": "start"}, format="json"))
    for pid in (zigui, kaitou, legal, deputy):
        ok(
            as_(coordinator).post(
                f"{base}/participants/{pid}/attendance/", {"attendance": "present"}, format="json"
            )
        )

    resolution = {
        "name": "conclude",
        "summary": "由相邻地块的海曙开投集团报资规局审批实施",
        "legal_basis": "《中华人民共和国城乡规划法》第四十条",
        "responsible_organisations": [kaitou_org.pk, zigui_org.pk],
    }
    refused = as_(coordinator).post(f"{base}/transitions/", resolution, format="json")
    assert refused.status_code == 409
    assert [gap["name"] for gap in refused.json()["error"]["details"]["missing"]] == [
        "资规局",
        "海曙开投集团",
    ]

    for user, pid, stance in (
        (department_officer, zigui, "support"),
        (third_party_officer, kaitou, "support"),
        (legal_expert, legal, "conditional"),
        (npc_deputy, deputy, "support"),
    ):
        body = {"participant": pid, "stance": stance, "reasons": "依法报批后实施"}
        ok(as_(user).post(f"{base}/opinions/", body, format="json"), 201)
    concluded = ok(as_(coordinator).post(f"{base}/transitions/", resolution, format="json"))
    assert concluded["resolution"]["tally"] == {
        "support": 3,
        "object": 0,
        "abstain": 0,
        "conditional": 1,
    }

    rules = f"/api/v1/cases/{case['id']}/rules/"
    for owner, title in (
        (kaitou_org, "编制周边市政配套工程方案并报资规局审批"),
        (zigui_org, "审批配套工程规划许可"),
    ):
        body = {"title": title, "owner": owner.pk, "due_date": "2030-05-30"}
        ok(as_(coordinator).post(rules, body, format="json"), 201)
    # The coordinator submits the rules; the office leader signs them off, which issues them.
    sign_off = ok(
        as_(coordinator).post(f"{rules}sign-offs/", {"note": "请签批"}, format="json"), 201
    )
    leader = factories.office_leader_of(coordinator)
    signed = f"/api/v1/rule-sign-offs/{sign_off['id']}/transitions/"
    assert ok(as_(leader).post(signed, {"name": "approve"}, format="json"))["status"] == "approved"
    implementing = ok(as_(coordinator).get(case_url.replace("transitions/", "")))
    assert implementing["status"] == "implementing"

    for officer in (third_party_officer, department_officer):
        (item,) = ok(as_(officer).get("/api/v1/action-items/"))["results"]
        item_url = f"/api/v1/action-items/{item['id']}/transitions/"
        ok(as_(officer).post(item_url, {"name": "sign"}, format="json"))
        ok(as_(officer).post(item_url, {"name": "complete", "note": "已完成"}, format="json"))

    review = ok(as_(coordinator).get(f"/api/v1/cases/{case['id']}/"))
    assert (review["status"], review["progress"]) == ("under_review", {"done": 2, "total": 2})
    ok(as_(coordinator).post(case_url, {"name": "resolve"}, format="json"))
    resolved = ok(as_(enterprise_user).get(f"/api/v1/cases/{case['id']}/"))
    assert (resolved["status"], resolved["progress"]) == ("resolved", {"done": 2, "total": 2})
    closed = ok(
        as_(enterprise_user).post(
            case_url, {"name": "confirm", "rating": "satisfied"}, format="json"
        )
    )
    assert closed["status"] == "closed"

    kinds = list(Event.objects.filter(case_id=case["id"]).values_list("kind", flat=True))
    assert kinds[:4] == ["created", "submit", "accept", "convene"]
    assert {"session_conclude", "deliberate", "issue_rules", "resolve", "confirm"} <= set(kinds)


def test_escalation_from_a_blocked_item_to_a_new_session(
    api, coordinator, accepted_case, department_officer, zigui_org, kaitou_org
):
    from tests import factories
    from workflow.items import services as action_items

    case = action_items.case_assign(
        case=accepted_case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(9)}
        ],
    )
    item = case.action_items.get()
    action_items.action_item_sign(item=item, by=department_officer)
    action_items.action_item_block(item=item, by=department_officer, reason="需相邻地块业主配合")
    session = factories.session(case, coordinator, title="协调相邻地块")
    case.refresh_from_db()
    assert case.status == "convening"
    response = api.as_user(department_officer).get(f"/api/v1/sessions/{session.pk}/")
    assert response.status_code == 200  # the item's owner sees the case, hence its sessions

    from workflow.implementation import services as implementation_rules
    from workflow.sessions import opinions as session_opinions
    from workflow.sessions import participants as session_participants
    from workflow.sessions import services as sessions

    part = session_participants.participant_invite(
        session=session,
        by=coordinator,
        capacity="department",
        organisation=zigui_org,
        required=True,
    )
    sessions.session_notify(session=session, by=coordinator)
    factories.meeting_time_comes(session)
    sessions.session_start(session=session, by=coordinator)
    session_participants.participant_mark_attendance(
        participant=part, by=coordinator, attendance="present"
    )
    session_opinions.opinion_record(participant=part, by=department_officer, stance="support")
    sessions.session_conclude(
        session=session, by=coordinator, summary="开投集团配合", legal_basis="依据"
    )
    implementation_rules.rule_item_add(
        case=case,
        by=coordinator,
        title="相邻地块配合施工",
        owner=kaitou_org,
        due_date=factories.due_in(15),
    )
    case = factories.issue_rules(case, by=coordinator)
    assert case.status == "implementing"
    statuses = dict(case.action_items.values_list("title", "status"))
    assert statuses == {"规划审批": "blocked", "相邻地块配合施工": "assigned"}
