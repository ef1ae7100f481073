"""The problem categories (问题类别) and their time limits, kept from pages by the office leader
and the administrator: add, edit, retire (停用) or restore, delete one no case uses."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.forms import CategoryForm
from cases.models import Case, Category
from cases.services import (
    MAX_LIMIT_DAYS,
    category_create,
    category_delete,
    category_set_active,
    category_update,
)
from config.changelog import recent_changes
from config.forms import add_errors
from departments.permissions import may_keep_reference_data


def _keeper(request):
    if not may_keep_reference_data(request.user):
        raise PermissionDenied(_("只有政务服务办领导和系统管理员可以维护基础数据。"))


@login_required
def category_list(request):
    _keeper(request)
    # Whether any case uses a category: one index probe each, not a count of every case.
    in_use = Exists(Case.objects.filter(category=OuterRef("pk")))
    categories = Category.objects.annotate(in_use=in_use).order_by("-is_active", "position", "id")
    context = {
        "categories": categories,
        "answer_days": settings.SUPERVISION_ANSWER_DAYS,
        "max_days": MAX_LIMIT_DAYS,
        "changes": recent_changes((Category, None)),
    }
    return render(request, "cases/category_list.html", context)


def _form_page(request, form, title, status):
    context = {"form": form, "title": title, "back": reverse("pages:category-list")}
    return render(request, "pages/reference_form.html", context, status=status)


@login_required
def category_new(request):
    _keeper(request)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = category_create(by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("已新增问题类别 %(name)s。") % {"name": category.name})
            return redirect("pages:category-list")
    return _form_page(request, form, _("新增问题类别"), 400 if request.method == "POST" else 200)


@login_required
def category_edit(request, pk):
    _keeper(request)
    category = get_object_or_404(Category, pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            category_update(by=request.user, category=category, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("问题类别已保存；新的时限用于此后开始计时的事项。"))
            return redirect("pages:category-list")
    title = _("修改问题类别：%(name)s") % {"name": category.name}
    return _form_page(request, form, title, 400 if request.method == "POST" else 200)


@login_required
@require_POST
def category_active(request, pk):
    _keeper(request)
    category = get_object_or_404(Category, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        category_set_active(by=request.user, category=category, active=active)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("已启用。") if active else _("已停用。"))
    return redirect("pages:category-list")


@login_required
@require_POST
def category_delete_page(request, pk):
    _keeper(request)
    category = get_object_or_404(Category, pk=pk)
    try:
        category_delete(by=request.user, category=category)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("已删除问题类别 %(name)s。") % {"name": category.name})
    return redirect("pages:category-list")
