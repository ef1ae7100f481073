"""Benchmark of the leaders' figures on a database filled by `manage.py seed_load` (not a test;
prints figures for docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lst_1m \
        .venv/bin/python tests/benchmarks/statistics_load.py

1. Computes the year's board and league table live once each (what the rollup costs), and a
   filtered board and a department's row (what a live filter costs); the trends (what the
   rollup costs, and a filtered one live), the exceptions board's counts and first pages, and
   the last complete week's report (both always live).
2. Refreshes the daily rollup (`rollup.refresh(force=True)`), with seconds per view and period.
3. Serves the project with gunicorn (sync workers, `-w`, default 4, on `--port`) and runs 8
   clients (`-c`) for `-d` seconds (default 20) per endpoint against the board, the league table
   and the trends for a year, the exceptions' counts and the weekly report, as a coordinator:
   requests, p50, p95 and max in milliseconds.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["DATABASE_STATEMENT_TIMEOUT_MS"] = "0"

import django  # noqa: E402

django.setup()

from cases.models import Case  # noqa: E402
from config import timesource  # noqa: E402
from departments.models import Organisation, User  # noqa: E402
from departments.services import token_issue  # noqa: E402
from workflow.statistics import exceptions, rollup, selectors, trends, weekly  # noqa: E402
from workflow.statistics.filters import Filters, period_range  # noqa: E402


def timed(label, fn):
    began = time.monotonic()
    fn()
    print(f"  {label}: {time.monotonic() - began:.2f} s", flush=True)


def load(port, path, token, clients, seconds):
    latencies = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.monotonic() < stop:
            began = time.monotonic()
            connection.request("GET", path, headers={"Authorization": f"Token {token}"})
            response = connection.getresponse()
            response.read()
            mine.append((time.monotonic() - began) * 1000)
            if response.status != 200:
                errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"  {path}: {len(latencies)} requests in {seconds} s ({len(latencies) / seconds:.0f}/s), "
        f"p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, "
        f"max {latencies[-1]:.1f} ms, non-200 {errors[0]}",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-d", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("-c", type=int, default=8, help="clients")
    parser.add_argument("-w", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8271, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--skip-live", action="store_true")
    parser.add_argument(
        "--skip-rollup", action="store_true", help="use the snapshots already computed"
    )
    args = parser.parse_args()

    today = timesource.today()
    year = Filters("year", *period_range("year", today))
    print(f"== {Case.objects.count():,} cases; today {today}; year {year.start} – {year.end}")
    if not args.skip_live:
        print("live (one run each):")
        timed("board, year", lambda: selectors.overview(year))
        timed("league table, year", lambda: selectors.league(year))
        busiest = (
            Organisation.objects.filter(kind="department")
            .order_by("pk")
            .values_list("pk", flat=True)
        ).first()
        timed(
            "league table, year, one department",
            lambda: selectors.league(Filters("year", year.start, year.end, department=busiest)),
        )
        month = Filters("month", *period_range("month", today))
        timed("board, month", lambda: selectors.overview(month))
        timed("trends, year (twelve months)", lambda: trends.trends(year))
        timed(
            "trends, year, route direct (live)",
            lambda: trends.trends(Filters("year", year.start, year.end, route="direct")),
        )
        timed("exceptions: counts", lambda: exceptions.counts(month))
        timed(
            "exceptions: first page of each kind",
            lambda: [list(exceptions.rows(month, kind)[:20]) for kind in exceptions.KINDS],
        )
        timed("weekly report, last week", lambda: weekly.report(weekly.filters_for({}, None)))
    if not args.skip_rollup:
        print("rollup (rollup.refresh(force=True)):")
        began = time.monotonic()
        for key, seconds in rollup.refresh(force=True).items():
            print(f"  {key}: {seconds:.2f} s")
        print(f"  total: {time.monotonic() - began:.1f} s")

    coordinator = User.objects.filter(organisation__kind="office", is_active=True).first()
    token = token_issue(user=coordinator, device="statistics benchmark")[1]
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "60",
        "DATABASE_STATEMENT_TIMEOUT_MS": "5000",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-w",
            str(args.w),
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=2).request("GET", "/")
                break
            except OSError:
                time.sleep(0.5)
        print(f"HTTP: gunicorn {args.w} sync workers, {args.c} clients, {args.d} s each")
        for path in (
            "/api/v1/statistics/overview/?period=year",
            "/api/v1/statistics/league/?period=year",
            "/api/v1/statistics/trends/?period=year",
            "/api/v1/statistics/exceptions/",
            "/api/v1/statistics/weekly/",
        ):
            # Every worker loads Django on its first request: warm them all, then measure.
            load(args.port, path, token, args.c, 5)
            load(args.port, path, token, args.c, args.d)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
