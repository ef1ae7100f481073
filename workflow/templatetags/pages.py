"""Template helpers of the pages: navigation links, status badges, clocks."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from workflow.casefile.forms import localized_name
from workflow.deadlines.clock_state import clock_view
from workflow.deadlines.working_days import WorkingCalendar

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, view_name, label):
    request = context["request"]
    current = request.resolver_match and request.resolver_match.view_name == view_name
    return format_html(
        '<a href="{}"{}>{}</a>',
        reverse(view_name),
        mark_safe(' aria-current="page"') if current else "",
        label,
    )


@register.simple_tag
def badge(obj, field="status"):
    """The coloured badge of a choice field (status by default), one colour per value."""
    value = getattr(obj, field)
    return format_html(
        '<span class="badge s-{}">{}</span>', value, getattr(obj, f"get_{field}_display")()
    )


@register.inclusion_tag("pages/clock.html", takes_context=True)
def clock(context, clock_obj):
    # One working calendar per request: it reads the holiday table once, not once per clock.
    request = context["request"]
    if not hasattr(request, "working_calendar"):
        request.working_calendar = WorkingCalendar()
    return {"c": clock_view(clock_obj, calendar=request.working_calendar)}


@register.filter
def percent(done, total):
    return round(100 * done / total) if total else 0


@register.filter
def lines(value):
    """A list shown one entry per line (a text area's value)."""
    return "\n".join(value) if isinstance(value, list | tuple) else value


@register.filter
def localized(category):
    """A category's name in the page's language (categories keep an English name)."""
    return localized_name(category)
