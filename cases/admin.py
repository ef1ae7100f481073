from django.contrib import admin

from cases.models import Attachment, Case, CaseInvolvement, Category, Comment


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "accept_days",
        "convene_days",
        "rules_days",
        "confirm_days",
        "position",
        "is_active",
    ]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ["author", "visibility", "body", "created_at"]
    readonly_fields = fields


class InvolvementInline(ReadOnlyInline):
    model = CaseInvolvement
    fields = ["organisation", "person", "reason"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases are read here; they move only through the workflow services (API and pages)."""

    list_display = ["reference", "title", "enterprise", "category", "status", "created_at"]
    list_filter = ["status", "category", "urgency"]
    search_fields = ["reference", "title", "description", "enterprise__name"]
    readonly_fields = [
        "reference",
        "status",
        "enterprise",
        "filed_by",
        "rating",
        "created_at",
        "updated_at",
        "submitted_at",
        "resolved_at",
        "closed_at",
    ]
    inlines = [InvolvementInline, AttachmentInline, CommentInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False
