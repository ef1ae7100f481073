"""The session pages as the day's work needs them: several parties invited at once from lists
filtered per capacity, 待通知 until the notice goes out, 全部到会, reschedule and follow-up
after an adjournment or a cancellation, and the invited parties' read-only view of the case
(description, shared attachments, session materials; never anything else)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Comment
from departments.models import User
from tests import factories
from workflow.casefile import services as case_services
from workflow.casefile.contributions import attachment_add
from workflow.sessions import participants as session_participants
from workflow.sessions import services as sessions
from workflow.sessions.models import JointSession

pytestmark = pytest.mark.django_db


def board(client, session):
    return client.get(f"/sessions/{session.pk}/").content.decode()


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# ---- inviting ----------------------------------------------------------------------------


def test_invite_form_lists_only_who_may_be_invited(
    as_user, coordinator, scheduled, other_enterprise_org, enterprise_org, zigui_org, npc_deputy
):
    User.objects.create_superuser("root", "root@example.org", "x", display_name="系统管理员")
    page = board(as_user(coordinator), scheduled)
    form = page[page.index('class="invite-many"') :]
    assert f'value="department:o:{zigui_org.pk}"' in form
    assert f'value="enterprise:o:{enterprise_org.pk}"' in form
    assert f'value="npc_deputy:p:{npc_deputy.pk}"' in form
    assert other_enterprise_org.name not in form
    assert "系统管理员" not in form


def test_invite_several_at_once_once_wrong_once_right(
    as_user, coordinator, scheduled, zigui_org, kaitou_org, npc_deputy, other_enterprise_org
):
    client = as_user(coordinator)
    url = f"/sessions/{scheduled.pk}/participants/"
    empty = client.post(url, {})
    assert empty.status_code == 400
    assert "请至少选择一个参会方" in empty.content.decode()
    forged = client.post(url, {"invitations": [f"enterprise:o:{other_enterprise_org.pk}"]})
    assert forged.status_code == 400
    assert not scheduled.participants.exists()
    tokens = [
        f"department:o:{zigui_org.pk}",
        f"third_party:o:{kaitou_org.pk}",
        f"npc_deputy:p:{npc_deputy.pk}",
    ]
    response = client.post(url, {"invitations": tokens, "required": tokens[:2]}, follow=True)
    assert "已邀请 3 个参会方" in response.content.decode()
    assert sorted(scheduled.participants.values_list("required", flat=True)) == [
        False,
        True,
        True,
    ]


def test_invitees_are_pending_until_the_notice_goes_out(as_user, coordinator, invited):
    session, _ = invited
    client = as_user(coordinator)
    table = board(client, session).split('data-live="participants"')[1].split("</section>")[0]
    assert "待通知" in table and "已邀请" not in table
    sessions.session_notify(session=session, by=coordinator)
    table = board(client, session).split('data-live="participants"')[1].split("</section>")[0]
    assert "已邀请" in table and "待通知" not in table


def test_quorum_card_has_no_tick_when_nobody_is_invited(as_user, coordinator, scheduled):
    card = board(as_user(coordinator), scheduled).split('data-live="quorum"')[1]
    card = card.split("</section>")[0]
    assert "还没有邀请参会方" in card and "✓" not in card


def test_delegate_is_offered_only_with_colleagues(
    as_user, coordinator, invited, npc_deputy, department_officer, department_leader
):
    session, _ = invited
    sessions.session_notify(session=session, by=coordinator)
    deputy_page = board(as_user(npc_deputy), session)
    assert "回复邀请" in deputy_page and "delegated" not in deputy_page
    officer_page = board(as_user(department_officer), session)
    assert 'value="delegated"' in officer_page
    assert str(department_leader) in officer_page


def test_all_present_and_named_attendance_buttons(as_user, coordinator, in_progress):
    session, parts = in_progress
    client = as_user(coordinator)
    page = board(client, session)
    assert f'aria-label="{parts["zigui"].display_name} 到会"' in page
    response = client.post(f"/sessions/{session.pk}/attendance/all/", follow=True)
    assert "已登记全部到会" in response.content.decode()
    assert set(session.participants.values_list("attendance", flat=True)) == {"present"}


def test_responsible_choices_leave_out_other_enterprises(
    as_user, coordinator, quorate, other_enterprise_org, kaitou_org
):
    session, _ = quorate
    page = board(as_user(coordinator), session)
    conclude = page[page.index("session-conclude") :]
    assert kaitou_org.name in conclude or str(kaitou_org) in conclude
    assert str(other_enterprise_org) not in conclude


def test_starting_early_is_told_with_the_time(as_user, coordinator, invited):
    session, _ = invited
    sessions.session_notify(session=session, by=coordinator)
    client = as_user(coordinator)
    start = f'action="/sessions/{session.pk}/transitions/start/"'
    page = board(client, session)
    assert "当天才能开始" in page and start not in page  # not offered; told when instead
    response = client.post(f"/sessions/{session.pk}/transitions/start/", follow=True)
    assert "当天才能开始" in response.content.decode()
    assert JointSession.objects.get(pk=session.pk).status == "notified"
    factories.meeting_time_comes(session)
    assert start in board(client, session)


# ---- reschedule and follow-up --------------------------------------------------------------


def test_reschedule_once_wrong_once_right(as_user, coordinator, scheduled):
    client = as_user(coordinator)
    url = f"/sessions/{scheduled.pk}/reschedule/"
    data = {"title": scheduled.title, "agenda": "议程一", "place": "线上", "video_link": ""}
    past = client.post(url, {**data, "scheduled_at": "2020-01-01T09:00"})
    assert past.status_code == 400
    assert "会议时间必须晚于现在" in past.content.decode()
    when = timezone.now() + timedelta(days=9)
    assert client.post(url, {**data, "scheduled_at": local_input(when)}).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.place == "线上" and scheduled.agenda == ["议程一"]
    assert timezone.localtime(scheduled.scheduled_at).date() == timezone.localtime(when).date()


def test_follow_up_after_an_adjournment_on_the_pages(
    as_user, coordinator, in_progress, department_officer
):
    session, _ = in_progress
    sessions.session_adjourn(session=session, by=coordinator, reason="需补充测绘资料")
    client = as_user(coordinator)
    page = board(client, session)
    assert 'id="follow-up"' in page and "（续会）" in page
    case_page = client.get(f"/cases/{session.case_id}/").content.decode()
    assert f"/sessions/{session.pk}/#follow-up" in case_page
    url = f"/sessions/{session.pk}/follow-up/"
    data = {"title": "第二次会议", "agenda": "补充材料", "place": "三楼", "video_link": ""}
    wrong = client.post(url, {**data, "scheduled_at": "", "carry_participants": "on"})
    assert wrong.status_code == 400
    assert 'id="id_scheduled_at_errors"' in wrong.content.decode()
    when = local_input(timezone.now() + timedelta(days=3))
    response = client.post(url, {**data, "scheduled_at": when, "carry_participants": "on"})
    assert response.status_code == 302
    follow_up = JointSession.objects.exclude(pk=session.pk).get(case=session.case)
    assert response["Location"] == f"/sessions/{follow_up.pk}/"
    assert follow_up.participants.count() == 4
    # The adjourned session no longer offers a follow-up: one open session at a time.
    assert 'id="follow-up"' not in board(client, session)
    assert as_user(department_officer).post(url, {**data, "scheduled_at": when}).status_code == 403


def test_cancelled_session_is_rescheduled_on_the_pages(as_user, coordinator, invited):
    session, _ = invited
    sessions.session_cancel(session=session, by=coordinator, reason="时间冲突")
    client = as_user(coordinator)
    assert "改期重新召开" in board(client, session)
    when = local_input(timezone.now() + timedelta(days=2))
    response = client.post(
        f"/sessions/{session.pk}/follow-up/",
        {"title": session.title, "scheduled_at": when, "carry_participants": "on"},
    )
    assert response.status_code == 302


# ---- the invited parties' view of the case ----------------------------------------------


@pytest.fixture
def case_files(invited, enterprise_user, coordinator):
    session, _ = invited
    upload = attachment_add
    shared = upload(
        case=session.case,
        by=enterprise_user,
        upload=SimpleUploadedFile("红线图.pdf", b"%PDF-1.4 shared", content_type="application/pdf"),
    )
    private = upload(
        case=session.case,
        by=enterprise_user,
        upload=SimpleUploadedFile(
            "财务报表.pdf", b"%PDF-1.4 private", content_type="application/pdf"
        ),
    )
    return shared, private


def test_coordinator_marks_attachments_shared(
    as_user, coordinator, invited, case_files, npc_deputy
):
    session, _ = invited
    shared, private = case_files
    url = f"/sessions/{session.pk}/shared/"
    assert as_user(npc_deputy).post(url, {"shared": [shared.pk]}).status_code == 403
    assert as_user(coordinator).post(url, {"shared": [shared.pk]}).status_code == 302
    shared.refresh_from_db()
    private.refresh_from_db()
    assert shared.shared_with_participants and not private.shared_with_participants


def test_invited_deputy_reads_the_case_and_nothing_else(
    as_user,
    coordinator,
    invited,
    case_files,
    npc_deputy,
    enterprise_user,
    other_enterprise_user,
    category,
):
    session, _ = invited
    case = session.case
    shared, private = case_files
    sessions.attachment_share(attachment=shared, by=coordinator, shared=True)
    Comment.objects.create(
        case=case, author=coordinator, body="内部：企业资金紧张", visibility="internal"
    )
    client = as_user(npc_deputy)
    # The full case page stays closed; the session page links to the participants' view.
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert f"/sessions/{session.pk}/case/" in board(client, session)
    page = client.get(f"/sessions/{session.pk}/case/").content.decode()
    assert case.description in page
    assert "红线图.pdf" in page and "财务报表.pdf" not in page
    assert "企业资金紧张" not in page
    assert session.title in page and session.agenda[0] in page
    download = client.get(f"/sessions/{session.pk}/case/attachments/{shared.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 shared"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="')
    assert client.get(f"/sessions/{session.pk}/case/attachments/{private.pk}/").status_code == 404
    # Another case's session: not invited, nothing to see.
    other_case = case_services.case_accept(
        case=factories.case(enterprise_user, category=category), by=coordinator
    )
    other = factories.session(other_case, coordinator, title="另一个会议")
    assert client.get(f"/sessions/{other.pk}/case/").status_code == 404
    assert client.get(f"/sessions/{other.pk}/case/attachments/{shared.pk}/").status_code == 404
    # Another enterprise sees neither view.
    stranger = as_user(other_enterprise_user)
    assert stranger.get(f"/sessions/{session.pk}/case/").status_code == 404
    assert stranger.get(f"/sessions/{session.pk}/case/attachments/{shared.pk}/").status_code == 404


def test_a_representative_not_invited_sees_nothing(as_user, invited, citizen_rep):
    session, _ = invited
    assert as_user(citizen_rep).get(f"/sessions/{session.pk}/case/").status_code == 404


def test_home_lists_the_sessions_a_representative_takes_part_in(
    as_user, coordinator, invited, npc_deputy
):
    session, _ = invited
    sessions.session_notify(session=session, by=coordinator)
    home = as_user(npc_deputy).get("/").content.decode()
    assert "我参加的审联体会议" in home
    assert session.title in home and f"/sessions/{session.pk}/case/" in home
    assert "暂时没有办理中的诉求事项" not in home


def test_delegate_sees_the_session_on_home(
    as_user, coordinator, invited, department_officer, department_leader
):
    session, parts = invited
    sessions.session_notify(session=session, by=coordinator)
    session_participants.participant_rsvp(
        participant=parts["zigui"],
        by=department_officer,
        answer="delegated",
        delegate=department_leader,
    )
    assert session.title in as_user(department_leader).get("/").content.decode()


def test_session_list_links_an_invited_person_to_the_view_they_may_read(
    as_user, coordinator, invited, npc_deputy
):
    session, _ = invited
    page = as_user(npc_deputy).get("/sessions/?tab=all").content.decode()
    assert f"/sessions/{session.pk}/case/" in page
    assert f'href="/cases/{session.case_id}/"' not in page
