"""The forms of the rules editor: a new rule item, and an amendment with its reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.models import Organisation
from workflow.implementation.services import OWNER_KINDS


class RuleItemForm(forms.Form):
    title = forms.CharField(label=_("事项"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Organisation.objects.filter(is_active=True, kind__in=OWNER_KINDS),
    )
    deliverable = forms.CharField(
        label=_("交付成果"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}))


class RuleAmendForm(forms.Form):
    title = forms.CharField(label=_("事项"), max_length=200)
    deliverable = forms.CharField(
        label=_("交付成果"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("修订原因"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
