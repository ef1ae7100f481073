"""Uploads are what their content says they are: the stored and served name takes the detected
type's extension, Office documents are checked as archives (no zip bombs), markup is never
accepted, and downloads cannot be sniffed into something else."""

import io
import struct
import zipfile
import zlib
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def png() -> bytes:
    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def docx(*, body: bytes = b"<w:document/>", extra: int = 0, level: int = 6) -> bytes:
    """A minimal Word document: the OOXML parts in the order Word writes them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", body)
        for index in range(extra):
            archive.writestr(f"word/media/part{index}.xml", "")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """1 GiB of zeros deflated into a few MB, shaped as a .docx; built in memory in
    1 MiB blocks, never written out whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        block = bytes(1 << 20)
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            for _ in range(1024):
                stream.write(block)
    return buffer.getvalue()


def upload(api, user, case, name, content):
    return api.as_user(user).post(
        f"/api/v1/cases/{case.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content, "application/octet-stream")},
        format="multipart",
    )


def download(api, case, attachment_id):
    return api.get(f"/api/v1/cases/{case.pk}/attachments/{attachment_id}/download/")


def served_name(response) -> str:
    """The name a browser saves the download under: filename* (RFC 5987) wins."""
    parts = [p.strip() for p in response["Content-Disposition"].split(";")]
    assert parts[0] == "attachment"
    values = dict(p.split("=", 1) for p in parts[1:])
    if "filename*" in values:
        charset, _, quoted = values["filename*"].split("'", 2)
        assert charset == "UTF-8"
        return unquote(quoted)
    return values["filename"].strip('"')


@pytest.mark.parametrize(
    "name,content,expected,content_type",
    [
        ("report.html", PDF, "report.pdf", "application/pdf"),
        ("invoice.pdf.exe", PDF, "invoice.pdf", "application/pdf"),
        ("x.svg", png(), "x.png", "image/png"),
        ("现场照片.jpg.html", png(), "现场照片.jpg.png", "image/png"),
        ("说明", docx(), "说明.docx", DOCX),
    ],
)
def test_the_stored_and_served_name_takes_the_detected_types_extension(
    api, enterprise_user, submitted_case, name, content, expected, content_type
):
    response = upload(api, enterprise_user, submitted_case, name, content)
    assert response.status_code == 201, response.json()
    assert response.json()["original_name"] == expected
    attachment = Attachment.objects.get()
    assert attachment.file.name.endswith(expected.rsplit(".", 1)[1])
    assert attachment.content_type == content_type
    served = download(api, submitted_case, attachment.pk)
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert served_name(served) == expected
    assert b"".join(served.streaming_content) == content


def test_a_chinese_name_is_served_in_rfc_5987_form_with_an_ascii_fallback(
    api, enterprise_user, submitted_case
):
    response = upload(api, enterprise_user, submitted_case, '红线图 "终稿".pdf', PDF)
    assert response.status_code == 201
    served = download(api, submitted_case, response.json()["id"])
    header = served["Content-Disposition"]
    assert header.isascii()
    assert "filename*=UTF-8''%E7%BA%A2%E7%BA%BF%E5%9B%BE" in header
    assert 'filename="' in header and '"终稿"' not in header
    assert served_name(served) == '红线图 "终稿".pdf'


def test_direction_and_control_characters_never_reach_the_name(
    api, enterprise_user, submitted_case
):
    response = upload(api, enterprise_user, submitted_case, "inv\u202efdp.exe\u200b\t", PDF)
    assert response.status_code == 201
    assert response.json()["original_name"] == "invfdp.pdf"


@pytest.mark.parametrize(
    "name,content",
    [
        ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("map.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("page.html", b"<html><body>hi</body></html>"),
    ],
)
def test_svg_and_html_are_never_accepted(api, enterprise_user, submitted_case, name, content):
    response = upload(api, enterprise_user, submitted_case, name, content)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "file" in response.json()["error"]["fields"]
    assert not Attachment.objects.exists()


def test_a_1_gib_zip_bomb_shaped_as_docx_is_refused(api, enterprise_user, submitted_case, zip_bomb):
    assert len(zip_bomb) < 20 * 1024 * 1024  # under the upload limit: only unpacking tells
    response = upload(api, enterprise_user, submitted_case, "合同.docx", zip_bomb)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "200 MB" in error["fields"]["file"][0]
    assert not Attachment.objects.exists()


def test_an_office_document_with_too_many_parts_is_refused(
    api, settings, enterprise_user, submitted_case
):
    settings.ATTACHMENT_MAX_ENTRIES = 50
    assert upload(api, enterprise_user, submitted_case, "a.docx", docx(extra=40)).status_code == 201
    response = upload(api, enterprise_user, submitted_case, "b.docx", docx(extra=60))
    assert response.status_code == 400
    assert "50" in response.json()["error"]["fields"]["file"][0]


def test_an_office_document_whose_sizes_lie_is_refused(
    api, settings, enterprise_user, submitted_case
):
    """The central directory says 1 KB; the stream holds 3 MB of zeros: refused as damaged
    instead of trusted."""
    settings.ATTACHMENT_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    content = docx(body=bytes(3 * 1024 * 1024))
    real = (3 * 1024 * 1024).to_bytes(4, "little")
    content = content.replace(real, (1024).to_bytes(4, "little"))
    response = upload(api, enterprise_user, submitted_case, "c.docx", content)
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]


def test_a_truncated_office_document_is_refused(api, enterprise_user, submitted_case):
    content = docx(body=b"<w:document>" + b"x" * 5000 + b"</w:document>")
    response = upload(api, enterprise_user, submitted_case, "d.docx", content[:-200])
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]


def test_an_old_row_is_served_with_a_safe_type_and_name(api, enterprise_user, submitted_case):
    """Rows stored before the rule: their name is corrected on the way out, and a type that is
    no longer accepted is served as bytes to save."""
    response = upload(api, enterprise_user, submitted_case, "a.pdf", PDF)
    Attachment.objects.filter(pk=response.json()["id"]).update(original_name="report.html")
    served = download(api, submitted_case, response.json()["id"])
    assert served_name(served) == "report.pdf"
    Attachment.objects.filter(pk=response.json()["id"]).update(content_type="text/html")
    served = download(api, submitted_case, response.json()["id"])
    assert served["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize(
    "language,message",
    [("zh-hans", "Office 文档解压后超过 200 MB"), ("en", "The Office document unpacks to more")],
)
def test_the_case_page_says_why_a_zip_bomb_is_refused(
    as_user, enterprise_user, submitted_case, zip_bomb, language, message
):
    client = as_user(enterprise_user)
    client.cookies["django_language"] = language
    response = client.post(
        f"/cases/{submitted_case.pk}/attachments/",
        {"file": SimpleUploadedFile("合同.docx", zip_bomb)},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_upload_spooled_to_disk_is_checked_as_well(
    api, settings, enterprise_user, submitted_case, zip_bomb
):
    """Files above FILE_UPLOAD_MAX_MEMORY_SIZE arrive as temporary files on disk."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = b"<w:document>" + b"<w:p>x</w:p>" * 500 + b"</w:document>"
    fine = upload(api, enterprise_user, submitted_case, "a.docx", docx(body=body))
    assert fine.status_code == 201
    response = upload(api, enterprise_user, submitted_case, "b.docx", zip_bomb)
    assert response.status_code == 400
    assert Attachment.objects.count() == 1
