"""The register of organisations and their people (组织与人员), kept from pages: the office
leader and the administrator register and edit organisations and everyone's accounts; a
department's or third party's leader keeps their own organisation's people. Nothing is deleted:
an organisation or an account is deactivated (停用), and every change is in the change log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.changelog import recent_changes
from config.forms import add_errors
from departments.forms import OrganisationForm, PersonForm
from departments.models import Organisation, User
from departments.permissions import may_keep_people_of, may_keep_reference_data
from departments.services import (
    organisation_create,
    organisation_set_active,
    organisation_update,
    person_create,
    person_set_active,
    person_update,
)

PAGE_SIZE = 30


def _keeper(request):
    if not may_keep_reference_data(request.user):
        raise PermissionDenied(_("只有政务服务办领导和系统管理员可以维护基础数据。"))


@login_required
def organisation_list(request):
    if not may_keep_reference_data(request.user):
        if may_keep_people_of(request.user, request.user.organisation or Organisation()):
            return redirect("pages:organisation-detail", pk=request.user.organisation_id)
        _keeper(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organisation.Kind.values else ""
    q = request.GET.get("q", "").strip().replace("\x00", "")
    organisations = Organisation.objects.annotate(people=Count("members"))
    if kind:
        organisations = organisations.filter(kind=kind)
    if q:
        organisations = organisations.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(credit_code__icontains=q)
        )
    page = Paginator(organisations.order_by("kind", "name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "kind": kind,
        "kinds": Organisation.Kind.choices,
        "q": q,
        "changes": recent_changes((Organisation, None), (User, None)),
    }
    return render(request, "departments/organisation_list.html", context)


@login_required
def organisation_new(request):
    _keeper(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("已登记 %(name)s。") % {"name": organisation.name})
            return redirect("pages:organisation-detail", pk=organisation.pk)
    return _form_page(request, form, _("登记组织"), status=400 if request.method == "POST" else 200)


def _form_page(request, form, title, *, back=None, status=200):
    """A form of the register on its own page; `back`: the address of Cancel."""
    context = {"form": form, "title": title, "back": back or reverse("pages:organisation-list")}
    return render(request, "pages/reference_form.html", context, status=status)


def _organisation_or_404(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    if not may_keep_people_of(request.user, organisation):
        raise PermissionDenied(_("部门领导只能管理本单位的人员。"))
    return organisation


@login_required
def organisation_detail(request, pk):
    organisation = _organisation_or_404(request, pk)
    people = list(organisation.members.order_by("-is_active", "-organisation_role", "username"))
    context = {
        "organisation": organisation,
        "people": people,
        "keeper": may_keep_reference_data(request.user),
        "changes": recent_changes(
            (Organisation, [organisation.pk]), (User, [person.pk for person in people])
        ),
    }
    return render(request, "departments/organisation_detail.html", context)


@login_required
def organisation_edit(request, pk):
    _keeper(request)
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("组织信息已保存。"))
            return redirect("pages:organisation-detail", pk=pk)
    back = reverse("pages:organisation-detail", args=[pk])
    status = 400 if request.method == "POST" else 200
    return _form_page(request, form, _("修改组织信息"), back=back, status=status)


def _wants_active(request) -> bool:
    return request.POST.get("active") == "1"


@login_required
@require_POST
def organisation_active(request, pk):
    _keeper(request)
    organisation = get_object_or_404(Organisation, pk=pk)
    active = _wants_active(request)
    try:
        organisation_set_active(by=request.user, organisation=organisation, active=active)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("已启用。") if active else _("已停用。"))
    return redirect("pages:organisation-detail", pk=pk)


@login_required
def person_new(request, pk):
    organisation = _organisation_or_404(request, pk)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("已为 %(name)s 开通账号。") % {"name": person})
            return redirect("pages:organisation-detail", pk=pk)
    back = reverse("pages:organisation-detail", args=[pk])
    status = 400 if request.method == "POST" else 200
    title = _("%(organisation)s：新增人员") % {"organisation": organisation}
    return _form_page(request, form, title, back=back, status=status)


def _person_or_404(request, pk):
    person = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    if person.organisation is None or not may_keep_people_of(request.user, person.organisation):
        raise PermissionDenied(_("部门领导只能管理本单位的人员。"))
    return person


@login_required
def person_edit(request, pk):
    person = _person_or_404(request, pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("人员信息已保存。"))
            return redirect("pages:organisation-detail", pk=person.organisation_id)
    back = reverse("pages:organisation-detail", args=[person.organisation_id])
    status = 400 if request.method == "POST" else 200
    title = _("修改人员信息：%(name)s") % {"name": person.username}
    return _form_page(request, form, title, back=back, status=status)


@login_required
@require_POST
def person_active(request, pk):
    person = _person_or_404(request, pk)
    active = _wants_active(request)
    try:
        person_set_active(by=request.user, person=person, active=active)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("账号已启用。") if active else _("账号已停用。"))
    return redirect("pages:organisation-detail", pk=person.organisation_id)
