"""The person's own settings (个人设置), and the register of organisations and people."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from departments.models import Organisation, User


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


class OrganisationForm(forms.ModelForm):
    """An organisation's names, credit code and tier; its kind only when it is registered.

    Validation is the service's (`organisation_create`, `organisation_update`): the form reads
    the input; the page shows the service's refusals beside the fields they name."""

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "credit_code", "tier"]
        help_texts = {
            "credit_code": _("企业必填：18 位，最后一位是校验位。"),
            "tier": _("只有企业有培育层级。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kind"]  # fixed once registered
        else:
            # A new convening office is the administrator's, in the admin.
            self.fields["kind"].choices = [
                choice
                for choice in Organisation.Kind.choices
                if choice[0] != Organisation.Kind.OFFICE
            ]

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper() or None

    def _post_clean(self):
        # The model's own checks run in the service, once, with the page's other rules.
        pass


class PersonForm(forms.ModelForm):
    """A person's name, contact details and role in the organisation; a new account also
    gets a user name and a first password."""

    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("请告知本人，首次登录后在个人设置中修改。"),
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "phone", "organisation_role"]
        labels = {"email": _("电子邮箱")}
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        if self.instance.pk:
            del self.fields["username"]
            del self.fields["password"]

    clean_phone = ContactForm.clean_phone

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.instance)
        return password

    def _post_clean(self):
        pass  # the service checks the model (person_create, person_update)
