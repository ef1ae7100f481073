"""The form of a problem category (问题类别) and its time limits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Category


class CategoryForm(forms.ModelForm):
    """Reads the input; the service (`category_create`, `category_update`) decides what is
    valid, and the page shows its refusals beside the fields they name."""

    class Meta:
        model = Category
        fields = [
            "name",
            "name_en",
            "code",
            "description",
            "accept_days",
            "convene_days",
            "rules_days",
            "confirm_days",
            "position",
        ]
        help_texts = {
            "code": _("小写英文字母、数字、下划线或连字符，接口和导出用它识别类别。"),
            "position": _("列表中的顺序，小的在前。"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass  # the service checks the model
