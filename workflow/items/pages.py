"""Action item pages: my organisation's items with their clocks, and the item page with its
transitions, extension requests and supervision notices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.models import Attachment
from config import timesource
from config.replica import from_replica
from departments.models import User
from workflow.casefile.forms import UploadForm
from workflow.extensions.api import EXTENSION_TRANSITIONS
from workflow.extensions.forms import ExtensionRequestForm
from workflow.extensions.models import Extension
from workflow.items.models import ActionItem
from workflow.items.selectors import item_rows
from workflow.items.services import action_item_handler_set
from workflow.items.transitions import ACTION_ITEM_TRANSITIONS
from workflow.pages import transitions
from workflow.pages.paging import page_of
from workflow.statistics import list_exports
from workflow.supervision.api import SUPERVISION_TRANSITIONS
from workflow.supervision.forms import SupervisionIssueForm
from workflow.supervision.permissions import may_supervise

TABS = [
    ("assigned", gettext_lazy("待签收")),
    ("open", gettext_lazy("办理中")),
    ("overdue", gettext_lazy("已超期")),
    ("all", gettext_lazy("全部")),
]
# Signed for and not finished; an item returned to the office waits there for reassignment.
WORKING = [
    ActionItem.Status.SIGNED,
    ActionItem.Status.IN_PROGRESS,
    ActionItem.Status.BLOCKED,
    ActionItem.Status.RETURNED,
]


def _listed(request):
    """The item list's rows and tab for the tab on screen, shared by the page and its export."""
    items = item_rows(request.user)
    tab = request.GET.get("tab")
    if tab not in dict(TABS):
        # New work first: the items still to sign for, when there are any.
        waiting = items.filter(status=ActionItem.Status.ASSIGNED).exists()
        tab = "assigned" if waiting else "open"
    if tab == "assigned":
        items = items.filter(status=ActionItem.Status.ASSIGNED)
    elif tab == "open":
        items = items.filter(status__in=WORKING)
    elif tab == "overdue":
        items = items.overdue()
    return items.order_by("due_date", "id"), tab


@login_required
def item_list(request):
    items, tab = _listed(request)
    page = page_of(items, request.GET.get("page"))
    return render(request, "pages/item_list.html", {"page": page, "tabs": TABS, "tab": tab})


@login_required
@from_replica
def item_export(request):
    """The list as an Excel workbook, for the same tab (the list's export button)."""
    items, _tab = _listed(request)
    return list_exports.items_workbook(items.prefetch_related(None))


def item_or_404(request, pk):
    items = ActionItem.objects.visible_to(request.user).select_related("owner", "case", "handler")
    return get_object_or_404(items.prefetch_related("clocks", "evidence"), pk=pk)


def render_item(
    request, item, *, status=200, target=None, open_name=None, data=None, errors=None, **forms
):
    """The item page; `target` is ("item" | "extension" | "notice", pk) of a failed form."""

    def offered(specs, obj, kind):
        mine = target == (kind, obj.pk)
        return transitions.available(
            specs,
            obj,
            request.user,
            open_name=open_name if mine else None,
            data=data,
            errors=errors,
        )

    extensions = list(item.extensions.select_related("requested_by", "decided_by"))
    notices = list(item.supervision_notices.select_related("issued_by", "answered_by"))
    for extension in extensions:
        extension.offered = offered(EXTENSION_TRANSITIONS, extension, "extension")
    for notice in notices:
        notice.offered = offered(SUPERVISION_TRANSITIONS, notice, "notice")
    is_owner = request.user.belongs_to(item.owner_id)
    context = {
        "item": item,
        "case": item.case,
        "transitions": offered(ACTION_ITEM_TRANSITIONS, item, "item"),
        "extensions": extensions,
        "notices": notices,
        "attachments": Attachment.objects.filter(case_id=item.case_id),
        # Offered only when the request could succeed (extension_request's guards).
        "may_request_extension": is_owner
        and item.status not in ActionItem.CLOSED_STATES
        and timesource.today() <= item.due_date
        and not any(e.status == Extension.Status.REQUESTED for e in extensions),
        "may_supervise": may_supervise(request.user) and item.is_overdue,
        "extension_form": forms.get("extension_form") or ExtensionRequestForm(),
        "supervision_form": forms.get("supervision_form") or SupervisionIssueForm(),
        "upload_form": forms.get("upload_form") or UploadForm(),
        "last_event_id": item.case.events.order_by("-id").values_list("id", flat=True).first(),
        # The owning organisation's leader names the 经办人 among its own people.
        "handler_choices": list(
            User.objects.filter(organisation_id=item.owner_id, is_active=True).order_by("username")
        )
        if request.user.is_leader and is_owner and item.status not in ActionItem.CLOSED_STATES
        else [],
    }
    return render(request, "pages/item_detail.html", context, status=status)


@login_required
def item_detail(request, pk):
    return render_item(request, item_or_404(request, pk))


def fire_on_item_page(request, specs, name, obj, kwarg, item, target):
    spec = specs.get(name)
    if spec is None:
        raise Http404
    data, errors = transitions.submit(spec, obj, kwarg, request)
    general = errors and transitions.only_general(errors)
    if general:
        for line in general:
            messages.error(request, line)
        return redirect("pages:item-detail", pk=item.pk)
    if errors:
        return render_item(
            request,
            item_or_404(request, item.pk),
            status=400,
            target=target,
            open_name=name,
            data=data,
            errors=errors,
        )
    messages.success(request, _("已%(action)s。") % {"action": spec.label})
    return redirect("pages:item-detail", pk=item.pk)


@login_required
@require_POST
def item_transition(request, pk, name):
    item = item_or_404(request, pk)
    return fire_on_item_page(
        request, ACTION_ITEM_TRANSITIONS, name, item, "item", item, ("item", item.pk)
    )


def item_form_submit(request, pk, form_class, form_name, service, label):
    item = item_or_404(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        errors = transitions.call(service, {"item": item, "by": request.user, **form.cleaned_data})
        if not errors:
            messages.success(request, label)
            return redirect("pages:item-detail", pk=pk)
        for field, lines in errors.items():
            for line in lines:
                form.add_error(field if field in form.fields else None, line)
    return render_item(request, item, status=400, **{form_name: form})


@login_required
@require_POST
def item_handler(request, pk):
    """The owning organisation's leader names (or clears) the item's 经办人."""
    item = item_or_404(request, pk)
    raw = request.POST.get("handler", "")
    handler = User.objects.filter(pk=raw, is_active=True).first() if raw.isdigit() else None
    if raw and handler is None:
        messages.error(request, _("请选择本单位的在职人员。"))
        return redirect("pages:item-detail", pk=pk)
    errors = transitions.call(
        action_item_handler_set, {"item": item, "by": request.user, "handler": handler}
    )
    if errors:
        for lines in errors.values():
            for line in lines:
                messages.error(request, line)
    elif handler is None:
        messages.success(request, _("已取消指定经办人。"))
    else:
        messages.success(request, _("已指定经办人：%(name)s。") % {"name": handler})
    return redirect("pages:item-detail", pk=pk)
