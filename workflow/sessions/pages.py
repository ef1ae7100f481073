"""Joint session pages: the list of my sessions, the session board (RSVP, attendance,
opinions, quorum checklist, transitions) and the printable minutes."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.downloads import attachment_response
from cases.models import Case
from config.replica import from_replica
from departments.pages import Section
from workflow.implementation.selectors import rules_readable_by
from workflow.pages import transitions
from workflow.pages.paging import page_of
from workflow.sessions import calendar
from workflow.sessions.forms import FollowUpForm, InviteForm, OpinionForm, RsvpForm, SessionPlanForm
from workflow.sessions.models import CalendarFeed, JointSession, SessionParticipant
from workflow.sessions.opinions import opinion_record
from workflow.sessions.participants import (
    participant_mark_attendance,
    participant_rsvp,
    participants_invite,
    participants_mark_all_present,
)
from workflow.sessions.services import (
    FOLLOW_UP_FROM,
    attachment_share,
    check_day_has_come,
    check_time_has_come,
    current_opinions,
    missing_message,
    session_follow_up,
    session_update,
)
from workflow.sessions.transitions import SESSION_TRANSITIONS
from workflow.statistics import list_exports

TABS = [("open", gettext_lazy("未结束")), ("all", gettext_lazy("全部"))]


def visible_sessions(user):
    return JointSession.objects.visible_to(user).select_related("case", "convener")


def _listed(request):
    """The session list's rows and tab, shared by the page and its export."""
    tab = request.GET.get("tab") or "open"
    sessions = visible_sessions(request.user)
    if tab == "open":
        sessions = sessions.filter(status__in=JointSession.OPEN_STATES)
    return sessions.order_by("-scheduled_at", "-id"), tab


@login_required
def session_list(request):
    sessions, tab = _listed(request)
    page = page_of(sessions, request.GET.get("page"))
    return render(request, "pages/session_list.html", {"page": page, "tabs": TABS, "tab": tab})


@login_required
@from_replica
def session_export(request):
    """The list as an Excel workbook, for the same tab (the list's export button)."""
    sessions, _tab = _listed(request)
    return list_exports.sessions_workbook(sessions)


def _session_or_404(request, pk):
    return get_object_or_404(visible_sessions(request.user), pk=pk)


def session_context(request, session):
    participants = list(session.participants.select_related("organisation", "person", "delegate"))
    opinions = current_opinions(session)
    by_participant = {o.participant_id: o for o in opinions}
    for participant in participants:
        participant.opinion = by_participant.get(participant.pk)
        participant.mine = participant.speaks_for(request.user)
    missing = session.quorum_missing() if session.is_open else []
    return {
        "session": session,
        "case": session.case,
        "case_visible": Case.objects.visible_to(request.user).filter(pk=session.case_id).exists(),
        "participants": participants,
        "any_required": any(p.required for p in participants),
        "mine": [p for p in participants if p.mine],
        "missing": missing,
        "missing_text": missing_message(missing) if missing else "",
        "resolution": getattr(session, "resolution", None),
    }


def _too_early(session) -> dict[str, str]:
    """The transitions the session's date holds back, with the refusal the service gives."""
    early = {}
    for name, check in (("start", check_day_has_come), ("conclude", check_time_has_come)):
        try:
            check(session)
        except ValidationError as refused:
            early[name] = refused.message_dict["scheduled_at"][0]
    return early


def _may_follow_up(request, session) -> bool:
    return (
        request.user.is_coordinator
        and session.status in FOLLOW_UP_FROM
        and session.case.status == Case.Status.CONVENING
        and not session.case.sessions.filter(status__in=JointSession.OPEN_STATES).exists()
    )


def render_session(
    request, session, *, status=200, open_name=None, data=None, errors=None, **forms
):
    context = session_context(request, session)
    context.update(
        transitions=transitions.available(
            SESSION_TRANSITIONS,
            session,
            request.user,
            open_name=open_name,
            data=data,
            errors=errors,
        ),
        opinion_form=forms.get("opinion_form") or OpinionForm(),
        failed=forms.get("failed"),
    )
    # Not offered what the services would refuse for the date; the board says when instead.
    too_early = _too_early(session)
    context["transitions"] = [t for t in context["transitions"] if t["name"] not in too_early]
    context["too_early"] = too_early
    for p in context["mine"]:
        # Each of my invitations has its own delegate list (a colleague of that organisation).
        p.rsvp_form = (
            forms["rsvp_form"]
            if forms.get("failed") == p and forms.get("rsvp_form")
            else RsvpForm(organisation_id=p.organisation_id, user=request.user)
        )
    coordinator = request.user.is_coordinator
    if coordinator and session.is_open:
        invite_form = forms.get("invite_form") or InviteForm(session=session)
        context["invite_form"] = invite_form
        context["invite_marked"] = invite_form.marked()
    if coordinator and session.status in (
        JointSession.Status.SCHEDULED,
        JointSession.Status.NOTIFIED,
    ):
        context["plan_form"] = forms.get("plan_form") or SessionPlanForm.for_session(
            session, scheduled_at=timezone.localtime(session.scheduled_at)
        )
    if _may_follow_up(request, session):
        title = session.title
        if session.status == JointSession.Status.ADJOURNED and "续会" not in title:
            title = _("%(title)s（续会）") % {"title": title}
        context["follow_up_form"] = forms.get("follow_up_form") or FollowUpForm.for_session(
            session, title=title
        )
    if coordinator:
        context["case_files"] = list(session.case.attachments.all())
    return render(request, "pages/session_detail.html", context, status=status)


@login_required
def session_detail(request, pk):
    return render_session(request, _session_or_404(request, pk))


@login_required
def session_minutes(request, pk):
    session = _session_or_404(request, pk)
    context = session_context(request, session)
    # What the rules API shows this person: nothing to whom does not see the case.
    context["rule_items"] = list(rules_readable_by(request.user, session.case).order_by("number"))
    return render(request, "pages/minutes.html", context)


@login_required
@require_POST
def session_transition(request, pk, name):
    session = _session_or_404(request, pk)
    spec = SESSION_TRANSITIONS.get(name)
    if spec is None:
        raise Http404
    data, errors = transitions.submit(spec, session, "session", request)
    if errors:
        errors = _fields_of(spec, errors)
    general = errors and transitions.only_general(errors)
    if general:
        for line in general:
            messages.error(request, line)
        return redirect("pages:session-detail", pk=pk)
    if errors:
        return render_session(
            request,
            _session_or_404(request, pk),
            status=400,
            open_name=name,
            data=data,
            errors=errors,
        )
    messages.success(request, _("已%(action)s。") % {"action": spec.label})
    return redirect("pages:session-detail", pk=pk)


def _fields_of(spec, errors) -> dict:
    """A refusal about a field the form does not show (the session's time when starting or
    concluding) is told as a general message, naming that field."""
    shown = set(spec.input().fields)
    errors = dict(errors)
    for name in [key for key in errors if key != "__all__" and key not in shown]:
        errors.setdefault("__all__", [])
        errors["__all__"] = list(errors["__all__"]) + list(errors.pop(name))
    return errors


def _participant(request, session, participant_id):
    return get_object_or_404(SessionParticipant, session=session, pk=participant_id)


def _run(request, session, form, form_name, service, kwargs, done):
    """Validate `form`, call `service`, and come back to the board with the outcome."""
    if form.is_valid():
        errors = transitions.call(service, {**kwargs, **form.cleaned_data, "by": request.user})
        if not errors:
            messages.success(request, done)
            return redirect("pages:session-detail", pk=session.pk)
        for field, lines in errors.items():
            for line in lines:
                form.add_error(field if field in form.fields else None, line)
    return render_session(
        request,
        _session_or_404(request, session.pk),
        status=400,
        **{form_name: form, "failed": kwargs.get("participant")},
    )


def _coordinator_only(request):
    if not request.user.is_coordinator:
        raise PermissionDenied(_("您无权执行此操作。"))


@login_required
@require_POST
def participant_new(request, pk):
    """Invite several parties in one step."""
    _coordinator_only(request)
    session = _session_or_404(request, pk)
    form = InviteForm(request.POST, session=session)
    if form.is_valid():
        count = len(form.cleaned_data["invitations"])
        errors = transitions.call(
            participants_invite,
            {"session": session, "by": request.user, **form.cleaned_data},
        )
        if not errors:
            messages.success(request, _("已邀请 %(count)s 个参会方。") % {"count": count})
            return redirect("pages:session-detail", pk=session.pk)
        for lines in errors.values():
            for line in lines:
                form.add_error(None, line)
    return render_session(
        request, _session_or_404(request, session.pk), status=400, invite_form=form
    )


@login_required
@require_POST
def participant_all_present(request, pk):
    """全部到会: the participants not yet marked (and not declined) are present."""
    session = _session_or_404(request, pk)
    errors = transitions.call(
        participants_mark_all_present, {"session": session, "by": request.user}
    )
    if errors:
        for lines in errors.values():
            for line in lines:
                messages.error(request, line)
    else:
        messages.success(request, _("已登记全部到会。"))
    return redirect("pages:session-detail", pk=pk)


def _plan(request, session, form, form_name, service, kwargs, done, target=None):
    if form.is_valid():
        result = {}

        def run(**values):
            result["session"] = service(**values)

        errors = transitions.call(run, {**kwargs, **form.cleaned_data, "by": request.user})
        if not errors:
            messages.success(request, done)
            return redirect("pages:session-detail", pk=(result["session"] or session).pk)
        for field, lines in errors.items():
            for line in lines:
                form.add_error(field if field in form.fields else None, line)
    return render_session(
        request, _session_or_404(request, session.pk), status=400, **{form_name: form}
    )


@login_required
@require_POST
def session_reschedule(request, pk):
    """改期: change the time, place or agenda of a session that has not started."""
    _coordinator_only(request)
    session = _session_or_404(request, pk)
    return _plan(
        request,
        session,
        SessionPlanForm(request.POST),
        "plan_form",
        session_update,
        {"session": session},
        _("会议安排已修改。"),
    )


@login_required
@require_POST
def session_follow_up_new(request, pk):
    """After an adjournment or a cancellation: the next session of the case."""
    _coordinator_only(request)
    session = _session_or_404(request, pk)
    return _plan(
        request,
        session,
        FollowUpForm(request.POST),
        "follow_up_form",
        session_follow_up,
        {"session": session},
        _("已安排新的会议，请邀请参会方并发出会议通知。"),
    )


@login_required
@require_POST
def session_share(request, pk):
    """The coordinator marks which of the case's attachments the participants may read."""
    _coordinator_only(request)
    session = _session_or_404(request, pk)
    chosen = set(request.POST.getlist("shared"))
    for attachment in session.case.attachments.all():
        attachment_share(
            attachment=attachment, by=request.user, shared=str(attachment.pk) in chosen
        )
    messages.success(request, _("已更新与参会方共享的附件。"))
    return redirect("pages:session-detail", pk=pk)


def _shared_files(session):
    return session.case.attachments.filter(shared_with_participants=True)


@login_required
def session_case(request, pk):
    """The case as an invited party reads it: its description, the attachments shared with
    the participants, and the session's materials. No comments, no other attachment."""
    session = _session_or_404(request, pk)
    case = session.case
    sessions = list(visible_sessions(request.user).filter(case=case).order_by("scheduled_at", "id"))
    return render(
        request,
        "pages/session_case.html",
        {
            "session": session,
            "case": case,
            "case_visible": Case.objects.visible_to(request.user).filter(pk=case.pk).exists(),
            "shared_files": list(_shared_files(session)),
            "sessions": sessions,
        },
    )


@login_required
def session_case_attachment(request, pk, attachment_id):
    session = _session_or_404(request, pk)
    attachment = get_object_or_404(_shared_files(session), pk=attachment_id)
    return attachment_response(attachment)


@login_required
@require_POST
def participant_answer(request, pk, participant_id):
    session = _session_or_404(request, pk)
    participant = _participant(request, session, participant_id)
    form = RsvpForm(request.POST, organisation_id=participant.organisation_id, user=request.user)
    return _run(
        request,
        session,
        form,
        "rsvp_form",
        participant_rsvp,
        {"participant": participant},
        _("已回复会议邀请。"),
    )


@login_required
@require_POST
def participant_attendance(request, pk, participant_id):
    session = _session_or_404(request, pk)
    participant = _participant(request, session, participant_id)
    errors = transitions.call(
        participant_mark_attendance,
        {
            "participant": participant,
            "by": request.user,
            "attendance": request.POST.get("attendance", ""),
        },
    )
    for lines in (errors or {}).values():
        for line in lines:
            messages.error(request, line)
    return redirect("pages:session-detail", pk=pk)


@login_required
@require_POST
def opinion_new(request, pk, participant_id):
    session = _session_or_404(request, pk)
    participant = _participant(request, session, participant_id)
    return _run(
        request,
        session,
        OpinionForm(request.POST),
        "opinion_form",
        opinion_record,
        {"participant": participant},
        _("意见已记录。"),
    )


# The sessions calendar (会议日程) and its iCalendar files.


@login_required
def session_calendar(request):
    """Upcoming sessions by week: the office sees all of them with who has not replied; the
    others see the sessions they are invited to and their own reply."""
    weeks = calendar.upcoming_by_week(request.user)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "pages/session_calendar.html", {"weeks": weeks, "feed": feed})


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


@login_required
def session_ics(request, pk):
    session = get_object_or_404(calendar.calendar_sessions(request.user), pk=pk)
    return _ics_response(calendar.ics([session], name=session.title), f"session-{session.pk}")


def calendar_feed(request, token):
    """A person's calendar feed, read by calendar programs without signing in: the secret
    token in the address is the key, so an unknown or revoked token is a plain 404."""
    user = calendar.feed_user(token)
    if user is None:
        raise Http404
    name = _("审联体会议 · %(name)s") % {"name": user}
    response = _ics_response(calendar.ics(calendar.feed_sessions(user), name=name), "shenlianti")
    response["Cache-Control"] = "private, max-age=300"
    return response


def feed_url(feed) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("pages:calendar-feed", args=[feed.token])


class CalendarFeedForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("操作"), widget=forms.RadioSelect)

    def __init__(self, person, data=None):
        super().__init__(data, prefix="calendar")
        self.feed = CalendarFeed.objects.filter(user=person).first()
        if self.feed is None:
            choices = [("regenerate", gettext_lazy("生成订阅地址"))]
        else:
            self.fields["url"] = forms.CharField(
                label=gettext_lazy("订阅地址"),
                required=False,
                disabled=True,
                initial=feed_url(self.feed),
                help_text=gettext_lazy(
                    "把这个地址添加到手机或电脑的日历程序，即可看到您的审联体会议。"
                    "地址相当于密码，请勿转发；泄露时请重新生成。"
                ),
            )
            self.order_fields(["url", "action"])
            choices = [
                ("regenerate", gettext_lazy("重新生成地址（旧地址立即失效）")),
                ("revoke", gettext_lazy("停用订阅")),
            ]
        self.fields["action"].choices = choices


def _calendar_feed_save(form, request):
    if form.cleaned_data["action"] == "revoke":
        calendar.calendar_feed_revoke(user=request.user)
    else:
        calendar.calendar_feed_regenerate(user=request.user)


CALENDAR_FEED = Section(
    "calendar",
    gettext_lazy("日历订阅"),
    CalendarFeedForm,
    _calendar_feed_save,
    gettext_lazy("日历订阅已更新。"),
)
