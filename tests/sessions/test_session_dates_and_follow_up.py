"""The session's dates (scheduled ahead, started on its day, concluded from its time), the
follow-up after an adjournment or a cancellation, inviting several parties at once, 全部到会,
and the organisations a resolution may hold responsible: each guard in the services, as the
API reports it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cases.models import Case
from config.fsm import Conflict
from departments.models import User
from tests import factories
from workflow.sessions import participants as session_participants
from workflow.sessions import services as sessions
from workflow.sessions.models import JointSession, SessionParticipant

pytestmark = pytest.mark.django_db


def transitions_url(session):
    return f"/api/v1/sessions/{session.pk}/transitions/"


# ---- dates -------------------------------------------------------------------------------


def test_a_session_is_scheduled_in_the_future(api, coordinator, accepted_case):
    past = (timezone.now() - timedelta(days=14)).isoformat()
    response = api.as_user(coordinator).post(
        "/api/v1/sessions/",
        {"case": accepted_case.pk, "title": "补开的会", "scheduled_at": past},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "scheduled_at" in error["fields"]
    assert "会议时间必须晚于现在" in error["fields"]["scheduled_at"][0]
    # Nothing half-written: the case was not convened, no session exists.
    assert Case.objects.get(pk=accepted_case.pk).status == Case.Status.ACCEPTED
    assert not JointSession.objects.exists()


def test_convening_from_the_case_checks_the_date_too(api, coordinator, accepted_case):
    response = api.as_user(coordinator).post(
        f"/api/v1/cases/{accepted_case.pk}/transitions/",
        {"name": "convene", "title": "会", "scheduled_at": "2020-01-01T09:00:00+08:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "scheduled_at" in response.json()["error"]["fields"]
    assert Case.objects.get(pk=accepted_case.pk).status == Case.Status.ACCEPTED


def test_the_date_error_is_in_english_for_an_english_reader(coordinator, accepted_case):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        factories.session(accepted_case, coordinator, scheduled_at=timezone.now())
    message = refused.value.message_dict["scheduled_at"][0]
    assert "future" in message and not any("\u4e00" <= c <= "\u9fff" for c in message)


def test_rescheduling_into_the_past_is_refused(api, coordinator, scheduled):
    response = api.as_user(coordinator).patch(
        f"/api/v1/sessions/{scheduled.pk}/",
        {"scheduled_at": "2020-04-12T14:00:00+08:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "scheduled_at" in response.json()["error"]["fields"]
    # Other changes still go through while the time stays as it was.
    ok = api.as_user(coordinator).patch(
        f"/api/v1/sessions/{scheduled.pk}/", {"place": "线上"}, format="json"
    )
    assert ok.status_code == 200


def test_a_session_cannot_start_before_its_day(api, coordinator, invited):
    session, _ = invited
    sessions.session_notify(session=session, by=coordinator)
    early = api.as_user(coordinator).post(
        transitions_url(session), {"name": "start"}, format="json"
    )
    assert early.status_code == 400
    assert "当天才能开始" in early.json()["error"]["fields"]["scheduled_at"][0]
    assert JointSession.objects.get(pk=session.pk).status == "notified"


def test_start_on_the_day_before_the_hour_is_allowed(coordinator, invited):
    session, _ = invited
    sessions.session_notify(session=session, by=coordinator)
    later_today = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    if later_today <= timezone.now():
        pytest.skip("no time left today")
    JointSession.objects.filter(pk=session.pk).update(scheduled_at=later_today)
    assert sessions.session_start(session=session, by=coordinator).status == "in_progress"


def test_a_non_coordinator_is_refused_before_the_date_is_looked_at(
    api, department_officer, coordinator, invited
):
    session, _ = invited
    sessions.session_notify(session=session, by=coordinator)
    response = api.as_user(department_officer).post(
        transitions_url(session), {"name": "start"}, format="json"
    )
    assert response.status_code == 403


def test_cannot_conclude_before_the_scheduled_time(api, coordinator, quorate, zigui_org):
    session, _ = quorate
    JointSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() + timedelta(hours=2)
    )
    response = api.as_user(coordinator).post(
        transitions_url(session),
        {"name": "conclude", "summary": "决议", "legal_basis": "依据"},
        format="json",
    )
    assert response.status_code == 400
    assert "此前不能形成决议" in response.json()["error"]["fields"]["scheduled_at"][0]
    assert JointSession.objects.get(pk=session.pk).status == "in_progress"


# ---- responsible organisations ---------------------------------------------------------


def test_resolution_cannot_name_an_unrelated_enterprise(
    coordinator, quorate, other_enterprise_org, enterprise_org, kaitou_org
):
    session, _ = quorate
    with pytest.raises(ValidationError) as refused:
        sessions.session_conclude(
            session=session,
            by=coordinator,
            summary="决议",
            legal_basis="依据",
            responsible_organisations=[kaitou_org, other_enterprise_org],
        )
    assert other_enterprise_org.name in refused.value.message_dict["responsible_organisations"][0]
    candidates = set(sessions.responsible_candidates(session))
    assert {kaitou_org, enterprise_org} <= candidates
    assert other_enterprise_org not in candidates


def test_the_api_refuses_an_unrelated_enterprise_as_responsible(
    api, coordinator, quorate, other_enterprise_org
):
    session, _ = quorate
    response = api.as_user(coordinator).post(
        transitions_url(session),
        {
            "name": "conclude",
            "summary": "决议",
            "legal_basis": "依据",
            "responsible_organisations": [other_enterprise_org.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "responsible_organisations" in response.json()["error"]["fields"]


# ---- follow-up -------------------------------------------------------------------------


@pytest.fixture
def adjourned(in_progress, coordinator):
    session, parts = in_progress
    return sessions.session_adjourn(session=session, by=coordinator, reason="需补充测绘资料"), parts


def test_follow_up_carries_the_participants_over(coordinator, adjourned):
    session, parts = adjourned
    when = timezone.now() + timedelta(days=5)
    follow_up = sessions.session_follow_up(session=session, by=coordinator, scheduled_at=when)
    assert follow_up.pk != session.pk and follow_up.status == "scheduled"
    assert (follow_up.title, follow_up.agenda, follow_up.place) == (
        session.title,
        session.agenda,
        session.place,
    )
    old = {(p.capacity, p.organisation_id, p.person_id, p.required) for p in parts.values()}
    new = {
        (p.capacity, p.organisation_id, p.person_id, p.required)
        for p in follow_up.participants.all()
    }
    assert new == old
    # Invited again, not yet told: nobody has an answer, attendance or opinion yet.
    assert set(follow_up.participants.values_list("status", flat=True)) == {"invited"}
    assert set(follow_up.participants.values_list("attendance", flat=True)) == {""}
    assert not SessionParticipant.objects.filter(session=follow_up, opinions__isnull=False)
    # The invitations go out with the new session's notice.
    sessions.session_notify(session=follow_up, by=coordinator)


def test_follow_up_without_participants_and_with_a_new_plan(coordinator, adjourned):
    session, _ = adjourned
    follow_up = sessions.session_follow_up(
        session=session,
        by=coordinator,
        scheduled_at=timezone.now() + timedelta(days=1),
        title="第二次审联体会议",
        agenda=["补充测绘资料", "形成决议"],
        place="线上",
        carry_participants=False,
    )
    assert (follow_up.title, follow_up.agenda, follow_up.place) == (
        "第二次审联体会议",
        ["补充测绘资料", "形成决议"],
        "线上",
    )
    assert not follow_up.participants.exists()


def test_reschedule_after_a_cancellation(coordinator, invited):
    session, _ = invited
    sessions.session_cancel(session=session, by=coordinator, reason="主要参会方时间冲突")
    follow_up = sessions.session_follow_up(
        session=session, by=coordinator, scheduled_at=timezone.now() + timedelta(days=3)
    )
    assert follow_up.participants.count() == 4


def test_follow_up_guards(coordinator, department_officer, adjourned):
    session, _ = adjourned
    when = timezone.now() + timedelta(days=2)
    with pytest.raises(PermissionDenied):
        sessions.session_follow_up(session=session, by=department_officer, scheduled_at=when)
    with pytest.raises(ValidationError) as past:
        sessions.session_follow_up(
            session=session, by=coordinator, scheduled_at=timezone.now() - timedelta(hours=1)
        )
    assert "scheduled_at" in past.value.message_dict
    sessions.session_follow_up(session=session, by=coordinator, scheduled_at=when)
    # One open session at a time: a second follow-up is refused.
    with pytest.raises(Conflict) as twice:
        sessions.session_follow_up(session=session, by=coordinator, scheduled_at=when)
    assert twice.value.code == "session_open"


def test_no_follow_up_from_a_concluded_session(coordinator, concluded):
    when = timezone.now() + timedelta(days=2)
    session, _ = concluded
    with pytest.raises(Conflict):
        sessions.session_follow_up(session=session, by=coordinator, scheduled_at=when)


def test_no_follow_up_from_a_session_still_open(coordinator, scheduled):
    with pytest.raises(Conflict) as refused:
        sessions.session_follow_up(
            session=scheduled, by=coordinator, scheduled_at=timezone.now() + timedelta(days=2)
        )
    assert refused.value.code == "invalid_state"


def test_follow_up_api(api, coordinator, department_officer, adjourned):
    session, _ = adjourned
    url = f"/api/v1/sessions/{session.pk}/follow-up/"
    when = (timezone.now() + timedelta(days=4)).isoformat()
    assert (
        api.as_user(department_officer).post(url, {"scheduled_at": when}, format="json").status_code
        == 403
    )
    missing = api.as_user(coordinator).post(url, {}, format="json")
    assert missing.status_code == 400
    assert "scheduled_at" in missing.json()["error"]["fields"]
    created = api.as_user(coordinator).post(url, {"scheduled_at": when}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "scheduled" and len(body["participants"]) == 4
    again = api.as_user(coordinator).post(url, {"scheduled_at": when}, format="json")
    assert again.status_code == 409


# ---- invitations, attendance ----------------------------------------------------------


def test_invite_several_at_once_all_or_nothing(
    coordinator, scheduled, zigui_org, kaitou_org, legal_expert, other_enterprise_org
):
    invite_many = session_participants.participants_invite
    with pytest.raises(ValidationError) as empty:
        invite_many(session=scheduled, by=coordinator, invitations=[])
    assert "invitations" in empty.value.message_dict
    with pytest.raises(ValidationError) as stranger:
        invite_many(
            session=scheduled,
            by=coordinator,
            invitations=[
                {"capacity": "department", "organisation": zigui_org, "required": True},
                {"capacity": "enterprise", "organisation": other_enterprise_org},
            ],
        )
    assert other_enterprise_org.name in stranger.value.message_dict["invitations"][0]
    assert not scheduled.participants.exists()  # nothing half-written
    invited = invite_many(
        session=scheduled,
        by=coordinator,
        invitations=[
            {"capacity": "department", "organisation": zigui_org, "required": True},
            {"capacity": "third_party", "organisation": kaitou_org},
            {"capacity": "legal_expert", "person": legal_expert},
        ],
    )
    assert [p.required for p in invited] == [True, False, False]
    with pytest.raises(PermissionDenied):
        invite_many(session=scheduled, by=legal_expert, invitations=[])


def test_never_the_administrator_nor_another_enterprises_staff(
    coordinator, scheduled, other_enterprise_user, enterprise_org
):
    admin = User.objects.create_superuser("root", "root@example.org", "x")
    admin.representative_capacity = "legal_expert"
    admin.save()
    invite = session_participants.participant_invite
    with pytest.raises(ValidationError) as refused:
        invite(session=scheduled, by=coordinator, capacity="legal_expert", person=admin)
    assert "person" in refused.value.message_dict
    other_enterprise_user.representative_capacity = "citizen"
    other_enterprise_user.save()
    with pytest.raises(ValidationError) as stranger:
        invite(session=scheduled, by=coordinator, capacity="citizen", person=other_enterprise_user)
    assert "organisation" in stranger.value.message_dict
    with pytest.raises(ValidationError):
        invite(
            session=scheduled,
            by=coordinator,
            capacity="observer",
            organisation=other_enterprise_user.organisation,
        )
    offered = session_participants.invitable(scheduled)
    organisations = {t.pk for found in offered.values() for t in found if not isinstance(t, User)}
    people = {t.pk for found in offered.values() for t in found if isinstance(t, User)}
    assert admin.pk not in people
    assert other_enterprise_user.pk not in people  # has a capacity, but another enterprise's
    assert other_enterprise_user.organisation_id not in organisations
    assert offered["enterprise"] == [enterprise_org]


def test_invitable_leaves_out_who_is_already_invited(coordinator, invited, zigui_org):
    session, _ = invited
    offered = session_participants.invitable(session)
    assert zigui_org not in offered["department"]
    assert not offered["npc_deputy"]  # the only deputy is invited already


def test_all_present(coordinator, in_progress, npc_deputy, department_officer):
    session, parts = in_progress
    with pytest.raises(PermissionDenied):
        session_participants.participants_mark_all_present(session=session, by=department_officer)
    session_participants.participant_rsvp(
        participant=parts["deputy"], by=npc_deputy, answer="declined"
    )
    session_participants.participant_mark_attendance(
        participant=parts["legal"], by=coordinator, attendance="absent"
    )
    marked = session_participants.participants_mark_all_present(session=session, by=coordinator)
    assert {p.pk for p in marked} == {parts["zigui"].pk, parts["kaitou"].pk}
    attendance = dict(session.participants.values_list("pk", "attendance"))
    assert attendance[parts["legal"].pk] == "absent"  # an explicit absence stays
    assert attendance[parts["deputy"].pk] == ""  # who declined is not marked present


def test_all_present_only_while_in_progress(coordinator, invited):
    session, _ = invited
    with pytest.raises(Conflict):
        session_participants.participants_mark_all_present(session=session, by=coordinator)


# ---- shared attachments ------------------------------------------------------------------


def test_only_the_coordinator_shares_an_attachment(
    coordinator, enterprise_user, scheduled, department_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workflow.casefile.contributions import attachment_add

    attachment = attachment_add(
        case=scheduled.case,
        by=enterprise_user,
        upload=SimpleUploadedFile("红线图.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    assert not attachment.shared_with_participants  # default: not shared
    with pytest.raises(PermissionDenied):
        sessions.attachment_share(attachment=attachment, by=department_officer, shared=True)
    assert sessions.attachment_share(
        attachment=attachment, by=coordinator, shared=True
    ).shared_with_participants
