"""The forms of the standing-rule pages: a version's text with its items (promote, amend), and
retiring."""

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.models import Organisation
from workflow.standing_rules.services import MAX_WORKING_DAYS, OWNER_KINDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(forms.Form):
    summary = forms.CharField(label=_("解决方案"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 2}))
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE)
    enact = forms.BooleanField(
        label=_("立即施行（不勾选则保存为草案）"), required=False, initial=True
    )


class PromoteForm(VersionForm):
    title = forms.CharField(label=_("名称"), max_length=200)
    field_order = ["title", "summary", "legal_basis", "effective_on", "enact"]


class AmendForm(VersionForm):
    reason = forms.CharField(label=_("修订原因"), widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["reason", "summary", "legal_basis", "effective_on", "enact"]


class ItemForm(forms.Form):
    title = forms.CharField(label=_("事项"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Organisation.objects.filter(is_active=True, kind__in=OWNER_KINDS),
    )
    deliverable = forms.CharField(label=_("交付成果"), required=False, max_length=5000)
    working_days = forms.IntegerField(
        label=_("办理时限（工作日）"), min_value=1, max_value=MAX_WORKING_DAYS
    )


class BaseItemFormSet(forms.BaseFormSet):
    def _construct_form(self, i, **kwargs):
        # Any row left blank is not an item, a prefilled one emptied included.
        kwargs["empty_permitted"] = True
        return super()._construct_form(i, **kwargs)


# Two blank rows under the prefilled ones.
ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=2, max_num=50, absolute_max=50
)


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("废止原因"), widget=forms.Textarea(attrs={"rows": 2}))


def items_of(formset) -> list[dict]:
    """The filled rows of a valid formset."""
    return [row for row in formset.cleaned_data if row]
