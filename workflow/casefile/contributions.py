"""Use cases that add to a case's record without moving it: comments and attachments."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Attachment, Case, Comment
from cases.uploads import detect_content_type
from workflow.record.services import record_event


@transaction.atomic
def comment_add(*, case: Case, by, body: str, visibility: str = Comment.Visibility.SHARED):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("留言内容不能为空。")]})
    if visibility not in Comment.Visibility.values:
        raise ValidationError({"visibility": [_("可见范围只能是 internal 或 shared。")]})
    if by.is_enterprise_user and visibility == Comment.Visibility.INTERNAL:
        raise PermissionDenied(_("企业用户只能发表企业可见的留言。"))
    comment = Comment.objects.create(case=case, author=by, body=body, visibility=visibility)
    record_event(
        case=case,
        kind="comment",
        actor=by,
        payload={"comment": comment.pk, "body": body, "visibility": visibility},
        internal=visibility == Comment.Visibility.INTERNAL,
    )
    return comment


@transaction.atomic
def attachment_add(*, case: Case, by, upload) -> Attachment:
    if not case.is_open:
        raise PermissionDenied(_("该诉求事项已结束，不能再上传附件。"))
    content_type = detect_content_type(upload)
    name = (upload.name or "file")[:255]
    attachment = Attachment(
        case=case,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    record_event(
        case=case,
        kind="attachment_added",
        actor=by,
        payload={
            "attachment": attachment.pk,
            "name": name,
            "size": upload.size,
            "content_type": content_type,
        },
    )
    return attachment
