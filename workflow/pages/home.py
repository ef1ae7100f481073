"""The home page (工作台): what is waiting for me."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from cases.models import Case
from workflow.casefile import selectors
from workflow.deadlines.selectors import cases_with_clock_in
from workflow.extensions.models import Extension
from workflow.items.models import ActionItem
from workflow.items.selectors import item_rows
from workflow.notifications.models import Notification
from workflow.sessions.models import JointSession, SessionParticipant
from workflow.supervision.models import SupervisionNotice

HOME_ROWS = 10


@login_required
def home(request):
    user = request.user
    cases = selectors.case_rows(user).order_by("-updated_at", "-id")
    context = {"notifications": Notification.objects.for_user(user).unread()[:HOME_ROWS]}
    if user.is_enterprise_user:
        context["to_answer"] = selectors.with_progress(
            cases.filter(status__in=[Case.Status.NEEDS_INFO, Case.Status.RESOLVED])[:HOME_ROWS]
        )
    elif user.is_coordinator:
        context["to_triage"] = selectors.with_progress(
            cases.filter(status=Case.Status.SUBMITTED)[:HOME_ROWS]
        )
        context["to_review"] = selectors.with_progress(
            cases.filter(status=Case.Status.UNDER_REVIEW)[:HOME_ROWS]
        )
        context["red_cases"] = selectors.with_progress(
            cases.filter(pk__in=cases_with_clock_in("red"))[:HOME_ROWS]
        )
        context["to_decide"] = (
            Extension.objects.filter(status=Extension.Status.REQUESTED)
            .select_related("action_item__owner", "action_item__case")
            .order_by("created_at")[:HOME_ROWS]
        )
        # Items a department cannot go on with: the office re-routes them, or re-convenes.
        context["stuck"] = (
            item_rows(user)
            .filter(status__in=[ActionItem.Status.RETURNED, ActionItem.Status.BLOCKED])
            .order_by("due_date", "id")[:HOME_ROWS]
        )
    elif user.is_department_officer:
        context["my_items"] = (
            item_rows(user)
            .exclude(status__in=ActionItem.CLOSED_STATES)
            .order_by("due_date", "id")[:HOME_ROWS]
        )
        context["notices"] = (
            SupervisionNotice.objects.filter(
                owner_id=user.organisation_id, status=SupervisionNotice.Status.ISSUED
            )
            .select_related("action_item", "case")
            .order_by("answer_due")[:HOME_ROWS]
        )
    context["invitations"] = invitations(user)[:HOME_ROWS]
    if not user.is_coordinator:
        context["my_sessions"] = my_sessions(user)[:HOME_ROWS]
    context["my_cases"] = selectors.with_progress(
        cases.exclude(status__in=[Case.Status.CLOSED, Case.Status.REJECTED, Case.Status.WITHDRAWN])[
            :HOME_ROWS
        ]
    )
    return render(request, "pages/home.html", context)


def invitations(user):
    """Invitations to open sessions that the person answers for and has not answered yet."""
    mine = Q(person=user) | Q(delegate=user)
    if user.organisation_id:
        mine |= Q(person__isnull=True, organisation_id=user.organisation_id)
    return (
        SessionParticipant.objects.filter(mine)
        .filter(
            status=SessionParticipant.Rsvp.INVITED,
            session__status__in=[JointSession.Status.SCHEDULED, JointSession.Status.NOTIFIED],
        )
        .select_related("session")
        .order_by("session__scheduled_at")
    )


def my_sessions(user):
    """The sessions the person takes part in (invited, delegated to, or a member of an invited
    organisation), the open ones first: an invited representative sees no case otherwise."""
    mine = Q(participants__person=user) | Q(participants__delegate=user)
    if user.organisation_id:
        mine |= Q(
            participants__person__isnull=True, participants__organisation=user.organisation_id
        )
    ids = JointSession.objects.filter(mine).values("pk")
    return (
        JointSession.objects.filter(pk__in=ids)
        .select_related("case")
        .order_by("-scheduled_at", "-id")
    )
