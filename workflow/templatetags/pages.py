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


# The page a subject's forms belong to: (context variable, its page's address name).
CANONICAL_PAGES = [
    ("item", "pages:item-detail"),
    ("session", "pages:session-detail"),
    ("case", "pages:case-detail"),
]


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The address of the page being shown, for the address bar and the live refresh.

    A form that fails re-renders its page at the POST address (`/cases/5/rules/`); the page
    says where it really lives so the browser shows that address (pages.js) and refreshes
    from it. A view may say it with `canonical_url`; a GET is its own address; otherwise the
    page of the subject shown (item, session, then case), else the request's own address.
    """
    explicit = context.get("canonical_url")
    if explicit:
        return explicit
    request = context.get("request")
    if request is None:
        return ""
    if request.method not in ("GET", "HEAD"):
        for name, view_name in CANONICAL_PAGES:
            subject = context.get(name)
            if getattr(subject, "pk", None) is not None:
                return reverse(view_name, args=[subject.pk])
    return request.get_full_path()


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
    calendar = request.working_calendar
    view = clock_view(clock_obj, calendar=calendar)
    # A year nobody entered the holidays of counts weekends only: the due date may be wrong.
    gap_years = [
        year
        for year in range(view["started"].year, view["due"].year + 1)
        if not calendar.year_covered(year)
    ]
    return {"c": view, "gap": bool(gap_years) or view["calendar_gap"], "gap_years": gap_years}


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
