from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext as _

from config import timesource
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar
from workflow.extensions.models import Extension
from workflow.implementation.models import RuleItem
from workflow.items.models import ActionItem
from workflow.record.models import Event
from workflow.sessions.models import JointSession, SessionParticipant
from workflow.standing_rules.models import (
    StandingRule,
    StandingRuleApplication,
    StandingRuleVersion,
)
from workflow.supervision.models import SupervisionNotice


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    """Action items move only through the services; here they are read and their text edited."""

    list_display = ["title", "case", "owner", "status", "due_date"]
    list_filter = ["status", "owner"]
    search_fields = ["title", "case__reference", "case__title"]
    readonly_fields = [
        "case",
        "owner",
        "status",
        "status_reason",
        "completion_note",
        "created_by",
        "created_at",
        "updated_at",
        "completed_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The event log is append-only: the admin shows it and changes nothing."""

    list_display = ["created_at", "case", "kind", "actor", "from_state", "to_state"]
    list_filter = ["kind"]
    search_fields = ["case__reference", "kind"]
    list_select_related = ["case", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and working weekends (调休) from the State Council notice, one row a day.

    Entries override the chinese-calendar package; a year the package does not cover yet is
    counted by weekends alone until its days are entered here.
    """

    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["note"]

    def changelist_view(self, request, extra_context=None):
        next_year = timesource.today().year + 1
        if not WorkingCalendar().year_covered(next_year):
            messages.warning(
                request,
                _(
                    "尚无 %(year)s 年的节假日数据：请按国务院办公厅通知录入该年的节假日和"
                    "调休工作日，否则跨入该年的时限只按周末计算。"
                )
                % {"year": next_year},
            )
        return super().changelist_view(request, extra_context)


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin):
    """Clocks move with the case; here they are only read (a calendar gap shows in the list)."""

    list_display = ["case", "kind", "started", "due", "state", "calendar_gap"]
    list_filter = ["kind", "state", "calendar_gap"]
    search_fields = ["case__reference", "case__title"]
    list_select_related = ["case"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    """Extensions are requested and decided through the services; here they are read."""

    list_display = ["action_item", "old_due_date", "requested_due_date", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["action_item"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    """Supervision notices are issued and answered through the services; here they are read."""

    list_display = ["case", "action_item", "owner", "answer_due", "status", "created_at"]
    list_filter = ["status", "owner"]
    list_select_related = ["case", "action_item", "owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ParticipantInline(ReadOnlyInline):
    model = SessionParticipant
    fields = ["capacity", "organisation", "person", "required", "status", "delegate", "attendance"]


@admin.register(JointSession)
class JointSessionAdmin(admin.ModelAdmin):
    """Joint sessions move only through the services (quorum, opinions); here they are read."""

    list_display = ["title", "case", "scheduled_at", "status", "convener"]
    list_filter = ["status"]
    search_fields = ["title", "case__reference", "case__title"]
    list_select_related = ["case", "convener"]
    inlines = [ParticipantInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RuleItem)
class RuleItemAdmin(admin.ModelAdmin):
    """Rule items change by amendment through the services, with a reason; here they are read."""

    list_display = ["case", "number", "title", "owner", "due_date", "version", "published_at"]
    list_select_related = ["case", "owner"]
    search_fields = ["title", "case__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Interchange's admin lives in its subject's package.
import workflow.interchange.admin  # noqa: E402, F401


class StandingRuleVersionInline(ReadOnlyInline):
    model = StandingRuleVersion
    fields = ["version", "status", "effective_on", "reason", "enacted_by", "retired_by"]
    readonly_fields = fields


@admin.register(StandingRule)
class StandingRuleAdmin(admin.ModelAdmin):
    """Standing rules (常态化机制) are promoted, amended and retired by the office leader on the
    pages, with their versions kept; here they are read."""

    list_display = ["number", "title", "category", "source_case", "created_at"]
    list_filter = ["category"]
    list_select_related = ["category", "source_case"]
    search_fields = ["title"]
    inlines = [StandingRuleVersionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StandingRuleApplication)
class StandingRuleApplicationAdmin(admin.ModelAdmin):
    """Which case was handled under which version: part of the record, read only."""

    list_display = ["case", "version", "applied_by", "applied_at"]
    list_select_related = ["case", "version__rule", "applied_by"]
    search_fields = ["case__reference", "case__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
