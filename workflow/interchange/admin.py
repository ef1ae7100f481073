"""The administrator's pages for external systems (keys shown once, revoke, rotate) and their
delivery logs (read, replay). Registered by workflow/admin.py."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from workflow.interchange import services
from workflow.interchange.models import Delivery, ExternalSystem, PublicRequest
from workflow.interchange.tasks import deliveries_replay


class ExternalSystemForm(forms.ModelForm):
    operations = forms.MultipleChoiceField(
        label=_("允许的操作"),
        choices=ExternalSystem.Operation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    callback_url = forms.URLField(label=_("回调地址"), required=False, assume_scheme="https")

    class Meta:
        model = ExternalSystem
        fields = ["name", "organisation", "channel", "operations", "callback_url", "subscription"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The own form is this site's; another system files through some other channel.
        self.fields["channel"].choices = [
            choice
            for choice in self.fields["channel"].choices
            if choice[0] != Case.SourceChannel.OWN_FORM
        ]


@admin.register(ExternalSystem)
class ExternalSystemAdmin(admin.ModelAdmin):
    form = ExternalSystemForm
    list_display = ["name", "channel", "organisation", "key_prefix", "state", "subscription"]
    list_filter = ["channel", "subscription"]
    search_fields = ["name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["key_prefix", "key_issued_at", "revoked_at", "created_at"]
    actions = ["rotate_key", "revoke", "new_signing_secret"]

    @admin.display(description=_("状态"))
    def state(self, system):
        return _("已撤销") if system.is_revoked else _("有效")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            if obj.callback_url and not obj.signing_secret:
                secret = services.system_new_signing_secret(system=obj)
                self.show_once(
                    request, _("签名密钥（仅显示这一次）：%(secret)s") % {"secret": secret}
                )
            return
        fields = {name: form.cleaned_data[name] for name in ExternalSystemForm.Meta.fields}
        system, key = services.system_create(**fields)
        obj.pk = system.pk
        self.show_once(request, _("API 密钥（仅显示这一次，请立即保存）：%(key)s") % {"key": key})
        if system.signing_secret:
            self.show_once(
                request,
                _("签名密钥（仅显示这一次）：%(secret)s") % {"secret": system.signing_secret},
            )

    def show_once(self, request, text):
        self.message_user(request, text, messages.WARNING)

    @admin.action(description=_("轮换所选系统的 API 密钥"), permissions=["change"])
    def rotate_key(self, request, queryset):
        for system in queryset:
            key = services.system_rotate_key(system=system)
            self.show_once(
                request,
                _("%(name)s 的新 API 密钥（仅显示这一次）：%(key)s")
                % {"name": system.name, "key": key},
            )

    @admin.action(description=_("撤销所选系统的 API 密钥"), permissions=["change"])
    def revoke(self, request, queryset):
        for system in queryset:
            services.system_revoke(system=system)
        self.message_user(request, _("已撤销。"), messages.SUCCESS)

    @admin.action(description=_("为所选系统生成新的签名密钥"), permissions=["change"])
    def new_signing_secret(self, request, queryset):
        for system in queryset:
            secret = services.system_new_signing_secret(system=system)
            self.show_once(
                request,
                _("%(name)s 的新签名密钥（仅显示这一次）：%(secret)s")
                % {"name": system.name, "secret": secret},
            )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """A system's delivery log: what was sent, how it went; replay sends a message again."""

    list_display = [
        "created_at",
        "system",
        "case",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
    ]
    list_filter = ["status", "system"]
    list_select_related = ["system", "case"]
    search_fields = ["case__reference", "message_id"]
    show_full_result_count = False
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None

    @admin.action(description=_("重新发送所选消息"), permissions=["view"])
    def replay(self, request, queryset):
        count = deliveries_replay(queryset)
        self.message_user(
            request, _("已安排重新发送 %(count)d 条消息。") % {"count": count}, messages.SUCCESS
        )


@admin.register(PublicRequest)
class PublicRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "origin", "service_code", "requested_at", "published_by"]
    list_filter = ["origin"]
    list_select_related = ["case", "published_by"]
    search_fields = ["case__reference"]
    readonly_fields = ["case", "token", "origin", "requested_at", "service_code", "published_by"]

    def has_add_permission(self, request):
        return False
