"""Notifications in templates: moments written as the reader's language writes them."""

from django import template

from workflow.notifications.kinds import format_date, format_datetime

register = template.Library()


@register.filter
def local_datetime(value) -> str:
    """`2026年12月4日 09:30` in Chinese, `4 Dec 2026, 09:30` in English (site time zone)."""
    return format_datetime(value) if value else ""


@register.filter
def local_date(value) -> str:
    return format_date(value) if value else ""
