"""A backup restores, and the restore proves it: deploy/backup.py on the test database."""

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCRIPT = Path(settings.BASE_DIR) / "deploy" / "backup.py"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def restored_names():
    names = []
    yield names
    with psycopg.connect(_url("postgres"), autocommit=True) as server:
        for name in names:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_with_every_row_and_attachment(
    tmp_path, settings, api, enterprise_user, coordinator, category, restored_names
):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = factories.case(enterprise_user, category=category)
    response = api.as_user(enterprise_user).post(
        f"/api/v1/cases/{case.pk}/attachments/",
        {"file": SimpleUploadedFile("管线图.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 201
    source = settings.DATABASES["default"]["NAME"]

    made = _run(
        "backup",
        "--database-url",
        _url(source),
        "--media",
        str(tmp_path / "media"),
        "--to",
        str(tmp_path / "backups"),
    )
    assert made.returncode == 0, made.stderr
    backup = next((tmp_path / "backups").iterdir())
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["row_counts"]["cases_case"] == 1
    assert manifest["row_counts"]["workflow_event"] >= 1
    assert len(manifest["media_files"]) == 1
    assert set(manifest["record_checksums"]) >= {"workflow_event", "workflow_opinion"}

    restored_names.append(f"{source}_restored")
    back = _run(
        "restore",
        "--from",
        str(backup),
        "--database-url",
        _url(restored_names[0]),
        "--media",
        str(tmp_path / "restored-media"),
    )
    assert back.returncode == 0, back.stdout + back.stderr
    assert "1 attachments: all as in the backup" in back.stdout
    with psycopg.connect(_url(restored_names[0])) as restored:
        title = restored.execute("SELECT title FROM cases_case").fetchone()[0]
    assert title == case.title

    # A restore that does not match its backup says so and fails: a row too few, a record
    # rewritten, an attachment altered.
    manifest["row_counts"]["workflow_event"] += 1
    manifest["record_checksums"]["workflow_event"] = "1"
    (attachment,) = manifest["media_files"]
    with tarfile.open(backup / "media.tar", "w") as archive:
        altered = tmp_path / "altered.pdf"
        altered.write_bytes(PDF + b"%")
        archive.add(altered, arcname=attachment)
    (backup / "manifest.json").write_text(json.dumps(manifest))
    restored_names.append(f"{source}_restored2")
    bad = _run(
        "restore",
        "--from",
        str(backup),
        "--database-url",
        _url(restored_names[1]),
        "--media",
        str(tmp_path / "restored-media-2"),
    )
    assert bad.returncode == 1
    events = manifest["row_counts"]["workflow_event"]
    assert f"MISMATCH workflow_event: {events - 1} rows, the backup had {events}" in bad.stdout
    assert "MISMATCH workflow_event: the record's checksum differs" in bad.stdout
    assert f"MISMATCH attachment {attachment}: its SHA-256 differs" in bad.stdout

    # And it never writes over a database that exists.
    again = _run(
        "restore",
        "--from",
        str(backup),
        "--database-url",
        _url(restored_names[0]),
        "--media",
        str(tmp_path / "restored-media-3"),
    )
    assert again.returncode == 1 and "exists" in again.stderr
