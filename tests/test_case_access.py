"""Who sees a case through its involvements, kept as one access row per organisation or person
and case (`CaseAccess`, docs/performance.md, run F).

The lists of a department, a third party or an invited person are read from these rows, so
they must follow the involvements exactly: written by every service that adds or removes one,
in its transaction, with the case's filing time copied; never one row more (a case shown that
the reader may not open) or one fewer (a case hidden).
"""

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Case, CaseAccess, CaseInvolvement, sync_case_access
from tests import factories
from workflow.casefile.services import case_accept, case_withdraw
from workflow.items.services import (
    action_item_cancel,
    action_item_reassign,
    action_item_return,
)
from workflow.sessions.participants import participant_invite

pytestmark = pytest.mark.django_db


def listed(api, user, url="/api/v1/cases/"):
    response = api.as_user(user).get(url)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def viewers(case) -> set:
    return set(CaseAccess.objects.filter(case=case).values_list("organisation_id", "person_id"))


def involved(case) -> set:
    return set(
        CaseInvolvement.objects.filter(case=case).values_list("organisation_id", "person_id")
    )


def test_access_follows_the_involvements_added_removed_and_withdrawn(
    enterprise_user, coordinator, department_officer, zigui_org, zhujian_org, kaitou_org, category
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    assert viewers(case) == involved(case) == {(zigui_org.pk, None)}

    item = action_item_return(
        item=case.action_items.get(), by=department_officer, reason="不属于本单位职责。"
    )
    item = action_item_reassign(item=item, by=coordinator, owner=zhujian_org)
    assert viewers(case) == involved(case) == {(zhujian_org.pk, None)}

    action_item_cancel(item=item, by=coordinator, reason="职责调整")
    assert viewers(case) == involved(case) == set()

    convened = factories.case(enterprise_user, category=category)
    case_accept(case=convened, by=coordinator)
    participant_invite(
        session=factories.session(convened, coordinator),
        by=coordinator,
        capacity="third_party",
        organisation=kaitou_org,
    )
    assert viewers(convened) == involved(convened) == {(kaitou_org.pk, None)}

    # Withdrawing stops the work but leaves the involvements (the parties keep the record):
    # the access rows stay with them.
    withdrawn = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    case_withdraw(case=withdrawn, by=enterprise_user, reason="问题已自行解决")
    assert viewers(withdrawn) == involved(withdrawn) == {(zigui_org.pk, None)}


def test_an_organisation_involved_twice_has_one_access_row_until_both_reasons_go(
    enterprise_user, coordinator, department_officer, zigui_org, category
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    item = action_item_return(
        item=case.action_items.get(), by=department_officer, reason="需要联合会商。"
    )
    participant_invite(
        session=factories.session(case, coordinator),
        by=coordinator,
        capacity="department",
        organisation=zigui_org,
    )
    assert CaseInvolvement.objects.filter(case=case).count() == 2
    (access,) = CaseAccess.objects.filter(case=case)
    assert access.organisation_id == zigui_org.pk
    assert access.case_created_at == Case.objects.get(pk=case.pk).created_at

    action_item_cancel(item=item, by=coordinator, reason="职责调整")
    assert involved(case) == viewers(case) == {(zigui_org.pk, None)}  # still invited


def test_a_department_lists_exactly_its_accessible_cases_newest_first_page_by_page(
    api, enterprise_user, coordinator, department_officer, zigui_org, zhujian_org, category
):
    own = [
        factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
        for _ in range(3)
    ]
    factories.assigned_case(enterprise_user, coordinator, zhujian_org, category=category)
    factories.case(enterprise_user, category=category)
    expected = [case.pk for case in reversed(own)]

    assert listed(api, department_officer) == expected
    first = api.as_user(department_officer).get("/api/v1/cases/?page_size=2").json()
    second = api.as_user(department_officer).get(first["next"]).json()
    assert [row["id"] for row in first["results"] + second["results"]] == expected
    back = api.as_user(department_officer).get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == expected[:2]
    assert listed(api, department_officer, "/api/v1/cases/?status=implementing") == expected


def test_a_person_with_access_of_their_own_sees_the_case_whether_or_not_their_organisation_does(
    api, enterprise_user, coordinator, department_officer, zhujian_org, category
):
    other_department = factories.user("zhujian2", zhujian_org)
    no_organisation = factories.user("deputy", None, representative_capacity="npc_deputy")
    older = factories.case(enterprise_user, category=category)
    newer = factories.assigned_case(enterprise_user, coordinator, zhujian_org, category=category)
    for person in (department_officer, other_department, no_organisation):
        CaseInvolvement.objects.create(case=older, person=person, reason="session")
    sync_case_access(older)

    # department_officer's organisation has no access at all; other_department's has a newer
    # case (two sets merged); the deputy has no organisation.
    assert listed(api, department_officer) == [older.pk]
    assert listed(api, other_department) == [newer.pk, older.pk]
    assert listed(api, no_organisation) == [older.pk]


def test_an_enterprise_lists_its_own_cases_and_one_it_has_access_to(
    api, enterprise_user, other_enterprise_user, coordinator, category
):
    draft = factories.case(enterprise_user, category=category, submit=False)
    filed = factories.case(enterprise_user, category=category)
    another = factories.case(other_enterprise_user, category=category)

    assert listed(api, enterprise_user) == [filed.pk, draft.pk]
    assert listed(api, enterprise_user, "/api/v1/action-items/") == []

    CaseInvolvement.objects.create(case=another, person=enterprise_user, reason="session")
    sync_case_access(another)
    assert listed(api, enterprise_user) == [another.pk, filed.pk, draft.pk]
    assert listed(api, other_enterprise_user) == [another.pk]


def test_a_department_with_no_access_sees_no_case(
    api, enterprise_user, department_officer, category
):
    factories.case(enterprise_user, category=category)

    assert listed(api, department_officer) == []


def test_sync_case_access_catches_up_on_what_the_previous_release_wrote(
    enterprise_user, coordinator, zigui_org, zhujian_org, department_officer, category
):
    """During an upgrade the previous release involves organisations without access rows; the
    command run after the rollout adds them and removes rows left without an involvement."""
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    CaseInvolvement.objects.create(case=case, organisation=zhujian_org, reason="session")
    CaseInvolvement.objects.create(case=case, person=department_officer, reason="session")
    CaseInvolvement.objects.filter(case=case, organisation=zigui_org).delete()
    assert viewers(case) == {(zigui_org.pk, None)}

    out = StringIO()
    call_command("sync_case_access", stdout=out)

    assert (
        viewers(case) == involved(case) == {(zhujian_org.pk, None), (None, department_officer.pk)}
    )
    assert out.getvalue().strip() == "Access rows added: 2; removed: 1."
    (row,) = CaseAccess.objects.filter(case=case, person=department_officer)
    assert row.case_created_at == Case.objects.get(pk=case.pk).created_at
