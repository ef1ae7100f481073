"""Standing-rule pages (常态化机制): the list and a rule's page with its versions and history
(the office; a department reads those that give it work); the office leader's promote, amend,
put-in-force and retire; and the coordinator's direct assignment from a case page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.fsm import Conflict
from workflow.casefile.pages import case_or_404
from workflow.pages.paging import page_of
from workflow.standing_rules import selectors, services
from workflow.standing_rules.forms import (
    AmendForm,
    ItemFormSet,
    PromoteForm,
    RetireForm,
    items_of,
)
from workflow.standing_rules.models import StandingRule, StandingRuleVersion


def _leader_only(request):
    if not (request.user.is_coordinator and request.user.is_leader):
        raise PermissionDenied(_("只有政务服务办领导可以制定、修订或废止常态化机制。"))


def _rule_or_404(request, pk) -> StandingRule:
    return get_object_or_404(selectors.rules_for(request.user), pk=pk)


@login_required
def rule_list(request):
    if not (request.user.is_coordinator or request.user.is_department_officer):
        raise Http404
    rules = selectors.rules_for(request.user).order_by("-number")
    page = page_of(rules, request.GET.get("page"))
    selectors.with_current(page.object_list)
    return render(request, "pages/standing_rules/list.html", {"page": page})


def _render_rule(request, rule, *, status=200, retire_form=None):
    context = selectors.rule_detail(request.user, rule)
    context["retire_form"] = retire_form or RetireForm()
    context["is_leader"] = request.user.is_coordinator and request.user.is_leader
    context["canonical_url"] = rule.get_absolute_url()
    return render(request, "pages/standing_rules/detail.html", context, status=status)


@login_required
def rule_detail(request, pk):
    return _render_rule(request, _rule_or_404(request, pk))


def _refusal_onto(form, formset, invalid: ValidationError) -> None:
    """A service's refusal beside its fields: items.<row>.<field> onto the row's form."""
    for key, lines in invalid.message_dict.items():
        parts = key.split(".")
        for line in lines:
            if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit():
                row = formset.forms[int(parts[1])] if int(parts[1]) < len(formset.forms) else None
                if row is not None and parts[2] in row.fields:
                    row.add_error(parts[2], line)
                    continue
            form.add_error(key if key in form.fields else None, line)


def _rows(formset) -> list[dict]:
    rows = items_of(formset)
    return [{k: row[k] for k in ("title", "owner", "deliverable", "working_days")} for row in rows]


def _version_form(request, *, template, form_class, initial, items, save, context):
    """GET: the form prefilled; POST: validate, call `save`, go to the rule or show why not."""
    if request.method == "POST":
        form = form_class(request.POST)
        formset = ItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            try:
                rule, done = save(form.cleaned_data, _rows(formset))
            except ValidationError as invalid:
                _refusal_onto(form, formset, invalid)
            except Conflict as conflict:
                form.add_error(None, conflict.message)
            else:
                messages.success(request, done)
                return redirect("pages:standing-rule-detail", pk=rule.pk)
        status = 400
    else:
        form = form_class(initial=initial)
        formset = ItemFormSet(initial=items, prefix="items")
        status = 200
    # A refused form is shown at its own address, which is also where it posts again.
    context = {"form": form, "formset": formset, "canonical_url": request.path, **context}
    return render(request, template, context, status=status)


@login_required
def rule_promote(request, pk):
    """转为常态化机制, from a resolved case's page: prefilled with its resolution and rules."""
    _leader_only(request)
    case = case_or_404(request, pk)
    draft = selectors.promotion_draft(case)

    def save(data, rows):
        rule = services.standing_rule_promote(
            case=case,
            by=request.user,
            title=data["title"],
            summary=data["summary"],
            legal_basis=data["legal_basis"],
            effective_on=data["effective_on"],
            items=rows,
            enact=data["enact"],
        )
        return rule, _("已转为%(rule)s。") % {"rule": rule.label}

    return _version_form(
        request,
        template="pages/standing_rules/promote.html",
        form_class=PromoteForm,
        initial={k: draft[k] for k in ("title", "summary", "legal_basis", "effective_on")}
        | {"enact": True},
        items=[{**row, "owner": row["owner"].pk} for row in draft["items"]],
        save=save,
        context={"case": case},
    )


@login_required
def rule_amend(request, pk):
    """修订: a new version, prefilled from the one in force."""
    _leader_only(request)
    rule = _rule_or_404(request, pk)
    latest = (
        rule.versions.exclude(status=StandingRuleVersion.Status.RETIRED)
        .order_by("-version")
        .first()
    )
    base = latest or rule.versions.order_by("-version").first()

    def save(data, rows):
        version = services.standing_rule_amend(
            rule=rule,
            by=request.user,
            summary=data["summary"],
            legal_basis=data["legal_basis"],
            effective_on=data["effective_on"],
            items=rows,
            reason=data["reason"],
            enact=data["enact"],
        )
        return rule, _("已保存第%(v)s版。") % {"v": version.version}

    return _version_form(
        request,
        template="pages/standing_rules/amend.html",
        form_class=AmendForm,
        initial={"summary": base.summary, "legal_basis": base.legal_basis, "enact": True},
        items=[
            {
                "title": i.title,
                "owner": i.owner_id,
                "deliverable": i.deliverable,
                "working_days": i.working_days,
            }
            for i in base.items.all()
        ],
        save=save,
        context={"rule": rule, "base": base},
    )


@login_required
@require_POST
def rule_enact(request, pk, version):
    _leader_only(request)
    rule = _rule_or_404(request, pk)
    drafted = get_object_or_404(rule.versions, version=version)
    try:
        services.standing_rule_enact(version=drafted, by=request.user)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("第%(v)s版已施行。") % {"v": version})
    return redirect("pages:standing-rule-detail", pk=rule.pk)


@login_required
@require_POST
def rule_retire(request, pk):
    _leader_only(request)
    rule = _rule_or_404(request, pk)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            services.standing_rule_retire(rule=rule, by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            form.add_error(None, invalid.messages[0])
        except Conflict as conflict:
            form.add_error(None, conflict.message)
        else:
            messages.success(request, _("%(rule)s已废止。") % {"rule": rule.label})
            return redirect("pages:standing-rule-detail", pk=rule.pk)
    return _render_rule(request, rule, status=400, retire_form=form)


@login_required
@require_POST
def rule_apply(request, pk):
    """依常态化机制直接交办, from the offer on a case page at triage."""
    case = case_or_404(request, pk)
    if not request.user.is_coordinator:
        raise PermissionDenied(_("只有协调员可以依常态化机制交办。"))
    rule_id, version = request.POST.get("standing_rule", ""), request.POST.get("version", "")
    if not (rule_id.isdigit() and version.isdigit()):
        messages.error(request, _("请选择要适用的常态化机制。"))
        return redirect("pages:case-detail", pk=pk)
    rule = _rule_or_404(request, int(rule_id))
    try:
        services.standing_rule_apply(case=case, rule=rule, by=request.user, version=int(version))
    except (Conflict, ValidationError) as refused:
        messages.error(request, getattr(refused, "message", None) or refused.messages[0])
    else:
        messages.success(
            request, _("已依%(rule)s直接交办，任务已发给各责任单位。") % {"rule": rule.label}
        )
    return redirect(reverse("pages:case-detail", args=[pk]))
