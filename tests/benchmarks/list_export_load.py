"""Benchmark of the list exports (cases, action items, sessions) on a database filled by
`manage.py seed_load` (not a test; prints figures for docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lst_1m \
        .venv/bin/python tests/benchmarks/list_export_load.py

Each export is requested through Django's test client, as a signed-in coordinator (every case:
the workbook stops at `list_exports.MAX_ROWS`, 100,000 rows) and as an enterprise (its own
cases), and read to the end. Prints rows, wall and CPU seconds, the file's size and the
process's peak RSS (before the first export, then after each): a workbook held in memory would
show as hundreds of megabytes. The web processes' statement timeout applies
(`DATABASE_STATEMENT_TIMEOUT_MS`, 5 s by default), as in production: the exports read under
their own (`EXPORT_STATEMENT_TIMEOUT_MS`).
"""

import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from cases.models import Case  # noqa: E402
from departments.models import Organisation, User  # noqa: E402


def export(client, address, params):
    response = client.get(address, params, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def measure(label, client, address, params):
    """Wall and CPU seconds of one export read to the end, and the process's peak RSS since."""
    began, cpu = time.monotonic(), time.process_time()
    data = export(client, address, params)
    seconds, cpu_seconds = time.monotonic() - began, time.process_time() - cpu
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = sum(1 for row in sheet.iter_rows(min_row=3, max_col=2, values_only=True) if row[1])
    print(
        f"  {label}: {rows:,} rows in {seconds:.1f} s ({cpu_seconds:.1f} s of CPU), "
        f"{len(data) / 1e6:.1f} MB; peak RSS so far {peak_rss():.0f} MB",
        flush=True,
    )


def peak_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def main():
    print(f"{Case.objects.count():,} cases", flush=True)
    coordinator = User.objects.filter(
        organisation__kind=Organisation.Kind.OFFICE, is_active=True
    ).first()
    biggest = (
        Case.objects.values("enterprise")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("enterprise", flat=True)[:1]
    )
    enterprise_user = User.objects.filter(organisation__in=biggest, is_active=True).first()
    client = Client()
    client.force_login(coordinator)
    print(f"peak RSS before the first export {peak_rss():.0f} MB", flush=True)
    measure("cases, coordinator, every case", client, "/cases/export/", {"tab": "all"})
    measure("cases, coordinator, API, status=closed", client, "/api/v1/cases/export/",
            {"status": "closed"})  # fmt: skip
    measure("action items, coordinator, all", client, "/items/export/", {"tab": "all"})
    measure("sessions, coordinator, all", client, "/sessions/export/", {"tab": "all"})
    client.force_login(enterprise_user)
    measure(f"cases, enterprise {enterprise_user.organisation}", client, "/cases/export/",
            {"tab": "all"})  # fmt: skip


if __name__ == "__main__":
    main()
