"""Every action item transition through the API: fired from each legal source, refused (409)
from every other state, refused (403) for each role that may not fire it, and recorded."""

import pytest

from tests import factories
from workflow.items import services
from workflow.items.models import ActionItem
from workflow.record.models import Event

# API name → (model method, legal sources, who fires it)
TABLE = {
    "sign": ("sign", {"assigned"}, "department_officer"),
    "return": ("return_to_coordinator", {"assigned", "signed"}, "department_officer"),
    "start": ("start", {"signed"}, "department_officer"),
    "block": ("block", {"signed", "in_progress"}, "department_officer"),
    "unblock": ("unblock", {"blocked"}, "department_officer"),
    "complete": ("complete", {"signed", "in_progress"}, "department_officer"),
    "reassign": ("reassign", {"returned"}, "coordinator"),
    "cancel": (
        "cancel",
        {"assigned", "signed", "in_progress", "blocked", "returned"},
        "coordinator",
    ),
}
STATES = ["assigned", "signed", "in_progress", "blocked", "done", "returned", "cancelled"]


@pytest.fixture
def item_in(enterprise_user, coordinator, department_officer, zigui_org, zhujian_org, category):
    """`item_in(state)`: 资规局's item on a case that also has 住建局's item, so finishing
    资规局's item does not resolve the case."""

    def walk(state):
        case = factories.assigned_case(
            enterprise_user, coordinator, zigui_org, zhujian_org, category=category
        )
        item = case.action_items.get(owner=zigui_org)
        officer = department_officer
        if state in ("signed", "in_progress", "blocked", "done"):
            services.action_item_sign(item=item, by=officer)
        if state == "in_progress":
            services.action_item_start(item=item, by=officer)
        if state == "blocked":
            services.action_item_block(item=item, by=officer, reason="红线未定")
        if state == "done":
            services.action_item_complete(item=item, by=officer, note="已办结")
        if state == "returned":
            services.action_item_return(item=item, by=officer, reason="不属于本单位职责")
        if state == "cancelled":
            services.action_item_cancel(item=item, by=coordinator, reason="合并办理")
        item.refresh_from_db()
        assert item.status == state
        return item

    return walk


def body_for(name, zhujian_org):
    return {
        "return": {"reason": "不属于本单位职责"},
        "block": {"reason": "等待红线图"},
        "cancel": {"reason": "合并办理"},
        "complete": {"note": "已办结"},
        "reassign": {"owner": zhujian_org.pk},
    }.get(name, {})


def fire(api, user, item, name, zhujian_org):
    return api.as_user(user).post(
        f"/api/v1/action-items/{item.pk}/transitions/",
        {"name": name, **body_for(name, zhujian_org)},
        format="json",
    )


def test_the_table_matches_the_state_machine():
    declared = {}
    for transition in ActionItem._meta.get_field("status").get_all_transitions(ActionItem):
        declared.setdefault(transition.name, set()).add(transition.source)
    for method, sources, _role in TABLE.values():
        assert declared[method] == sources, method


LEGAL = [(name, state) for name, (_m, states, _r) in TABLE.items() for state in sorted(states)]
ILLEGAL = [
    (name, state)
    for name, (_m, states, _r) in TABLE.items()
    for state in STATES
    if state not in states
]


@pytest.mark.parametrize("name,state", LEGAL)
def test_item_transition_fires_from_each_legal_source_and_is_recorded(
    request, api, item_in, zhujian_org, name, state
):
    item = item_in(state)
    method, _sources, role = TABLE[name]
    actor = request.getfixturevalue(role)

    offered = api.as_user(actor).get(f"/api/v1/action-items/{item.pk}/transitions/").json()
    assert name in [t["name"] for t in offered]
    response = fire(api, actor, item, name, zhujian_org)

    assert response.status_code == 200, response.json()
    event = Event.objects.filter(action_item=item, kind=f"action_item_{method}").get()
    assert (event.actor, event.from_state) == (actor, state)
    assert event.to_state == response.json()["status"]


@pytest.mark.parametrize("name,state", ILLEGAL)
def test_item_transition_is_refused_from_every_other_state(
    request, api, item_in, zhujian_org, name, state
):
    item = item_in(state)
    events_before = Event.objects.filter(case=item.case).count()
    actor = request.getfixturevalue(TABLE[name][2])

    response = fire(api, actor, item, name, zhujian_org)

    assert response.status_code == 409, response.json()
    item.refresh_from_db()
    assert item.status == state
    assert Event.objects.filter(case=item.case).count() == events_before


# 住建局 holds the case's other item and so sees this one, but may not touch it; 开投集团 is not
# involved in the case and cannot even find the item.
WRONG_ROLES = {
    "department_officer": [
        ("coordinator", 403),
        ("other_department_officer", 403),
        ("third_party_officer", 404),
    ],
    "coordinator": [
        ("department_officer", 403),
        ("other_department_officer", 403),
        ("third_party_officer", 404),
    ],
}


@pytest.mark.parametrize(
    "name,state,role,expected",
    [
        (name, state, role, expected)
        for name, state in LEGAL
        for role, expected in WRONG_ROLES[TABLE[name][2]]
        # the coordinator may unblock as well as the owner
        if not (name == "unblock" and role == "coordinator")
    ],
)
def test_item_transition_is_refused_for_a_role_that_may_not_fire_it(
    request, api, item_in, zhujian_org, name, state, role, expected
):
    item = item_in(state)
    user = request.getfixturevalue(role)
    response = fire(api, user, item, name, zhujian_org)

    assert response.status_code == expected, response.json()
    item.refresh_from_db()
    assert item.status == state


def test_the_coordinator_may_unblock_an_item(api, item_in, coordinator, zhujian_org):
    item = item_in("blocked")
    assert fire(api, coordinator, item, "unblock", zhujian_org).status_code == 200
    item.refresh_from_db()
    assert item.status == "in_progress"
