"""Checks on an uploaded file: its size, and its type judged by its content, not its name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Documents a case needs: PDF, images, and office documents (old binary and OOXML/ODF).
ALLOWED_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/tiff",
    "image/bmp",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
# Old binary Office files share one container format (OLE2): filetype names them all msword.
OLE_TYPES = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}


def detect_content_type(upload) -> str:
    """Validate an upload and return its content type; raise ValidationError naming `file`."""
    if upload is None:
        raise ValidationError({"file": [_("请选择要上传的文件。")]})
    if upload.size == 0:
        raise ValidationError({"file": [_("文件是空的。")]})
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("文件超过 %(mb)d MB 的上限。")
                    % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
                ]
            }
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            {"file": [_("不支持的文件类型：只接受 PDF、图片和 Office 文档（按文件内容判断）。")]}
        )
    return kind.mime
