"""The implementation rules editor (实施细则) on a deliberated case: add, amend, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.casefile.pages import case_or_404, render_case
from workflow.implementation.forms import RuleAmendForm, RuleItemForm
from workflow.implementation.models import RuleItem
from workflow.implementation.services import rule_item_add, rule_item_delete, rule_item_update
from workflow.pages import transitions


def _coordinator_only(request):
    if not request.user.is_coordinator:
        raise PermissionDenied(_("只有协调员可以编辑实施细则。"))


def _apply(request, case, form, form_name, service, kwargs, done):
    if form.is_valid():
        errors = transitions.call(service, {**kwargs, **form.cleaned_data, "by": request.user})
        if not errors:
            messages.success(request, done)
            return redirect("pages:case-detail", pk=case.pk)
        for field, lines in errors.items():
            for line in lines:
                form.add_error(field if field in form.fields else None, line)
    return render_case(request, case, status=400, **{form_name: form})


@login_required
@require_POST
def rule_new(request, pk):
    _coordinator_only(request)
    case = case_or_404(request, pk)
    return _apply(
        request,
        case,
        RuleItemForm(request.POST),
        "rule_form",
        rule_item_add,
        {"case": case},
        _("细则条目已添加。"),
    )


@login_required
@require_POST
def rule_amend(request, pk, rule_id):
    _coordinator_only(request)
    case = case_or_404(request, pk)
    item = get_object_or_404(RuleItem, case=case, pk=rule_id)
    form = RuleAmendForm(request.POST)
    return _apply(
        request, case, form, "amend_form", rule_item_update, {"item": item}, _("细则已修订。")
    )


@login_required
@require_POST
def rule_delete(request, pk, rule_id):
    _coordinator_only(request)
    case = case_or_404(request, pk)
    item = get_object_or_404(RuleItem, case=case, pk=rule_id)
    errors = transitions.call(rule_item_delete, {"item": item, "by": request.user})
    for lines in (errors or {}).values():
        for line in lines:
            messages.error(request, line)
    return redirect("pages:case-detail", pk=pk)
