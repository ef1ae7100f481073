"""Serving a stored attachment: always as a download, under its display name with the
extension of its detected type, with a Content-Type the browser may not second-guess."""

from urllib.parse import quote

from django.http import FileResponse

from cases.models import Attachment

# A file opened directly (not as a download) may do nothing: no script, no plugin, no form.
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name for old clients and the real one, Chinese
    included, in RFC 5987 form (`filename*=UTF-8''…`), which every current browser uses."""
    ascii_name = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;%' else "_" for c in name)
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def attachment_response(attachment: Attachment) -> FileResponse:
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.served_type)
    response["Content-Disposition"] = content_disposition(attachment.download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
