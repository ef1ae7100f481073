"""Use cases that add to a case's record without moving it: comments and attachments."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Attachment, Case, Comment
from cases.uploads import display_name, inspect_upload
from config.fsm import Conflict
from workflow.casefile.services import lock_own_case
from workflow.record.services import record_event

# Attachments are corrected (removed) only where the case's content may still change.
CORRECTABLE = [Case.Status.DRAFT, Case.Status.NEEDS_INFO]


def default_visibility(user) -> str:
    """An enterprise's comment is always for the enterprise to see (it cannot choose); staff
    choose, and a remark stays internal unless they share it: one careless click must not
    publish an internal remark to the enterprise."""
    return Comment.Visibility.SHARED if user.is_enterprise_user else Comment.Visibility.INTERNAL


@transaction.atomic
def comment_add(*, case: Case, by, body: str, visibility: str | None = None):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("留言内容不能为空。")]})
    if case.status == Case.Status.DRAFT:
        # Nobody but the enterprise sees a draft, and a draft leaves no record.
        raise Conflict(_("草稿还没有提交，不能留言。"), code="invalid_state")
    visibility = visibility or default_visibility(by)
    if visibility not in Comment.Visibility.values:
        raise ValidationError({"visibility": [_("请选择“内部”或“企业可见”。")]})
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
    kind = inspect_upload(upload)
    content_type = kind.content_type
    # The uploader's words, the detected type's extension: never the name a browser or a
    # desktop would act on ("report.html", "invoice.pdf.exe").
    name = display_name(upload.name, content_type)[:255]
    attachment = Attachment(
        case=case,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(f"upload{kind.extension}", upload, save=False)
    attachment.save()
    if case.status == Case.Status.DRAFT:
        return attachment  # a draft leaves no record (services.case_submit)
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


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by) -> None:
    """The enterprise removes a file from its draft, or from its case while correcting it
    (待补正); the file goes once the change is committed, the removal stays in the record."""
    case = lock_own_case(attachment.case, by, CORRECTABLE)
    attachment = Attachment.objects.get(pk=attachment.pk, case=case)
    if attachment.evidence_for.exists():
        raise Conflict(_("该附件是任务的佐证材料，不能删除。"), code="in_use")
    storage, stored_name = attachment.file.storage, attachment.file.name
    name, pk = attachment.original_name, attachment.pk
    attachment.delete()
    if case.status != Case.Status.DRAFT:
        record_event(
            case=case,
            kind="attachment_removed",
            actor=by,
            payload={"attachment": pk, "name": name},
        )
    transaction.on_commit(lambda: storage.delete(stored_name))
