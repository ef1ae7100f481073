"""The inbox: a person's notifications, opened one by one or all marked read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from departments.pages import Section
from departments.pages import profile as person_profile
from workflow.notifications.forms import EmailPreferencesForm
from workflow.notifications.models import Notification
from workflow.notifications.services import email_preferences_set, mark_all_read, mark_read
from workflow.pages.paging import page_of
from workflow.sessions.pages import CALENDAR_FEED


@login_required
def inbox(request):
    notifications = Notification.objects.for_user(request.user).select_related("case")
    page = page_of(notifications, request.GET.get("page"))
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


def _preferences_save(form, request):
    email_preferences_set(person=request.user, by_email=form.cleaned_data["by_email"])


EMAIL_PREFERENCES = Section(
    "email",
    gettext_lazy("邮件通知"),
    EmailPreferencesForm,
    _preferences_save,
    gettext_lazy("邮件通知设置已保存。"),
)


def profile(request):
    """个人设置, with which notifications come by e-mail and the calendar feed's address."""
    return person_profile(request, extra_sections=[EMAIL_PREFERENCES, CALENDAR_FEED])
