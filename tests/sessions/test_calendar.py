"""The sessions calendar: upcoming sessions by week with who has not replied (the office), the
invited see their own; an .ics per session and a personal feed at a secret address, in
Asia/Shanghai with its VTIMEZONE; the feed's address is regenerated or revoked from /profile/."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from workflow.sessions import calendar
from workflow.sessions import participants as session_participants
from workflow.sessions import services as sessions
from workflow.sessions.models import CalendarFeed

pytestmark = pytest.mark.django_db


def events_of(content: bytes):
    parsed = Calendar.from_ical(content)
    return parsed, [c for c in parsed.walk() if c.name == "VEVENT"]


def test_the_office_sees_who_has_not_replied(as_user, invited, coordinator, department_officer):
    session, parts = invited
    sessions.session_notify(session=session, by=coordinator)
    session_participants.participant_rsvp(
        participant=parts["zigui"], by=department_officer, answer="accepted"
    )
    weeks = calendar.upcoming_by_week(coordinator)
    (listed,) = [s for week in weeks for s in week.sessions]
    waiting = {p.pk for p in listed.not_replied}
    assert waiting == {parts["kaitou"].pk, parts["legal"].pk, parts["deputy"].pk}
    page = as_user(coordinator).get("/sessions/calendar/").content.decode()
    assert session.title in page and "未回复" in page
    assert f"/sessions/{session.pk}/calendar.ics" in page
    mine = as_user(department_officer).get("/sessions/calendar/").content.decode()
    assert "确认参会" in mine


def test_participants_see_their_own_sessions_and_reply(
    as_user, invited, department_officer, other_department_officer, enterprise_user
):
    session, _ = invited
    page = as_user(department_officer).get("/sessions/calendar/").content.decode()
    assert session.title in page and "未回复" not in page
    assert "资规局的回复" in page or "的回复" in page
    other = as_user(other_department_officer).get("/sessions/calendar/").content.decode()
    assert session.title not in other and "八周内没有待召开的审联体会议" in other
    # The enterprise sees the case but is not invited: not on its calendar.
    assert session.title not in as_user(enterprise_user).get("/sessions/calendar/").content.decode()


def test_the_session_ics_is_in_shanghai_time(as_user, invited, coordinator, legal_expert):
    session, _ = invited
    response = as_user(legal_expert).get(f"/sessions/{session.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    _, (event,) = events_of(response.content)
    assert "BEGIN:VTIMEZONE" in response.content.decode() and "TZID:Asia/Shanghai" in (
        response.content.decode()
    )
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai"
    # iCalendar keeps whole seconds.
    assert start == session.scheduled_at.replace(microsecond=0)
    assert event.decoded("dtend") - start == timedelta(hours=2)
    assert str(event["summary"]) == session.title
    assert str(event["location"]) == session.place
    assert f"/sessions/{session.pk}/" in str(event["url"])


def test_the_session_ics_follows_visibility(as_user, invited, other_department_officer):
    session, _ = invited
    assert (
        as_user(other_department_officer).get(f"/sessions/{session.pk}/calendar.ics").status_code
        == 404
    )
    anonymous = Client().get(f"/sessions/{session.pk}/calendar.ics")
    assert anonymous.status_code == 302  # to the sign-in page


def test_the_feed_lives_at_a_secret_address_that_can_be_changed_and_revoked(
    as_user, invited, department_officer
):
    session, _ = invited
    client = as_user(department_officer)
    assert (
        client.post("/profile/", {"section": "calendar", "calendar-action": ""}).status_code == 400
    )
    assert (
        client.post(
            "/profile/", {"section": "calendar", "calendar-action": "regenerate"}
        ).status_code
        == 302
    )
    feed = CalendarFeed.objects.get(user=department_officer)
    assert len(feed.token) >= 40
    anonymous = Client()
    response = anonymous.get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200
    _, events = events_of(response.content)
    assert [str(e["summary"]) for e in events] == [session.title]
    assert feed.token in client.get("/profile/").content.decode()

    old = feed.token
    client.post("/profile/", {"section": "calendar", "calendar-action": "regenerate"})
    feed.refresh_from_db()
    assert feed.token != old
    assert anonymous.get(f"/calendar/{old}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{feed.token}.ics").status_code == 200

    client.post("/profile/", {"section": "calendar", "calendar-action": "revoke"})
    assert not CalendarFeed.objects.filter(user=department_officer).exists()
    assert anonymous.get(f"/calendar/{feed.token}.ics").status_code == 404
    assert anonymous.get("/calendar/nonsense.ics").status_code == 404


def test_a_feed_holds_only_what_its_owner_may_see(invited, other_department_officer, coordinator):
    stranger = calendar.calendar_feed_regenerate(user=other_department_officer)
    response = Client().get(f"/calendar/{stranger.token}.ics")
    assert events_of(response.content)[1] == []
    office = calendar.calendar_feed_regenerate(user=coordinator)
    _, events = events_of(Client().get(f"/calendar/{office.token}.ics").content)
    assert len(events) == 1
    # A person who leaves (inactive) loses the feed at once.
    other_department_officer.is_active = False
    other_department_officer.save()
    assert Client().get(f"/calendar/{stranger.token}.ics").status_code == 404


def test_weeks_group_sessions_by_monday(invited, coordinator):
    session, _ = invited
    weeks = calendar.upcoming_by_week(coordinator)
    assert len(weeks) == 1 and weeks[0].monday.weekday() == 0
    local_day = session.scheduled_at.astimezone(calendar.ZONE).date()
    assert weeks[0].monday <= local_day <= weeks[0].sunday
    assert calendar.week_start(datetime(2026, 12, 6).date()).isoformat() == "2026-11-30"


def test_calendar_queries_do_not_grow_with_sessions(
    invited, coordinator, django_assert_max_num_queries, accepted_case
):
    with django_assert_max_num_queries(3):
        calendar.upcoming_by_week(coordinator)
