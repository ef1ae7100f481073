"""The working calendar (工作日历) kept from a page by the office leader and the administrator:
a year's holidays and working weekends (调休), entered one by one from the State Council's
notice or imported from the chinese-calendar package when it has the year, and a warning while
a year has no holiday data (its limits count weekends only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config import timesource
from config.changelog import recent_changes
from config.forms import add_errors
from departments.permissions import may_keep_reference_data
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.forms import CalendarDayForm
from workflow.deadlines.services import (
    CALENDAR_YEARS,
    calendar_day_delete,
    calendar_day_save,
    calendar_import_year,
    package_days,
)
from workflow.deadlines.working_days import WorkingCalendar


def _keeper(request):
    if not may_keep_reference_data(request.user):
        raise PermissionDenied(_("只有政务服务办领导和系统管理员可以维护基础数据。"))


def _year(raw) -> int:
    """The year asked for (?year=), the coming year when none or nonsense is given."""
    coming = timesource.today().year + 1
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return coming
    return year if CALENDAR_YEARS[0] <= year <= CALENDAR_YEARS[1] else coming


def _address(year: int) -> str:
    return f"{reverse('pages:working-calendar')}?year={year}"


@login_required
def calendar_year(request):
    """GET: the year's entries, its coverage and the form to add a day; POST adds one."""
    _keeper(request)
    year = _year(request.GET.get("year"))
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day = calendar_day_save(by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("已录入 %(day)s。") % {"day": day})
            return redirect(_address(day.date.year))
    calendar = WorkingCalendar()
    coming = timesource.today().year + 1
    entries = list(CalendarDay.objects.filter(date__year=year))
    offered = package_days(year)
    entered = {entry.date for entry in entries}
    context = {
        "year": year,
        "coming": coming,
        "years": [year - 1, year + 1],
        "entries": entries,
        "covered": calendar.year_covered(year),
        "coming_covered": calendar.year_covered(coming),
        "in_package": bool(offered),
        "to_import": [day for day in offered if day.date not in entered],
        "form": form,
        "changes": recent_changes((CalendarDay, None)),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "deadlines/calendar.html", context, status=status)


@login_required
@require_POST
def calendar_import(request):
    _keeper(request)
    year = _year(request.POST.get("year"))
    try:
        added = calendar_import_year(by=request.user, year=year)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("已从内置数据导入 %(year)s 年的 %(n)s 天。") % {"year": year, "n": added},
        )
    return redirect(_address(year))


@login_required
def calendar_day_edit(request, pk):
    _keeper(request)
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    form = CalendarDayForm(request.POST or None, instance=day)
    if request.method == "POST" and form.is_valid():
        try:
            day = calendar_day_save(by=request.user, day=day, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("已保存 %(day)s。") % {"day": day})
            return redirect(_address(day.date.year))
    context = {"form": form, "title": _("修改工作日历"), "back": _address(year)}
    status = 400 if request.method == "POST" else 200
    return render(request, "pages/reference_form.html", context, status=status)


@login_required
@require_POST
def calendar_day_delete_page(request, pk):
    _keeper(request)
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    calendar_day_delete(by=request.user, day=day)
    messages.success(request, _("已删除 %(day)s。") % {"day": day})
    return redirect(_address(year))
