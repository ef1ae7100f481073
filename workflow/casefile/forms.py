"""Forms of the pages that are not transitions: filing a case, comments, uploads."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.models import Attachment, Case, Category, Comment
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
    """A comment; only staff choose who sees it (contributions.default_visibility)."""

    body = forms.CharField(
        label=_("留言"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        error_messages={"required": _("留言内容不能为空。")},
    )
    visibility = forms.ChoiceField(
        label=_("可见范围"),
        choices=Comment.Visibility.choices,
        initial=Comment.Visibility.INTERNAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_enterprise_user:
            del self.fields["visibility"]


class CaseEditForm(CaseFileForm):
    """Editing a draft (every field), or correcting a case returned for more information
    (title and description): fields the state does not allow are left out, and the case's
    attachments can be removed beside new ones."""

    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("删除附件"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reply = forms.CharField(
        label=_("补正说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("告诉政务服务办您补充或修改了什么（重新提交时一并发送）。"),
    )

    def __init__(self, *args, case, editable, **kwargs):
        initial = {name: getattr(case, name) for name in editable}
        if "category" in initial:
            initial["category"] = case.category_id
        super().__init__(*args, initial=initial, **kwargs)
        for name in ["category", "project_name", "location", "urgency", "desired_date"]:
            if name not in editable:
                del self.fields[name]
        if case.status != Case.Status.NEEDS_INFO:
            del self.fields["reply"]
        self.fields["remove_attachments"].queryset = case.attachments.order_by("id")
        self.fields["remove_attachments"].label_from_instance = lambda a: a.original_name
        self.fields["attachments"].label = _("添加附件")
        self.editable = editable

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.editable}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("上传附件"))


def localized_name(category) -> str:
    english = get_language() == "en" and category.name_en
    return english or category.name
