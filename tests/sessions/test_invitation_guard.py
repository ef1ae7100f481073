"""The invitation guard holds for every capacity: no organisation of another enterprise, and no
person of one, is ever invited to a case's session, 列席 (observer) included."""

from datetime import timedelta

import pytest
from django.utils import timezone

from departments.models import User
from tests import factories
from workflow.sessions import participants as session_participants
from workflow.sessions import services as sessions
from workflow.sessions.models import SessionParticipant

CAPACITIES = SessionParticipant.Capacity.values


def participants_url(session):
    return f"/api/v1/sessions/{session.pk}/participants/"


@pytest.fixture
def competitor_staff(other_enterprise_org):
    """A competitor's employee who also holds every representative capacity in turn."""
    return factories.user("competitor", other_enterprise_org)


@pytest.mark.parametrize("capacity", CAPACITIES)
def test_no_organisation_of_another_enterprise_in_any_capacity(
    api, coordinator, scheduled, other_enterprise_org, other_enterprise_user, capacity
):
    response = api.as_user(coordinator).post(
        participants_url(scheduled),
        {"capacity": capacity, "organisation": other_enterprise_org.pk},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["fields"]["organisation"]
    assert not scheduled.participants.exists()
    session_url = f"/api/v1/sessions/{scheduled.pk}/"
    assert api.as_user(other_enterprise_user).get(session_url).status_code == 404


@pytest.mark.parametrize("capacity", CAPACITIES)
def test_no_person_of_another_enterprise_in_any_capacity(
    api, coordinator, scheduled, competitor_staff, capacity
):
    if capacity in session_participants.REPRESENTATIVES:
        competitor_staff.representative_capacity = capacity
        competitor_staff.save()
    for body in (
        {"capacity": capacity, "person": competitor_staff.pk},
        {
            "capacity": capacity,
            "person": competitor_staff.pk,
            "organisation": competitor_staff.organisation_id,
        },
    ):
        response = api.as_user(coordinator).post(participants_url(scheduled), body, format="json")
        assert response.status_code == 400, response.json()
        assert response.json()["error"]["fields"]["organisation"]
    assert not scheduled.participants.exists()
    session_url = f"/api/v1/sessions/{scheduled.pk}/"
    assert api.as_user(competitor_staff).get(session_url).status_code == 404


def test_the_case_enterprise_may_sit_in_and_government_may_observe(
    api, coordinator, scheduled, enterprise_org, enterprise_user, zhujian_org
):
    """The guard refuses only the other enterprises: the filing enterprise, its staff and the
    government side are invited as before."""
    url = participants_url(scheduled)
    for body in (
        {"capacity": "enterprise", "organisation": enterprise_org.pk},
        {"capacity": "observer", "person": enterprise_user.pk},
        {"capacity": "observer", "organisation": zhujian_org.pk},
    ):
        response = api.as_user(coordinator).post(url, body, format="json")
        assert response.status_code == 201, (body, response.json())


def test_the_invite_form_offers_no_other_enterprise_in_any_capacity(
    scheduled, other_enterprise_org, competitor_staff
):
    competitor_staff.representative_capacity = "citizen"
    competitor_staff.save()
    offered = session_participants.invitable(scheduled)
    for capacity, found in offered.items():
        for choice in found:
            organisation = choice.organisation if isinstance(choice, User) else choice
            assert organisation != other_enterprise_org, capacity


def test_bulk_invite_refuses_another_enterprise_all_or_none(
    coordinator, scheduled, zhujian_org, other_enterprise_org
):
    with pytest.raises(Exception) as refused:
        session_participants.participants_invite(
            session=scheduled,
            by=coordinator,
            invitations=[
                {"capacity": "department", "organisation": zhujian_org},
                {"capacity": "observer", "organisation": other_enterprise_org},
            ],
        )
    assert "invitations" in refused.value.message_dict
    assert not scheduled.participants.exists()


def test_a_follow_up_does_not_carry_over_who_has_moved_to_another_enterprise(
    coordinator, scheduled, enterprise_org, other_enterprise_org, zigui_org
):
    """A person invited from the filing enterprise who has since joined a competitor is not
    invited again by the follow-up session: the guard holds on that path too."""
    staff = factories.user("staff", enterprise_org)
    invite = session_participants.participant_invite
    invite(session=scheduled, by=coordinator, capacity="observer", person=staff)
    invite(session=scheduled, by=coordinator, capacity="department", organisation=zigui_org)
    sessions.session_notify(session=scheduled, by=coordinator)
    adjourned = sessions.session_cancel(session=scheduled, by=coordinator, reason="改期")
    staff.organisation = other_enterprise_org
    staff.save()
    follow_up = sessions.session_follow_up(
        session=adjourned, by=coordinator, scheduled_at=timezone.now() + timedelta(days=5)
    )
    carried = list(follow_up.participants.values_list("person_id", "organisation_id"))
    assert carried == [(None, zigui_org.pk)]
