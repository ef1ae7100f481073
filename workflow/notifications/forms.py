"""Which notifications come by e-mail: the notifications' section of the settings page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.notifications.kinds import KINDS


class EmailPreferencesForm(forms.Form):
    by_email = forms.MultipleChoiceField(
        label=_("同时发邮件的通知"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("未勾选的通知只在站内“通知”中显示。"),
    )

    def __init__(self, person, data=None):
        muted = set(person.email_muted_kinds or [])
        super().__init__(
            data, prefix="email", initial={"by_email": [c for c in KINDS if c not in muted]}
        )
        self.fields["by_email"].choices = [(code, kind.label) for code, kind in KINDS.items()]
