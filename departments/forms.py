"""The person's own settings (个人设置): contact details and language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from departments.models import User


class ContactForm(forms.ModelForm):
    """E-mail, phone and language; notifications by e-mail go to this address."""

    class Meta:
        model = User
        fields = ["email", "phone", "language"]
        labels = {"email": _("电子邮箱"), "language": _("语言（网站与邮件）")}
        help_texts = {"email": _("通知邮件发到这个地址；留空则不发邮件。")}
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language named in itself, as in the header's switch.
        self.fields["language"].choices = [
            (code, "English" if code == "en" else "中文") for code, _name in settings.LANGUAGES
        ]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        allowed = set("0123456789+-() ")
        if phone and (not set(phone) <= allowed or sum(c.isdigit() for c in phone) < 7):
            raise forms.ValidationError(
                _("请填写有效的电话号码，例如 0574-87654321 或 13800000000。")
            )
        return phone
