"""The implementation rules editor (实施细则) on a deliberated case: add, amend, delete; and the
office leader's sign-off (领导签批): submit, approve or return."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.casefile.pages import case_or_404, render_case
from workflow.implementation.forms import RuleAmendForm, RuleItemForm
from workflow.implementation.models import RuleItem, RuleSignOff
from workflow.implementation.services import (
    rule_item_add,
    rule_item_delete,
    rule_item_update,
    rule_sign_off_approve,
    rule_sign_off_return,
    rule_sign_off_submit,
)
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


@login_required
@require_POST
def sign_off_submit(request, pk):
    """报请签批 from the rules card."""
    _coordinator_only(request)
    case = case_or_404(request, pk)
    note = request.POST.get("note", "")
    errors = transitions.call(
        rule_sign_off_submit, {"case": case, "by": request.user, "note": note}
    )
    if errors:
        for lines in errors.values():
            for line in lines:
                messages.error(request, line)
    else:
        messages.success(request, _("实施细则已报请领导签批。"))
    return redirect(f"{reverse('pages:case-detail', args=[pk])}#rules-h")


@login_required
@require_POST
def sign_off_decide(request, pk, sign_off_id):
    """The office leader's decision: approve (issue) or return with remarks."""
    case = case_or_404(request, pk)
    if not request.user.is_coordinator:
        raise PermissionDenied(_("只有政务服务办领导可以签批实施细则。"))
    sign_off = get_object_or_404(RuleSignOff, case=case, pk=sign_off_id)
    decision = request.POST.get("decision")
    services = {"approve": rule_sign_off_approve, "send_back": rule_sign_off_return}
    if decision not in services:
        messages.error(request, _("请选择“签批同意”或“退回修改”。"))
        return redirect(f"{reverse('pages:case-detail', args=[pk])}#rules-h")
    remarks = request.POST.get("remarks", "")
    errors = transitions.call(
        services[decision], {"sign_off": sign_off, "by": request.user, "remarks": remarks}
    )
    if errors and "remarks" in errors:
        return render_case(
            request,
            case,
            status=400,
            sign_off_errors=errors["remarks"],
            sign_off_remarks=remarks,
        )
    if errors:
        for lines in errors.values():
            for line in lines:
                messages.error(request, line)
    elif decision == "approve":
        messages.success(request, _("已签批，实施细则已发布。"))
    else:
        messages.success(request, _("已退回协调员修改。"))
    return redirect(f"{reverse('pages:case-detail', args=[pk])}#rules-h")
