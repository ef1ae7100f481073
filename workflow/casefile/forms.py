"""Forms of the pages that are not transitions: filing a case, comments, uploads."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Category, Comment
from cases.uploads import detect_content_type


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        errors = []
        for upload in files:
            try:
                detect_content_type(upload)
            except ValidationError as invalid:
                errors += [f"{upload.name}: {m}" for m in invalid.message_dict["file"]]
        if errors:
            raise ValidationError(errors)
        return files


class CaseFileForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("问题类别"), queryset=Category.objects.filter(is_active=True), empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = localized_name

    description = forms.CharField(
        label=_("诉求描述"),
        widget=forms.Textarea,
        max_length=20000,
        help_text=_("说明遇到的困难、已经做过的努力和希望得到的帮助。"),
    )
    project_name = forms.CharField(label=_("涉及项目"), max_length=200, required=False)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=Case.Urgency.choices, initial=Case.Urgency.NORMAL
    )
    desired_date = forms.DateField(
        label=_("期望解决日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("PDF、图片或 Office 文档，可拖放到此处。"),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("留言"), widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label=_("可见范围"), choices=Comment.Visibility.choices, initial=Comment.Visibility.SHARED
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("上传附件"))


def localized_name(category) -> str:
    english = get_language() == "en" and category.name_en
    return english or category.name
