"""The extension forms on the item page: ask for more time, approve or refuse it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.extensions.api import EXTENSION_TRANSITIONS
from workflow.extensions.forms import ExtensionRequestForm
from workflow.extensions.models import Extension
from workflow.extensions.services import extension_request
from workflow.items.models import ActionItem
from workflow.items.pages import fire_on_item_page, item_form_submit, item_or_404


@login_required
@require_POST
def extension_transition(request, pk, name):
    extension = get_object_or_404(
        Extension.objects.filter(action_item__in=ActionItem.objects.visible_to(request.user)),
        pk=pk,
    )
    item = item_or_404(request, extension.action_item_id)
    return fire_on_item_page(
        request,
        EXTENSION_TRANSITIONS,
        name,
        extension,
        "extension",
        item,
        ("extension", extension.pk),
    )


@login_required
@require_POST
def extension_new(request, pk):
    return item_form_submit(
        request,
        pk,
        ExtensionRequestForm,
        "extension_form",
        extension_request,
        _("延期申请已提交。"),
    )
