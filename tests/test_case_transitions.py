"""Every case transition through the API: fired from each legal source, refused (409) from every
other state, refused (403) for each role that may not fire it, and recorded as one event."""

import pytest

from cases.models import Case
from tests import factories
from workflow.casefile import services
from workflow.items import services as action_items
from workflow.record.models import Event

# The direct route's table: transition → the states it may be fired from, and who fires it.
LEGAL_SOURCES = {
    "submit": {"draft"},
    "return_for_info": {"submitted"},
    "resubmit": {"needs_info"},
    "reject": {"submitted", "needs_info"},
    "accept": {"submitted"},
    "assign": {"accepted", "implementing"},
    "resolve": {"under_review"},
    "send_back": {"under_review"},
    "confirm": {"resolved"},
    "withdraw": {"draft", "submitted", "needs_info", "accepted", "implementing", "under_review"},
}
FIRED_BY = {
    "submit": "enterprise_user",
    "return_for_info": "coordinator",
    "resubmit": "enterprise_user",
    "reject": "coordinator",
    "accept": "coordinator",
    "assign": "coordinator",
    "resolve": "coordinator",
    "send_back": "coordinator",
    "confirm": "enterprise_user",
    "withdraw": "enterprise_user",
}
# States the direct route can reach; the session route's states are covered by its own tests.
DIRECT_ROUTE_STATES = [
    "draft",
    "submitted",
    "needs_info",
    "accepted",
    "implementing",
    "under_review",
    "resolved",
    "closed",
    "rejected",
    "withdrawn",
]


def body_for(name, zigui_org, case=None):
    done = case.action_items.filter(status="done") if case else []
    return {
        "send_back": {
            "items": [item.pk for item in done],
            "reason": "佐证材料不全",
            "due_date": factories.due_in(10).isoformat(),
        },
        "return_for_info": {"reason": "请补充红线图"},
        "reject": {"reason": "不属于受理范围"},
        "withdraw": {"reason": "已自行解决"},
        "assign": {
            "assignments": [
                {"organisation": zigui_org.pk, "title": "规划审批", "due_date": "2030-01-10"}
            ]
        },
        "confirm": {"rating": "satisfied", "comment": "满意"},
    }.get(name, {})


@pytest.fixture
def case_in(enterprise_user, coordinator, department_officer, zigui_org, category):
    """`case_in(state)` walks a new case to `state` through the services."""

    def walk(state):
        case = factories.case(enterprise_user, category=category, submit=state != "draft")
        if state in ("needs_info",):
            services.case_return_for_info(case=case, by=coordinator, reason="补正")
        if state == "rejected":
            services.case_reject(case=case, by=coordinator, reason="不予受理")
        if state == "withdrawn":
            services.case_withdraw(case=case, by=enterprise_user, reason="撤回")
        if state in ("accepted", "implementing", "under_review", "resolved", "closed"):
            services.case_accept(case=case, by=coordinator)
        if state in ("implementing", "under_review", "resolved", "closed"):
            action_items.case_assign(
                case=case,
                by=coordinator,
                assignments=[
                    {
                        "organisation": zigui_org,
                        "title": "规划审批",
                        "due_date": factories.due_in(9),
                    }
                ],
            )
        if state in ("under_review", "resolved", "closed"):
            item = case.action_items.get()
            action_items.action_item_sign(item=item, by=department_officer)
            action_items.action_item_complete(item=item, by=department_officer, note="已办结")
        if state in ("resolved", "closed"):
            action_items.case_resolve(case=case, by=coordinator)
        if state == "closed":
            services.case_confirm(case=case, by=enterprise_user, rating="satisfied")
        case.refresh_from_db()
        assert case.status == state
        return case

    return walk


def test_the_table_matches_the_state_machine():
    declared = {}
    for transition in Case._meta.get_field("status").get_all_transitions(Case):
        declared.setdefault(transition.name, set()).add(transition.source)
    for name, sources in LEGAL_SOURCES.items():
        # Withdrawing from the session route's states is tested with the sessions.
        assert declared[name] & set(DIRECT_ROUTE_STATES) == sources, name


def fire(api, user, case, name, zigui_org):
    return api.as_user(user).post(
        f"/api/v1/cases/{case.pk}/transitions/",
        {"name": name, **body_for(name, zigui_org, case)},
        format="json",
    )


LEGAL = [(name, state) for name, states in LEGAL_SOURCES.items() for state in sorted(states)]
ILLEGAL = [
    (name, state)
    for name, states in LEGAL_SOURCES.items()
    for state in DIRECT_ROUTE_STATES
    if state not in states
]


@pytest.mark.parametrize("name,state", LEGAL)
def test_transition_fires_from_each_legal_source_and_records_one_event(
    request, api, case_in, zigui_org, name, state
):
    case = case_in(state)
    same_kind_before = Event.objects.filter(case=case, kind=name).count()
    actor = request.getfixturevalue(FIRED_BY[name])

    offered = api.as_user(actor).get(f"/api/v1/cases/{case.pk}/transitions/").json()
    assert name in [t["name"] for t in offered]
    response = fire(api, actor, case, name, zigui_org)

    assert response.status_code == 200, response.json()
    event = Event.objects.filter(case=case, kind=name).latest("id")
    assert event.actor == actor
    assert event.from_state == state
    assert event.to_state == response.json()["status"]
    assert Event.objects.filter(case=case, kind=name).count() == same_kind_before + 1


@pytest.mark.parametrize("name,state", ILLEGAL)
def test_transition_is_refused_from_every_other_state_and_changes_nothing(
    request, api, case_in, zigui_org, name, state
):
    case = case_in(state)
    events_before = Event.objects.filter(case=case).count()
    actor = request.getfixturevalue(FIRED_BY[name])
    # A draft is the enterprise's own until submitted: the office cannot even find it.
    expected = 404 if state == "draft" and FIRED_BY[name] == "coordinator" else 409

    offered = api.as_user(actor).get(f"/api/v1/cases/{case.pk}/transitions/")
    response = fire(api, actor, case, name, zigui_org)

    assert response.status_code == expected, response.json()
    assert response.json()["error"]["code"]
    if expected == 409:
        assert name not in [t["name"] for t in offered.json()]
    case.refresh_from_db()
    assert case.status == state
    assert Event.objects.filter(case=case).count() == events_before


# Roles that can see a case in these states but may not fire the transition: 403.
WRONG_ROLES = {
    "enterprise_user": ["coordinator", "department_officer"],
    "coordinator": ["enterprise_user", "department_officer"],
}


@pytest.mark.parametrize(
    "name,state,role",
    [
        (name, state, role)
        for name, state in LEGAL
        for role in WRONG_ROLES[FIRED_BY[name]]
        if not (state == "draft" and role == "coordinator")
    ],
)
def test_transition_is_refused_for_a_role_that_may_not_fire_it(
    request, api, case_in, zigui_org, name, state, role
):
    case = case_in(state)
    events_before = Event.objects.filter(case=case).count()
    user = request.getfixturevalue(role)
    sees_case = Case.objects.visible_to(user).filter(pk=case.pk).exists()

    response = fire(api, user, case, name, zigui_org)

    assert response.status_code == (403 if sees_case else 404), response.json()
    case.refresh_from_db()
    assert case.status == state
    assert Event.objects.filter(case=case).count() == events_before


@pytest.mark.parametrize("name", sorted(LEGAL_SOURCES))
def test_another_enterprise_cannot_fire_or_even_find_the_case(
    api, case_in, other_enterprise_user, zigui_org, name
):
    state = sorted(LEGAL_SOURCES[name])[0]
    case = case_in(state)

    response = fire(api, other_enterprise_user, case, name, zigui_org)

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == state


def test_resolve_is_refused_while_an_item_is_open(api, case_in, coordinator, zigui_org):
    case = case_in("implementing")

    response = fire(api, coordinator, case, "resolve", zigui_org)

    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == "implementing"


def test_dissatisfied_enterprise_reopens_the_case(api, case_in, enterprise_user, zigui_org):
    case = case_in("resolved")

    response = api.as_user(enterprise_user).post(
        f"/api/v1/cases/{case.pk}/transitions/",
        {"name": "confirm", "rating": "dissatisfied", "comment": "管线仍未迁改"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    event = Event.objects.filter(case=case, kind="confirm").get()
    assert event.to_state == "accepted"


def test_anonymous_caller_is_refused(api, case_in):
    case = case_in("submitted")
    response = api.post(f"/api/v1/cases/{case.pk}/transitions/", {"name": "accept"}, format="json")
    assert response.status_code in (401, 403)
    case.refresh_from_db()
    assert case.status == "submitted"


def test_the_last_completed_item_puts_the_case_under_review_in_the_systems_name(
    api, case_in, coordinator, enterprise_user
):
    case = case_in("under_review")

    review = Event.objects.get(case=case, kind="submit_for_review")

    assert review.actor is None and review.payload == {"automatic": True}
    assert review.id > Event.objects.get(case=case, kind="action_item_complete").id
    assert not Event.objects.filter(case=case, kind="resolve").exists()
    # The office is told; the enterprise is not asked yet.
    assert coordinator.notifications.filter(case=case, kind="review_requested").exists()
    assert not enterprise_user.notifications.filter(case=case).exists()
    page = api.as_user(coordinator).get(f"/api/v1/cases/{case.pk}/events/?page_size=50")
    assert page.json()["results"][-1]["kind"] == "submit_for_review"
