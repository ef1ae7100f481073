#!/usr/bin/env python3
"""Back up the site's PostgreSQL database and attachments, and restore a backup with proof.

    deploy/backup.py backup  --database-url URL --media DIR --to DIR
    deploy/backup.py restore --from BACKUP --database-url NEW_URL --media DIR

`backup` opens one REPEATABLE READ transaction, exports its snapshot, counts every table's rows
in it, takes a checksum of every row of the record (events, opinions, resolutions, rule
amendments) and dumps exactly that snapshot (`pg_dump --snapshot`; the directory format, which
unlike the custom format dumps tables in parallel), so the manifest holds the dump's figures
even while the site keeps writing. Attachments go to a tar file beside it, each file's SHA-256
in the manifest.

`restore` creates the target database (refusing one that exists), restores it in parallel,
unpacks the attachments into an empty directory, then checks: every table has the manifest's
row count, the record's checksums match, every attachment is back with its SHA-256. It exits
1 if any check fails and prints how long each step took. Only the standard library, psycopg
and PostgreSQL's own client programs (pg_dump, pg_restore) are needed.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

JOBS = max(2, os.cpu_count() or 2)


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def _counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


# The record: what happened, who said what, what was decided. Each row's full text is hashed
# and the hashes summed, so the order rows come back in does not matter and nothing large is
# held in memory (a 60-bit prefix of each MD5, summed as numeric: no overflow).
RECORD_TABLES = [
    "workflow_event",
    "workflow_opinion",
    "workflow_resolution",
    "workflow_ruleamendment",
]


def _record_checksums(cursor) -> dict[str, str]:
    present = set(_tables(cursor))
    sums = {}
    for table in RECORD_TABLES:
        if table in present:
            cursor.execute(
                sql.SQL(
                    "SELECT coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)"
                    " FROM {} t"
                ).format(sql.Identifier(table))
            )
            sums[table] = str(cursor.fetchone()[0])
    return sums


def _media_files(media: Path) -> dict[str, str]:
    if not media.is_dir():
        return {}
    return {
        str(path.relative_to(media)): _sha256(path)
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _step(timings: dict, name: str, started: float):
    timings[name] = round(time.monotonic() - started, 1)
    print(f"{name}: {timings[name]} s", flush=True)


def backup(database_url: str, media: Path, target: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = target / f"shenlianti-{stamp}"
    folder.mkdir(parents=True)
    timings = {}
    with psycopg.connect(database_url) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            started = time.monotonic()
            counts = _counts(cursor)
            checksums = _record_checksums(cursor)
            _step(timings, "count rows, checksum the record", started)
            started = time.monotonic()
            # The snapshot lives as long as this transaction: pg_dump runs inside it.
            subprocess.run(
                [
                    "pg_dump",
                    "--format=directory",
                    f"--jobs={JOBS}",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--file",
                    str(folder / "database"),
                    database_url,
                ],
                check=True,
            )
            _step(timings, "pg_dump", started)
    started = time.monotonic()
    files = _media_files(media)
    with tarfile.open(folder / "media.tar", "w") as archive:
        for name in files:
            archive.add(media / name, arcname=name)
    _step(timings, "attachments", started)
    manifest = {
        "made_at": stamp,
        "database": urlsplit(database_url).path.lstrip("/"),
        "row_counts": counts,
        "record_checksums": checksums,
        "media_files": files,
        "seconds": timings,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    print(f"backup in {folder}")
    return folder


def restore(source: Path, database_url: str, media: Path) -> bool:
    manifest = json.loads((source / "manifest.json").read_text())
    name = urlsplit(database_url).path.lstrip("/")
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    timings = {}
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone():
            sys.exit(f"database {name} exists: restore into a new one")
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    if media.exists() and any(media.iterdir()):
        sys.exit(f"{media} is not empty: restore attachments into a new directory")
    started = time.monotonic()
    subprocess.run(
        [
            "pg_restore",
            f"--jobs={JOBS}",
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            database_url,
            str(source / "database"),
        ],
        check=True,
    )
    _step(timings, "pg_restore", started)
    started = time.monotonic()
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar") as archive:
        archive.extractall(media, filter="data")
    _step(timings, "attachments", started)

    started = time.monotonic()
    with psycopg.connect(database_url) as connection, connection.cursor() as cursor:
        counts = _counts(cursor)
        checksums = _record_checksums(cursor)
    problems = [
        f"{table}: {counts.get(table)} rows, the backup had {rows}"
        for table, rows in manifest["row_counts"].items()
        if counts.get(table) != rows
    ]
    problems += [
        f"{table}: the record's checksum differs from the backup's"
        for table, checksum in manifest["record_checksums"].items()
        if checksums.get(table) != checksum
    ]
    files = _media_files(media)
    problems += [
        f"attachment {path}: {'missing' if path not in files else 'its SHA-256 differs'}"
        for path, digest in manifest["media_files"].items()
        if files.get(path) != digest
    ]
    _step(timings, "check counts, checksums, attachments", started)
    tables, rows = len(counts), sum(counts.values())
    for problem in problems:
        print(f"MISMATCH {problem}")
    print(
        f"restored {tables} tables, {rows:,} rows, {len(files)} attachments: "
        + ("all as in the backup" if not problems else f"{len(problems)} mismatches")
    )
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup")
    make.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    make.add_argument("--media", type=Path, default=Path(os.environ.get("MEDIA_ROOT", "media")))
    make.add_argument("--to", type=Path, required=True)
    back = commands.add_parser("restore")
    back.add_argument("--from", dest="source", type=Path, required=True)
    back.add_argument("--database-url", required=True)
    back.add_argument("--media", type=Path, required=True)
    options = parser.parse_args()
    if options.command == "backup":
        if not options.database_url:
            parser.error("--database-url (or DATABASE_URL) is needed")
        backup(options.database_url, options.media, options.to)
    else:
        sys.exit(0 if restore(options.source, options.database_url, options.media) else 1)


if __name__ == "__main__":
    main()
