from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import ApiToken, Organisation, User
from departments.services import tokens_revoke, tokens_revoke_all


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "credit_code", "tier", "is_active", "is_verified"]
    list_filter = ["kind", "tier", "is_active", "is_verified"]
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
    actions = ["revoke_api_tokens"]

    @admin.action(description=_("撤销所选用户的全部接口令牌"), permissions=["change"])
    def revoke_api_tokens(self, request, queryset):
        revoked = sum(tokens_revoke_all(user=person) for person in queryset)
        self.message_user(request, _("已撤销 %(count)d 个接口令牌。") % {"count": revoked})


class TokenStateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", _("有效")), ("revoked", _("已撤销")), ("expired", _("已过期"))]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.live()
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=timezone.now())
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The tokens people got by signing in to the API; the administrator revokes them here.
    They are issued only by signing in, so none is added here, and nothing of one is edited."""

    list_display = ["prefix", "user", "device", "created_at", "last_used_at", "expires_at", "state"]
    list_filter = [TokenStateFilter]
    search_fields = ["user__username", "user__display_name", "prefix", "device"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "prefix",
        "device",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    fields = readonly_fields
    actions = ["revoke"]

    @admin.display(description=_("状态"))
    def state(self, token):
        if token.revoked_at is not None:
            return _("已撤销")
        return _("已过期") if token.is_expired else _("有效")

    @admin.action(description=_("撤销所选令牌"), permissions=["change"])
    def revoke(self, request, queryset):
        count = tokens_revoke(tokens=queryset)
        self.message_user(
            request, _("已撤销 %(count)d 个令牌。") % {"count": count}, messages.SUCCESS
        )

    def has_add_permission(self, request):
        return False
