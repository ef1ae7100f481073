"""The sessions calendar (会议日程): upcoming joint sessions by week with who has not replied,
an iCalendar file per session, and each person's calendar feed at a secret address.

Times are written in Asia/Shanghai with its VTIMEZONE, so a calendar program anywhere shows the
meeting at the hour the office set. The same visibility rule as everywhere decides what a
person's calendar holds (`JointSession.objects.visible_to`); beyond the office, a person's
calendar holds the sessions they are invited to, in person, by delegation or as their
organisation.
"""

import secrets
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from config import timesource
from workflow.sessions.models import CalendarFeed, JointSession, SessionParticipant

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
# A session has no end time of its own: calendars show it as a two-hour meeting.
LENGTH = timedelta(hours=2)
WEEKS = 8  # the calendar page's horizon
FEED_DAYS_BACK = 30  # a feed keeps last month's sessions, so a calendar keeps its history
LIMIT = 500


def invited(user) -> Q:
    """The participations that invite `user`: in person, as delegate, or as an organisation."""
    q = Q(person=user) | Q(delegate=user)
    if user.organisation_id:
        q |= Q(organisation_id=user.organisation_id)
    return q


def calendar_sessions(user):
    """The sessions a person's calendar holds: all for the office, their own for the others."""
    sessions = JointSession.objects.visible_to(user)
    if not (user.is_coordinator or user.is_superuser):
        own = SessionParticipant.objects.filter(invited(user), session=OuterRef("pk"))
        sessions = sessions.filter(Exists(own))
    participants = SessionParticipant.objects.select_related("organisation", "person", "delegate")
    return sessions.select_related("case", "convener").prefetch_related(
        Prefetch("participants", queryset=participants)
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Week:
    monday: date
    sessions: list = field(default_factory=list)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def upcoming_by_week(user, *, today: date | None = None, weeks: int = WEEKS) -> list[Week]:
    """Open sessions from this week's Monday for `weeks` weeks, grouped by week; each session
    carries `not_replied` (participants still 已邀请) and `mine` (the person's own
    participations)."""
    today = today or timesource.today()
    monday = week_start(today)
    start = datetime.combine(monday, time.min, tzinfo=ZONE)
    end = start + timedelta(weeks=weeks)
    sessions = (
        calendar_sessions(user)
        .filter(status__in=JointSession.OPEN_STATES, scheduled_at__gte=start, scheduled_at__lt=end)
        .order_by("scheduled_at", "id")[:LIMIT]
    )
    by_week: dict[date, Week] = {}
    for session in sessions:
        participants = list(session.participants.all())
        session.not_replied = [
            p for p in participants if p.status == SessionParticipant.Rsvp.INVITED
        ]
        session.mine = [p for p in participants if p.speaks_for(user)]
        local = timezone.localtime(session.scheduled_at, ZONE).date()
        key = week_start(local)
        by_week.setdefault(key, Week(key)).sessions.append(session)
    return [by_week[key] for key in sorted(by_week)]


def _event(session) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}@shenlianti")
    event.add("dtstamp", timezone.now())
    start = timezone.localtime(session.scheduled_at, ZONE)
    event.add("dtstart", start)
    event.add("dtend", start + LENGTH)
    event.add("summary", session.title)
    if session.place:
        event.add("location", session.place)
    url = settings.SITE_URL.rstrip("/") + reverse("pages:session-detail", args=[session.pk])
    event.add("url", url)
    lines = [f"{session.case.reference} {session.case.title}"]
    lines += [f"{n}. {line}" for n, line in enumerate(session.agenda or [], 1)]
    if session.video_link:
        lines.append(session.video_link)
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add(
        "status", "CANCELLED" if session.status == JointSession.Status.CANCELLED else "CONFIRMED"
    )
    return event


def ics(sessions, *, name: str) -> bytes:
    """An iCalendar file of `sessions` with the Asia/Shanghai VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", "-//Shenlianti//审联体//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for session in sessions:
        calendar.add_component(_event(session))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_sessions(user):
    since = timesource.now() - timedelta(days=FEED_DAYS_BACK)
    return (
        calendar_sessions(user)
        .filter(scheduled_at__gte=since)
        .order_by("scheduled_at", "id")[:LIMIT]
    )


def feed_user(token: str):
    """The active person whose feed has this token, or None."""
    if not token or len(token) > 64:
        return None
    feed = (
        CalendarFeed.objects.select_related("user__organisation")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


@transaction.atomic
def calendar_feed_regenerate(*, user) -> CalendarFeed:
    """A new secret address for the person's feed; the old one stops working at once."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": token}
    )
    if not created:
        feed.token = token
        feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()
