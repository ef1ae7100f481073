"""A department's lists start at the newest case it is involved in (docs/performance.md, run D).

Each involvement copies its case's created_at so that "the newest case this organisation or
person is involved in" is one index lookup; the case lists bound their newest-first scan by
it. The copy must be written by every service that involves someone, and the bound must never
hide a case the reader is involved in.
"""

import pytest

from cases.models import Case, CaseInvolvement
from tests import factories
from workflow.casefile.services import case_accept
from workflow.sessions.participants import participant_invite

pytestmark = pytest.mark.django_db


def listed(api, user, url="/api/v1/cases/"):
    response = api.as_user(user).get(url)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_every_service_that_involves_an_organisation_copies_the_case_filing_time(
    enterprise_user, coordinator, zigui_org, zhujian_org, category
):
    assigned = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    convened = factories.case(enterprise_user, category=category)
    case_accept(case=convened, by=coordinator)
    participant_invite(
        session=factories.session(convened, coordinator),
        by=coordinator,
        capacity="department",
        organisation=zhujian_org,
    )

    for case, organisation in ((assigned, zigui_org), (convened, zhujian_org)):
        (involved,) = CaseInvolvement.objects.filter(case=case)
        assert involved.organisation_id == organisation.pk
        assert involved.case_created_at == Case.objects.get(pk=case.pk).created_at


def test_a_department_sees_its_older_case_behind_newer_cases_it_has_no_part_in(
    api, enterprise_user, coordinator, department_officer, zigui_org, zhujian_org, category
):
    own = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    others = [
        factories.assigned_case(enterprise_user, coordinator, zhujian_org, category=category),
        factories.case(enterprise_user, category=category),
    ]

    assert listed(api, department_officer) == [own.pk]
    assert listed(api, department_officer, "/api/v1/cases/?status=implementing") == [own.pk]

    newest = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    assert listed(api, department_officer) == [newest.pk, own.pk]
    assert set(listed(api, coordinator)) == {newest.pk, own.pk, *(case.pk for case in others)}


def test_a_person_involved_alone_sees_the_case_whether_or_not_their_organisation_is(
    api, enterprise_user, coordinator, department_officer, zhujian_org, category
):
    other_department = factories.user("zhujian2", zhujian_org)
    no_organisation = factories.user("deputy", None, representative_capacity="npc_deputy")
    older = factories.case(enterprise_user, category=category)
    factories.assigned_case(enterprise_user, coordinator, zhujian_org, category=category)
    for person in (department_officer, other_department, no_organisation):
        CaseInvolvement.objects.create(case=older, person=person, reason="session")

    # department_officer's organisation has no involvement at all; other_department's has a
    # newer one; the deputy has no organisation.
    assert listed(api, department_officer) == [older.pk]
    assert older.pk in listed(api, other_department)
    assert listed(api, no_organisation) == [older.pk]


def test_a_department_with_no_involvement_sees_no_case(
    api, enterprise_user, department_officer, category
):
    factories.case(enterprise_user, category=category)

    assert listed(api, department_officer) == []
