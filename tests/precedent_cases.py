"""Resolved and deliberated cases for the precedents' tests, made through the services."""

from cases.models import Case, Category
from tests import factories
from workflow.casefile import services as case_services
from workflow.items import services as item_services
from workflow.sessions import opinions, participants
from workflow.sessions import services as sessions


def closed_case(enterprise_user, coordinator, officer, *, category="utility_relocation", **fields):
    """A case filed by `enterprise_user`, assigned to `officer`'s organisation, done, resolved
    and confirmed as satisfied."""
    case = factories.assigned_case(
        enterprise_user,
        coordinator,
        officer.organisation,
        category=Category.objects.get(code=category),
        **fields,
    )
    for item in case.action_items.all():
        item_services.action_item_sign(item=item, by=officer)
        item_services.action_item_complete(item=item, by=officer, note="已办结。")
    item_services.case_resolve(case=Case.objects.get(pk=case.pk), by=coordinator)
    return case_services.case_confirm(
        case=Case.objects.get(pk=case.pk), by=enterprise_user, rating="satisfied", comment=""
    )


def deliberated_case(enterprise_user, coordinator, officer, **fields):
    """A case accepted and deliberated by a session where `officer`'s organisation spoke."""
    case = factories.case(enterprise_user, **fields)
    case_services.case_accept(case=case, by=coordinator)
    session = factories.session(Case.objects.get(pk=case.pk), coordinator)
    participant = participants.participant_invite(
        session=session,
        by=coordinator,
        capacity="department",
        organisation=officer.organisation,
        required=True,
    )
    sessions.session_notify(session=session, by=coordinator)
    factories.meeting_time_comes(session)
    sessions.session_start(session=session, by=coordinator)
    participants.participant_mark_attendance(
        participant=participant, by=coordinator, attendance="present"
    )
    opinions.opinion_record(participant=participant, by=officer, stance="support", reasons="同意")
    sessions.session_conclude(
        session=session,
        by=coordinator,
        summary="依法实施迁改",
        legal_basis="《城镇供水条例》第三十条",
        responsible_organisations=[officer.organisation],
    )
    return Case.objects.get(pk=case.pk)
