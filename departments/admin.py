from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from departments.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "credit_code", "tier", "is_active"]
    list_filter = ["kind", "tier", "is_active"]
    search_fields = ["name", "short_name", "credit_code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "display_name",
        "organisation",
        "organisation_role",
        "representative_capacity",
        "is_active",
    ]
    list_filter = [
        "organisation__kind",
        "organisation_role",
        "representative_capacity",
        "is_active",
        "is_staff",
    ]
    search_fields = ["username", "display_name", "organisation__name"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("组织与身份"),
            {
                "fields": [
                    "display_name",
                    "phone",
                    "organisation",
                    "organisation_role",
                    "representative_capacity",
                ]
            },
        ),
    ]
    autocomplete_fields = ["organisation"]
