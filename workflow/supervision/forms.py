"""The form a coordinator fills to issue a supervision notice (督办)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SupervisionIssueForm(forms.Form):
    text = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 3}))
