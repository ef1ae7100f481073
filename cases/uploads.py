"""Checks on an uploaded file: its size, and its type judged by its content, not its name.

The detected type decides everything a browser or a desktop sees of the file: the extension of
the stored name, the extension of the name it is downloaded under, and the Content-Type it is
served with. The uploader's file name is kept only as the words of a display name. Markup (HTML,
SVG) is never a detected type, so it is never accepted whatever it is called.
"""

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Documents a case needs: PDF, images, and office documents (old binary and OOXML/ODF), each
# with the extensions a file of that type may keep (the first is the one it is given).
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "image/tiff": (".tif", ".tiff"),
    "image/bmp": (".bmp",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
}
ALLOWED_TYPES = set(EXTENSIONS)
# Old binary Office files share one container format (OLE2) and filetype tells them apart by
# heuristics: an OLE2 file keeps the Office extension its uploader gave it.
OLE_TYPES = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}
# Zip archives inside: the entry that must be there for the archive to be that document.
OOXML_MARKER, ODF_MARKER = "[Content_Types].xml", "mimetype"
ZIP_TYPES = {
    content_type: ODF_MARKER if "opendocument" in content_type else OOXML_MARKER
    for content_type in EXTENSIONS
    if "openxmlformats" in content_type or "opendocument" in content_type
}
# Served as itself only if it is one of the types above (rows stored before a type was dropped
# are served as bytes to save).
FALLBACK_TYPE = "application/octet-stream"
# Characters that reorder or hide text: "invoice\u202efdp.exe" reads as "invoiceexe.pdf".
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@dataclass(frozen=True)
class FileKind:
    """What an upload is, judged by its content."""

    content_type: str
    extension: str  # with the dot: ".pdf"


def inspect_upload(upload) -> FileKind:
    """Validate an upload and say what it is; raise ValidationError naming `file`."""
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
    content_type = kind.mime
    if content_type in OLE_TYPES:
        given = PurePosixPath(clean_name(upload.name)).suffix.lower()
        content_type = next((t for t in OLE_TYPES if given in EXTENSIONS[t]), content_type)
    if content_type in ZIP_TYPES:
        _check_archive(upload, ZIP_TYPES[content_type])
    return FileKind(content_type, EXTENSIONS[content_type][0])


def detect_content_type(upload) -> str:
    """Validate an upload and return its content type (see inspect_upload)."""
    return inspect_upload(upload).content_type


def _check_archive(upload, marker: str) -> None:
    """An Office document is a zip archive: refuse one that unpacks to more than the caps
    (a zip bomb shaped as .docx) or is not the document it claims to be. The central
    directory's sizes are checked first, then every entry is inflated (without keeping it) to
    prove them: zipfile never yields more than an entry's declared size, and a wrong CRC or a
    truncated stream fails."""
    max_bytes = settings.ATTACHMENT_MAX_UNPACKED_BYTES
    max_entries = settings.ATTACHMENT_MAX_ENTRIES
    too_big = ValidationError(
        {
            "file": [
                _("Office 文档解压后超过 %(mb)d MB 或含有超过 %(entries)d 个部件，不予接受。")
                % {"mb": max_bytes // (1024 * 1024), "entries": max_entries}
            ]
        }
    )
    damaged = ValidationError({"file": [_("Office 文档已损坏，无法打开。请重新保存后再上传。")]})
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > max_entries:
                raise too_big
            if sum(entry.file_size for entry in entries) > max_bytes:
                raise too_big
            if marker not in archive.NameToInfo:
                raise damaged
            unpacked = 0
            for entry in entries:
                with archive.open(entry) as stream:
                    while chunk := stream.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > max_bytes:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise damaged from None
    except RuntimeError:  # an encrypted entry
        raise damaged from None
    finally:
        upload.seek(0)


def clean_name(name: str | None) -> str:
    """The uploader's file name as words to show: no folders, no control or direction
    characters, at most 200 characters. Never used as a path."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name  # "..\\a/b.pdf" → "b.pdf"
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c) not in _HIDDEN_CATEGORIES)
    name = " ".join(name.split()).strip(" .")
    return name[-200:] if len(name) > 200 else name


def display_name(name: str | None, content_type: str) -> str:
    """The name a file is shown and downloaded under: the uploader's words with the
    extension of the type it really is. "report.html" (a PDF) → "report.pdf";
    "invoice.pdf.exe" (a PDF) → "invoice.pdf"; "x.svg" (a PNG) → "x.png"."""
    name = clean_name(name)
    allowed = EXTENSIONS.get(content_type)
    if not allowed:
        return name or "file"
    path = PurePosixPath(name or "file")
    if path.suffix.lower() in allowed:
        return str(path)
    stem = path.stem if path.suffix and " " not in path.suffix else str(path)
    if PurePosixPath(stem).suffix.lower() in allowed:  # "invoice.pdf.exe" → "invoice.pdf"
        return stem
    return f"{stem or 'file'}{allowed[0]}"


def served_type(content_type: str) -> str:
    """The Content-Type a stored file is served with: its own if it is an accepted type."""
    return content_type if content_type in ALLOWED_TYPES else FALLBACK_TYPE
