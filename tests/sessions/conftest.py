"""Personas and a session walked to each stage, for the joint session tests."""

import pytest

from tests import factories
from workflow.casefile import services as case_services
from workflow.sessions import opinions as session_opinions
from workflow.sessions import participants as session_participants
from workflow.sessions import services as sessions


@pytest.fixture
def npc_deputy(db):
    return factories.user("deputy", None, representative_capacity="npc_deputy")


@pytest.fixture
def citizen_rep(db):
    return factories.user("citizen", None, representative_capacity="citizen")


@pytest.fixture
def accepted_case(submitted_case, coordinator):
    return case_services.case_accept(case=submitted_case, by=coordinator)


@pytest.fixture
def scheduled(accepted_case, coordinator):
    return factories.session(accepted_case, coordinator)


@pytest.fixture
def invited(scheduled, coordinator, zigui_org, kaitou_org, legal_expert, npc_deputy):
    """资规局 and 海曙开投集团 required; the legal expert and the deputy invited as well."""
    invite = session_participants.participant_invite
    parts = {
        "zigui": invite(
            session=scheduled,
            by=coordinator,
            capacity="department",
            organisation=zigui_org,
            required=True,
        ),
        "kaitou": invite(
            session=scheduled,
            by=coordinator,
            capacity="third_party",
            organisation=kaitou_org,
            required=True,
        ),
        "legal": invite(
            session=scheduled, by=coordinator, capacity="legal_expert", person=legal_expert
        ),
        "deputy": invite(
            session=scheduled, by=coordinator, capacity="npc_deputy", person=npc_deputy
        ),
    }
    return scheduled, parts


@pytest.fixture
def in_progress(invited, coordinator):
    session, parts = invited
    sessions.session_notify(session=session, by=coordinator)
    factories.meeting_time_comes(session)
    session = sessions.session_start(session=session, by=coordinator)
    return session, parts


@pytest.fixture
def quorate(in_progress, coordinator, department_officer, third_party_officer):
    """Both required participants present with an opinion recorded."""
    session, parts = in_progress
    for key, officer in (("zigui", department_officer), ("kaitou", third_party_officer)):
        session_participants.participant_mark_attendance(
            participant=parts[key], by=coordinator, attendance="present"
        )
        session_opinions.opinion_record(
            participant=parts[key], by=officer, stance="support", reasons="同意"
        )
    return session, parts


@pytest.fixture
def concluded(quorate, coordinator, kaitou_org, zigui_org):
    session, parts = quorate
    session = sessions.session_conclude(
        session=session,
        by=coordinator,
        summary="由相邻地块的海曙开投集团报资规局审批实施",
        legal_basis="《中华人民共和国城乡规划法》第四十条",
        responsible_organisations=[kaitou_org, zigui_org],
    )
    return session, parts
