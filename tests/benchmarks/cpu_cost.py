"""CPU time per request of a server under load: its own processes and the PostgreSQL backends
serving it. On the shared 2-core machine, throughput swings with whatever else runs, but the
CPU a request costs barely does; at saturation throughput ≈ cores ÷ CPU per request, so the
ratio of two servers' CPU costs predicts the ratio of their throughputs on a quiet machine.
Prints figures; not a test. Loopback only; each load is bounded (wrk -d).

    python tests/benchmarks/cpu_cost.py --label bare --db perfbase --port 8102 --server \\
        'cd /tmp/perfbase/proj && ../venv/bin/gunicorn perfbase.wsgi -w 2 -b 127.0.0.1:8102' \\
        --url /cases/ [--url …] [-H 'Authorization: Token …'] [-d 10]
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == pgid:
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


def backend_pids(db: str, since: str) -> list[int]:
    out = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-Atc",
            f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}' "
            f"AND backend_start >= '{since}' AND pid <> pg_backend_pid()",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [int(line) for line in out.split()]


def wrk(url: str, seconds: int, headers: list[str]) -> int:
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        sys.exit(f"{url}: {non2xx.group(1)} non-2xx answers")
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", required=True)
    parser.add_argument("--server", required=True, help="shell command starting the server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True, help="the database the server uses")
    parser.add_argument("--url", action="append", required=True)
    parser.add_argument("-H", dest="headers", action="append", default=[])
    parser.add_argument("-d", dest="seconds", type=int, default=10)
    args = parser.parse_args()

    since = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SELECT now()"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    server = subprocess.Popen(args.server, shell=True, start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.5)
        for path in args.url:
            wrk(base + path, 3, args.headers)  # warm-up: connections, caches
            pids = group_pids(server.pid)
            backends = backend_pids(args.db, since)
            before = {pid: cpu_seconds(pid) for pid in pids + backends}
            start = time.perf_counter()
            requests = wrk(base + path, args.seconds, args.headers)
            wall = time.perf_counter() - start
            after = {pid: cpu_seconds(pid) for pid in pids + backends}
            # Only processes alive throughout: one that ended reads as 0.
            used = {pid: after[pid] - before[pid] for pid in before if after[pid] >= before[pid]}
            app = sum(used.get(pid, 0) for pid in pids) / requests * 1000
            db = sum(used.get(pid, 0) for pid in backends) / requests * 1000
            print(
                f"CPU label={args.label} {path} requests={requests} rps={requests / wall:.1f} "
                f"app_ms={app:.2f} db_ms={db:.2f} total_ms={app + db:.2f}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
