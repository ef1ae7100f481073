"""Everyone's pages: what is waiting for me, and the notification inbox."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases.models import Case
from workflow.models import (
    ActionItem,
    Extension,
    JointSession,
    Notification,
    SessionParticipant,
    SupervisionNotice,
)
from workflow.notifications import mark_all_read, mark_read
from workflow.pages import queries

HOME_ROWS = 10


@login_required
def home(request):
    user = request.user
    cases = queries.case_rows(user).order_by("-updated_at", "-id")
    context = {"notifications": Notification.objects.for_user(user).unread()[:HOME_ROWS]}
    if user.is_enterprise_user:
        context["to_answer"] = cases.filter(
            status__in=[Case.Status.NEEDS_INFO, Case.Status.RESOLVED]
        )[:HOME_ROWS]
        context["my_cases"] = cases.exclude(
            status__in=[Case.Status.CLOSED, Case.Status.REJECTED, Case.Status.WITHDRAWN]
        )[:HOME_ROWS]
    elif user.is_coordinator:
        context["to_triage"] = cases.filter(status=Case.Status.SUBMITTED)[:HOME_ROWS]
        context["red_cases"] = cases.filter(pk__in=queries.cases_with_clock_in("red"))[:HOME_ROWS]
        context["to_decide"] = (
            Extension.objects.filter(status=Extension.Status.REQUESTED)
            .select_related("action_item__owner", "action_item__case")
            .order_by("created_at")[:HOME_ROWS]
        )
        context["returned"] = queries.item_rows(user).filter(status=ActionItem.Status.RETURNED)[
            :HOME_ROWS
        ]
    elif user.is_department_officer:
        context["my_items"] = (
            queries.item_rows(user)
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
    if not user.is_enterprise_user:
        context["my_cases"] = cases.exclude(
            status__in=[Case.Status.CLOSED, Case.Status.REJECTED, Case.Status.WITHDRAWN]
        )[:HOME_ROWS]
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


@login_required
def inbox(request):
    notifications = Notification.objects.for_user(request.user).select_related("case")
    page = queries.page_of(notifications, request.GET.get("page"))
    return render(request, "pages/inbox.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    mark_read(notification)
    url = notification.url
    return redirect(url if url.startswith("/") and not url.startswith("//") else "pages:inbox")


@login_required
@require_POST
def notification_read_all(request):
    mark_all_read(request.user)
    return redirect("pages:inbox")
