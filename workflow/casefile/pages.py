"""Case pages: the list (the coordinator's triage queue), filing, and the case page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.models import Case
from cases.permissions import is_case_enterprise_user, is_office_leader
from config.fsm import Conflict
from config.replica import from_replica
from departments.models import Organisation, User
from workflow.casefile import selectors
from workflow.casefile.contributions import attachment_add, attachment_remove, comment_add
from workflow.casefile.forms import CaseEditForm, CaseFileForm, CommentForm, UploadForm
from workflow.casefile.services import (
    EDITABLE_FIELDS,
    case_delete_draft,
    case_edit,
    case_file,
    case_owner_set,
    case_resubmit,
    case_submit,
    coordinator_workload,
)
from workflow.casefile.transitions import CASE_TRANSITIONS
from workflow.deadlines.selectors import cases_with_clock_in
from workflow.implementation.forms import RuleItemForm
from workflow.implementation.selectors import sign_off_context
from workflow.pages import transitions
from workflow.pages.paging import page_of
from workflow.precedents.context import assign_prefill, case_precedents
from workflow.record.kinds import SUBJECTS
from workflow.record.timeline import subject_links, timeline_entries
from workflow.sessions.models import Resolution
from workflow.standing_rules.selectors import case_context as standing_rule_context
from workflow.statistics import list_exports

# The coordinator's queue tabs, and everyone else's.
QUEUE_TABS = [
    ("new", gettext_lazy("待受理")),
    ("needs_info", gettext_lazy("待补正")),
    ("review", gettext_lazy("待审核")),
    ("yellow", gettext_lazy("黄牌预警")),
    ("red", gettext_lazy("红牌超期")),
    ("all", gettext_lazy("全部")),
]
LIST_TABS = [("open", gettext_lazy("办理中")), ("all", gettext_lazy("全部"))]
CLOSED = [Case.Status.CLOSED, Case.Status.REJECTED, Case.Status.WITHDRAWN]
WIDE_TRANSITIONS = ("assign", "resolve", "send_back")


def _filter(cases, tab):
    if tab == "new":
        return cases.filter(status=Case.Status.SUBMITTED)
    if tab == "needs_info":
        return cases.filter(status=Case.Status.NEEDS_INFO)
    if tab == "review":
        return cases.filter(status=Case.Status.UNDER_REVIEW)
    if tab in ("yellow", "red"):
        return cases.filter(pk__in=cases_with_clock_in(tab))
    if tab == "open":
        return cases.exclude(status__in=CLOSED)
    return cases


def _listed(request) -> dict:
    """The case list's rows for the filters on screen (tab, search, 承办人), shared by the page
    and its Excel export; with what the page shows of those filters."""
    tabs = QUEUE_TABS if request.user.is_coordinator else LIST_TABS
    tab = request.GET.get("tab") or tabs[0][0]
    if tab not in dict(tabs):
        tab = "all"
    q = request.GET.get("q", "").strip()
    search_error = ""
    if "\x00" in q:
        # No text holds a NUL, and PostgreSQL refuses one in a query: say so, search nothing.
        search_error = _("搜索词不能包含空字符。")
        q = q.replace("\x00", "")
    cases = _filter(selectors.case_rows(request.user), tab)
    if q and not search_error:
        cases = selectors.text_search(cases, q)
    owner = _owner_filter(request)
    if owner is not None:
        cases = cases.filter(owner=owner)
    channel = request.GET.get("channel", "")
    if channel in Case.SourceChannel.values:
        cases = cases.filter(source_channel=channel)
    return {
        "cases": cases.order_by("-updated_at", "-id"),
        "tabs": tabs,
        "tab": tab,
        "q": q,
        "search_error": search_error,
        "owner": owner,
        "channel": channel if channel in Case.SourceChannel.values else "",
        "channels": Case.SourceChannel.choices,
    }


@login_required
def case_list(request):
    listed = _listed(request)
    page = page_of(listed.pop("cases"), request.GET.get("page"))
    page.object_list = selectors.with_progress(page.object_list)
    status = 400 if listed["search_error"] else 200
    return render(request, "pages/case_list.html", {"page": page, **listed}, status=status)


@login_required
@from_replica
def case_export(request):
    """The list as an Excel workbook, with the same filters (the list's export button)."""
    listed = _listed(request)
    if listed["search_error"]:
        return case_list(request)
    return list_exports.cases_workbook(listed["cases"])


def _owner_filter(request):
    """?owner=<id>: the office's list of one 承办人's cases (the workload page links here)."""
    raw = request.GET.get("owner", "")
    if not (request.user.is_coordinator and raw.isdigit()):
        return None
    return User.objects.filter(pk=raw, organisation__kind=Organisation.Kind.OFFICE).first()


@login_required
def case_new(request):
    if not request.user.is_enterprise_user:
        raise PermissionDenied(_("只有企业用户可以提交诉求。"))
    form = CaseFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploads = data.pop("attachments")
        submit = request.POST.get("action") != "draft"
        try:
            with transaction.atomic():
                case = case_file(by=request.user, submit=submit, **data)
                for upload in uploads:
                    attachment_add(case=case, by=request.user, upload=upload)
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            if submit:
                message = _("诉求已提交，编号 %(ref)s。") % {"ref": case.reference}
            else:
                message = _("草稿已保存，提交前只有贵单位能看到它。")
            messages.success(request, message)
            return redirect("pages:case-detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "pages/case_new.html", {"form": form}, status=status)


def _add_errors(form, invalid: ValidationError) -> None:
    """A service's refusal, shown beside the field it names (or above the form)."""
    named = invalid.message_dict if hasattr(invalid, "error_dict") else {}
    for field, lines in (named or {None: invalid.messages}).items():
        for line in lines:
            form.add_error(field if field in form.fields else None, line)


def case_or_404(request, pk):
    case = selectors.case_detail(request.user, pk).first()
    if case is None:
        raise Http404
    return case


def render_case(request, case, *, status=200, open_name=None, data=None, errors=None, **extra):
    events = list(selectors.timeline(request.user, case))
    sessions = list(case.sessions.order_by("scheduled_at", "id"))
    subject = request.GET.get("timeline", "")
    subject = subject if subject in SUBJECTS else ""
    returned = [e for e in events if e.kind == "return_for_info"]
    items = list(case.action_items.all())
    live_items = [i for i in items if i.status != "cancelled"]
    if open_name is None:
        # Just after following a precedent for a direct assignment: its rows, ready to check.
        prefill = assign_prefill(request, case)
        if prefill:
            open_name, data = "assign", {"assignments": prefill}
    offered = transitions.available(
        CASE_TRANSITIONS, case, request.user, open_name=open_name, data=data, errors=errors
    )
    sign_off = sign_off_context(request.user, case)
    context = {
        "case": case,
        "timeline": timeline_entries(events, sessions=sessions, subject=subject),
        "timeline_subject": subject,
        "timeline_subjects": subject_links(),
        "last_event_id": events[-1].pk if events else "",
        "items": items,
        "done": sum(i.status == "done" for i in live_items),
        "total": len(live_items),
        # The enterprise found the result unsatisfactory and the office handles it again.
        "reopened": _reopened_because(case),
        # 交办 needs the page's width (a row per department); the other forms fit the side.
        "wide_transitions": [t for t in offered if t["name"] in WIDE_TRANSITIONS],
        "transitions": [t for t in offered if t["name"] not in WIDE_TRANSITIONS],
        "sessions": sessions,
        "resolution": Resolution.objects.filter(session__case=case)
        .prefetch_related("responsible_organisations")
        .order_by("-pk")
        .first(),
        "rule_items": case.rule_items.select_related("owner").order_by("number"),
        **sign_off,
        "rules_editable": request.user.is_coordinator
        and case.status == Case.Status.DELIBERATED
        and sign_off["sign_off_pending"] is None,
        "owner_choices": owner_choices(request.user),
        "rule_form": extra.pop("rule_form", None) or RuleItemForm(),
        "amend_form": extra.pop("amend_form", None),
        "comment_form": extra.pop("comment_form", None) or _comment_form(request, case),
        # The office's question, shown in a banner while the case waits for the answer.
        "info_request": returned[-1].payload.get("reason", "")
        if returned and case.status == Case.Status.NEEDS_INFO
        else "",
        "is_owner": is_case_enterprise_user(case, request.user),
        "upload_form": extra.pop("upload_form", None) or UploadForm(),
        **case_precedents(request.user, case, signing=sign_off["sign_off_pending"] is not None),
        **standing_rule_context(request.user, case),
        **extra,
    }
    return render(request, "pages/case_detail.html", context, status=status)


@login_required
def case_detail(request, pk):
    return render_case(request, case_or_404(request, pk))


@login_required
@require_POST
def case_transition(request, pk, name):
    case = case_or_404(request, pk)
    spec = CASE_TRANSITIONS.get(name)
    if spec is None:
        raise Http404
    data, errors = transitions.submit(spec, case, "case", request)
    general = errors and transitions.only_general(errors)
    if general:
        for line in general:
            messages.error(request, line)
        return redirect("pages:case-detail", pk=pk)
    if errors:
        return render_case(
            request, case_or_404(request, pk), status=400, open_name=name, data=data, errors=errors
        )
    messages.success(request, _done_message(name, spec, case_or_404(request, pk)))
    return redirect("pages:case-detail", pk=pk)


def _comment_key(case) -> str:
    return f"case-{case.pk}-comment"


def _comment_form(request, case):
    """The comment form, or the one just refused: its text and errors are kept in the session
    across the redirect, so that they show at the case page's own address."""
    refused = request.session.pop(_comment_key(case), None)
    if refused is None:
        return CommentForm(user=request.user)
    form = CommentForm(refused["data"], user=request.user)
    form.full_clean()
    form._errors, form.cleaned_data = ErrorDict(), {}
    for field, lines in refused["errors"].items():
        for line in lines:
            form.add_error(field if field in form.fields else None, line)
    return form


def _reopened_because(case) -> dict | None:
    """The enterprise's 不满意 that reopened an open case, while it is handled again."""
    if not case.is_open or case.rating != Case.Rating.DISSATISFIED:
        return None
    if case.status == Case.Status.RESOLVED:
        return None
    event = case.events.filter(kind="confirm").order_by("-id").first()
    return {"comment": (event.payload or {}).get("comment", "") if event else ""}


def _done_message(name, spec, case) -> str:
    if name == "confirm":
        if case.status == Case.Status.CLOSED:
            return _("已提交评价，诉求事项已归档。")
        return _("已提交不满意意见，诉求事项已退回政务服务办重新办理。")
    if name == "send_back":
        return _("已退回重办，承办单位已收到通知。")
    if name == "resolve":
        return _("已提请企业评价。")
    return _("已%(action)s。") % {"action": spec.label}


@login_required
@require_POST
def case_comment(request, pk):
    case = case_or_404(request, pk)
    form = CommentForm(request.POST, user=request.user)
    if form.is_valid():
        errors = transitions.call(
            comment_add,
            {
                "case": case,
                "by": request.user,
                "body": form.cleaned_data["body"],
                "visibility": form.cleaned_data.get("visibility"),
            },
        )
        if not errors:
            messages.success(request, _("留言已发表。"))
            return redirect(reverse("pages:case-detail", args=[pk]) + "#comment-form")
        for field, lines in errors.items():
            for line in lines:
                form.add_error(field if field in form.fields else None, line)
    request.session[_comment_key(case)] = {
        "data": {name: request.POST.get(name, "") for name in form.fields},
        "errors": {field: [str(line) for line in lines] for field, lines in form.errors.items()},
    }
    return redirect(reverse("pages:case-detail", args=[pk]) + "#comment-form")


def _own_case_or_404(request, pk):
    case = case_or_404(request, pk)
    if not is_case_enterprise_user(case, request.user):
        raise PermissionDenied(_("只有提交该诉求的企业可以修改它。"))
    return case


@login_required
def case_edit_page(request, pk):
    """The enterprise edits its draft, or corrects its case returned for more information;
    from here it may also submit (draft) or resubmit (待补正) in the same step."""
    case = _own_case_or_404(request, pk)
    editable = EDITABLE_FIELDS.get(case.status)
    if editable is None:
        messages.error(
            request,
            _("当前状态（%(state)s）不能修改诉求内容。") % {"state": case.get_status_display()},
        )
        return redirect("pages:case-detail", pk=pk)
    form = CaseEditForm(request.POST or None, request.FILES or None, case=case, editable=editable)
    if request.method == "POST" and form.is_valid():
        send = request.POST.get("action") == "send"
        try:
            with transaction.atomic():
                case = case_edit(case=case, by=request.user, **form.changes())
                for attachment in form.cleaned_data["remove_attachments"]:
                    attachment_remove(attachment=attachment, by=request.user)
                for upload in form.cleaned_data["attachments"]:
                    attachment_add(case=case, by=request.user, upload=upload)
                if send and case.status == Case.Status.DRAFT:
                    case = case_submit(case=case, by=request.user)
                elif send:
                    case = case_resubmit(
                        case=case, by=request.user, reply=form.cleaned_data.get("reply", "")
                    )
        except ValidationError as invalid:
            _add_errors(form, invalid)
        except Conflict as conflict:
            form.add_error(None, conflict.message)
        else:
            if send and case.status == Case.Status.SUBMITTED:
                messages.success(request, _("已保存并提交，请等待政务服务办受理。"))
            else:
                messages.success(request, _("修改已保存。"))
            return redirect("pages:case-detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "case": case,
        "form": form,
        "info_request": _info_request(request.user, case),
        # The edit page is a page of its own: after an error it stays here, not the case page.
        "canonical_url": request.path,
    }
    return render(request, "pages/case_edit.html", context, status=status)


def _info_request(user, case) -> str:
    """The office's question when it returned the case for more information (待补正)."""
    if case.status != Case.Status.NEEDS_INFO:
        return ""
    returned = selectors.timeline(user, case).filter(kind="return_for_info").last()
    return returned.payload.get("reason", "") if returned else ""


@login_required
def case_delete_page(request, pk):
    """Deleting a draft, after a page that asks for confirmation."""
    case = _own_case_or_404(request, pk)
    if case.status != Case.Status.DRAFT:
        messages.error(request, _("只有草稿可以删除；已提交的诉求事项可以撤回。"))
        return redirect("pages:case-detail", pk=pk)
    if request.method == "POST":
        try:
            case_delete_draft(case=case, by=request.user)
        except Conflict as conflict:
            messages.error(request, conflict.message)
            return redirect("pages:case-detail", pk=pk)
        messages.success(request, _("草稿“%(title)s”已删除。") % {"title": case.title})
        return redirect("pages:case-list")
    return render(request, "pages/case_delete.html", {"case": case})


@login_required
@require_POST
def case_upload(request, pk):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        errors = transitions.call(
            attachment_add, {"case": case, "by": request.user, "upload": form.cleaned_data["file"]}
        )
        if not errors:
            messages.success(request, _("附件已上传。"))
            return redirect(_local(request.POST.get("next", "")) or f"/cases/{pk}/")
        for message in errors.get("file", []) + errors.get("__all__", []):
            form.add_error("file", message)
    return render_case(request, case_or_404(request, pk), status=400, upload_form=form)


def _local(path: str) -> str:
    """Only a path on this site is followed after an upload (no open redirect)."""
    return path if path.startswith("/") and not path.startswith("//") else ""


def owner_choices(user) -> list:
    """The coordinators the office leader may name 承办人; nobody else names one."""
    if not is_office_leader(None, user):
        return []
    return list(
        User.objects.filter(organisation__kind=Organisation.Kind.OFFICE, is_active=True).order_by(
            "username"
        )
    )


@login_required
@require_POST
def case_owner(request, pk):
    """The office leader names (or clears) the case's 承办人 from the case page."""
    case = case_or_404(request, pk)
    raw = request.POST.get("owner", "")
    owner = None
    if raw:
        owner = User.objects.filter(pk=raw if raw.isdigit() else 0, is_active=True).first()
        if owner is None:
            messages.error(request, _("请选择政务服务办的工作人员。"))
            return redirect("pages:case-detail", pk=pk)
    errors = transitions.call(case_owner_set, {"case": case, "by": request.user, "owner": owner})
    if errors:
        for lines in errors.values():
            for line in lines:
                messages.error(request, line)
    elif owner is None:
        messages.success(request, _("已取消指定承办人。"))
    else:
        messages.success(request, _("已指定承办人：%(name)s。") % {"name": owner})
    return redirect("pages:case-detail", pk=pk)


@login_required
def workload(request):
    """Open cases per 承办人: the office leader's view of who carries what."""
    if not request.user.is_coordinator:
        raise PermissionDenied(_("只有政务服务办可以查看承办人工作量。"))
    rows, unowned = coordinator_workload()
    return render(request, "pages/workload.html", {"rows": rows, "unowned": unowned})
