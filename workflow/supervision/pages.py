"""The supervision forms on the item page: issue a notice (督办), answer it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.items.models import ActionItem
from workflow.items.pages import fire_on_item_page, item_form_submit, item_or_404
from workflow.supervision.api import SUPERVISION_TRANSITIONS
from workflow.supervision.forms import SupervisionIssueForm
from workflow.supervision.models import SupervisionNotice
from workflow.supervision.services import supervision_issue


@login_required
@require_POST
def notice_transition(request, pk, name):
    notice = get_object_or_404(
        SupervisionNotice.objects.filter(
            action_item__in=ActionItem.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    item = item_or_404(request, notice.action_item_id)
    return fire_on_item_page(
        request, SUPERVISION_TRANSITIONS, name, notice, "notice", item, ("notice", notice.pk)
    )


@login_required
@require_POST
def supervision_new(request, pk):
    return item_form_submit(
        request,
        pk,
        SupervisionIssueForm,
        "supervision_form",
        supervision_issue,
        _("督办通知已发出。"),
    )
