"""Joint session pages: the list of my sessions, the session board (RSVP, attendance,
opinions, quorum checklist, transitions) and the printable minutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from workflow.pages import transitions
from workflow.pages.paging import page_of
from workflow.sessions.forms import InviteForm, OpinionForm, RsvpForm
from workflow.sessions.models import JointSession, SessionParticipant
from workflow.sessions.opinions import opinion_record
from workflow.sessions.participants import (
    participant_invite,
    participant_mark_attendance,
    participant_rsvp,
)
from workflow.sessions.services import current_opinions, missing_message
from workflow.sessions.transitions import SESSION_TRANSITIONS

TABS = [("open", gettext_lazy("未结束")), ("all", gettext_lazy("全部"))]


def visible_sessions(user):
    return JointSession.objects.visible_to(user).select_related("case", "convener")


@login_required
def session_list(request):
    tab = request.GET.get("tab") or "open"
    sessions = visible_sessions(request.user)
    if tab == "open":
        sessions = sessions.filter(status__in=JointSession.OPEN_STATES)
    page = page_of(sessions.order_by("-scheduled_at", "-id"), request.GET.get("page"))
    return render(request, "pages/session_list.html", {"page": page, "tabs": TABS, "tab": tab})


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
        "participants": participants,
        "mine": [p for p in participants if p.mine],
        "missing": missing,
        "missing_text": missing_message(missing) if missing else "",
        "resolution": getattr(session, "resolution", None),
    }


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
        invite_form=forms.get("invite_form") or InviteForm(),
        opinion_form=forms.get("opinion_form") or OpinionForm(),
        rsvp_form=forms.get("rsvp_form") or RsvpForm(organisation_id=request.user.organisation_id),
        failed=forms.get("failed"),
    )
    return render(request, "pages/session_detail.html", context, status=status)


@login_required
def session_detail(request, pk):
    return render_session(request, _session_or_404(request, pk))


@login_required
def session_minutes(request, pk):
    session = _session_or_404(request, pk)
    return render(request, "pages/minutes.html", session_context(request, session))


@login_required
@require_POST
def session_transition(request, pk, name):
    session = _session_or_404(request, pk)
    spec = SESSION_TRANSITIONS.get(name)
    if spec is None:
        raise Http404
    data, errors = transitions.submit(spec, session, "session", request)
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


@login_required
@require_POST
def participant_new(request, pk):
    session = _session_or_404(request, pk)
    return _run(
        request,
        session,
        InviteForm(request.POST),
        "invite_form",
        participant_invite,
        {"session": session},
        _("已邀请。"),
    )


@login_required
@require_POST
def participant_answer(request, pk, participant_id):
    session = _session_or_404(request, pk)
    participant = _participant(request, session, participant_id)
    form = RsvpForm(request.POST, organisation_id=participant.organisation_id)
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
