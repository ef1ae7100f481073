"""Benchmark of similar-case lookup and the search on a database filled by `manage.py seed_load`
(not a test; prints figures for docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/precedents_similar_1m \
        .venv/bin/python tests/benchmarks/precedents_load.py

1. EXPLAIN (ANALYZE, BUFFERS) of the candidate query of a similar-case lookup (as the office and
   as a department) and of a search of each type, with their times.
2. Serves the project with gunicorn (sync workers, `-w`, default 4) and runs 8 clients (`-c`)
   for `-d` seconds (default 20) per endpoint: `/cases/{id}/similar/` over 200 cases drawn
   across the table (as the office, and as the department with the most items over cases it
   sees), and `/search/` with a few terms and every type, as both: requests, p50, p95 and max in ms.
"""

import argparse
import http.client
import itertools
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["DATABASE_STATEMENT_TIMEOUT_MS"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cases.models import Case  # noqa: E402
from departments.models import Organisation, User  # noqa: E402
from departments.services import token_issue  # noqa: E402
from workflow.precedents import search, similarity  # noqa: E402

PORT = 8172
TERMS = ["迁改", "自来水主管", "规划许可", "消防验收整改", "甬江"]
# A department searches within its newest rows (workflow/precedents/search.py), every type.
DEPARTMENT_TERMS = ["迁改", "自来水主管", "规划许可"]
DEPARTMENT_KINDS = list(search.KINDS)


def member(organisation):
    return User.objects.filter(organisation=organisation, is_active=True).order_by("pk").first()


def explain(label, queryset):
    with transaction.atomic():
        began = time.monotonic()
        plan = queryset.explain(analyze=True, buffers=True)
        took = (time.monotonic() - began) * 1000
    print(f"--- {label}: {took:.1f} ms")
    print("    " + plan.replace("\n", "\n    "), flush=True)


def load(paths, token, clients, seconds):
    latencies, errors = [], [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    cycle = itertools.cycle(paths)

    def client():
        connection_ = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        mine = []
        while time.monotonic() < stop:
            with lock:
                path = next(cycle)
            began = time.monotonic()
            connection_.request("GET", path, headers={"Authorization": f"Token {token}"})
            response = connection_.getresponse()
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
    return (
        f"{len(latencies)} requests in {seconds} s ({len(latencies) / seconds:.0f}/s), "
        f"p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, "
        f"max {latencies[-1]:.1f} ms, non-200 {errors[0]}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-d", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("-c", type=int, default=8, help="clients")
    parser.add_argument("-w", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--skip-explain", action="store_true")
    args = parser.parse_args()

    rng = random.Random(17)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    sample = list(
        Case.objects.filter(pk__in=[rng.randint(1, top) for _ in range(400)])
        .exclude(status="draft")
        .values_list("pk", flat=True)[:200]
    )
    coordinator = member(Organisation.objects.filter(kind="office").first())
    department_org = (
        Organisation.objects.filter(kind="department")
        .annotate(n=Count("action_items"))
        .order_by("-n", "pk")
        .first()
    )
    department = member(department_org)
    department_cases = list(
        Case.objects.visible_to(department)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:200]
    )
    print(f"== {top:,} cases; {len(sample)} sample cases; department {department_org}")

    if not args.skip_explain:
        for who, user, case_id in (
            ("office", coordinator, sample[0]),
            ("office", coordinator, sample[1]),
            ("department", department, department_cases[0]),
        ):
            case = Case.objects.get(pk=case_id)
            with CaptureQueriesContext(connection) as queries:
                began = time.monotonic()
                similarity.similar_matches(case, user)
                took = (time.monotonic() - began) * 1000
            print(f"--- similar as {who}: {case.title}: {took:.1f} ms, {len(queries)} queries")
            for query in queries:
                sql = query["sql"]
                if not sql.startswith("SELECT") or "set_config" in sql or "cases_case" not in sql:
                    continue
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('pg_trgm.similarity_threshold', %s, true),"
                        " set_config('enable_seqscan', 'off', true),"
                        " set_config('enable_indexscan', %s, true)",
                        [similarity.TRIGRAM_THRESHOLD, "off" if " % " in sql else "on"],
                    )
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))
        for kind in search.KINDS:
            for term in ("迁改", "自来水主管"):
                explain(
                    f"search {kind} {term} as office",
                    search.matching(kind, coordinator, [term])[:21],
                )
            explain(
                f"search {kind} 迁改 as department",
                search.matching(kind, department, ["迁改"])[:21],
            )

    tokens = {
        "office": token_issue(user=coordinator, device="precedents benchmark")[1],
        "department": token_issue(user=department, device="precedents benchmark")[1],
    }
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
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request("GET", "/")
                break
            except OSError:
                time.sleep(0.5)
        print(f"HTTP: gunicorn {args.w} sync workers, {args.c} clients, {args.d} s each")
        searches = [
            "/api/v1/search/?" + urlencode({"q": term, "type": kind})
            for term in TERMS
            for kind in search.KINDS
        ]
        runs = [
            ("similar, office", [f"/api/v1/cases/{pk}/similar/" for pk in sample], "office"),
            (
                "similar, department",
                [f"/api/v1/cases/{pk}/similar/" for pk in department_cases],
                "department",
            ),
            ("search, office (5 terms x 5 types)", searches, "office"),
            (
                "search, department (3 terms x 5 types)",
                [
                    "/api/v1/search/?" + urlencode({"q": term, "type": kind})
                    for term in DEPARTMENT_TERMS
                    for kind in DEPARTMENT_KINDS
                ],
                "department",
            ),
        ]
        for label, paths, who in runs:
            load(paths, tokens[who], args.c, 3)  # every worker loads Django first
            print(f"  {label}: {load(paths, tokens[who], args.c, args.d)}", flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
