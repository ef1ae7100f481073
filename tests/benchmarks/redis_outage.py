"""What a failing Redis costs the production processes (issue 14, point 1). Prints figures; not
a test. Starts gunicorn (HTTP, `deploy/gunicorn.conf.py`) and uvicorn (WebSockets,
`deploy/asgi-server.sh`) on loopback with REDIS_URL at a Redis that hangs (a listener that
accepts and never answers), refuses (a port nothing listens on) or works, then times comments,
an assignment to three organisations and concurrent comments, opens WebSocket handshakes, and
counts server errors and the lines the servers logged.

    DATABASE_URL=postgres://…/db_with_seed_demo python tests/benchmarks/redis_outage.py \\
        --redis hung [--code /path/to/checkout] [--http-port 8223] [--ws-port 8224]

`--code` runs the servers from another checkout (to measure the code before a change).
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import websockets

HERE = Path(__file__).resolve().parents[2]


def hung_redis(port):
    listener = socket.create_server(("127.0.0.1", port))
    held = []

    def accept():
        while True:
            connection, _ = listener.accept()
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    return listener


def wait_for_port(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("a server did not start") from None
            time.sleep(0.2)
    raise RuntimeError("a server did not start in time")


def call(port, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers=headers,
        method=method,
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    elapsed = time.monotonic() - started
    try:
        data = json.loads(payload)
    except ValueError:
        data = None
    return status, data, elapsed


async def handshake(port, path, token):
    """The close code after an accepted handshake, or the HTTP status of a refused one."""
    try:
        client = await websockets.connect(
            f"ws://127.0.0.1:{port}{path}",
            subprotocols=["shenlianti", f"token.{token}"],
            open_timeout=30,
        )
    except websockets.InvalidStatus as refused:
        return f"HTTP {refused.response.status_code}"
    try:
        await asyncio.wait_for(client.recv(), timeout=1)
    except websockets.ConnectionClosed as closed:
        return f"closed {closed.rcvd.code if closed.rcvd else None}"
    except TimeoutError:
        return "open"
    finally:
        await client.close()
    return "open"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis", choices=["hung", "refused", "up"], required=True)
    parser.add_argument("--code", default=str(HERE))
    parser.add_argument("--http-port", type=int, default=8223)
    parser.add_argument("--ws-port", type=int, default=8224)
    parser.add_argument("--redis-port", type=int, default=8221)
    parser.add_argument("--redis-up", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--comments", type=int, default=20)
    parser.add_argument("--handshakes", type=int, default=20)
    args = parser.parse_args()

    if args.redis == "hung":
        hung_redis(args.redis_port)
        redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    elif args.redis == "refused":
        redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    else:
        redis_url = args.redis_up

    code = Path(args.code)
    env = dict(
        os.environ,
        REDIS_URL=redis_url,
        DEBUG="false",
        SECRET_KEY="benchmark-only-not-secret",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="false",
        WSGI_BIND=f"127.0.0.1:{args.http_port}",
        WEB_CONCURRENCY="3",
        ASGI_PORT=str(args.ws_port),
        ASGI_WORKERS="1",
        PYTHON=sys.executable,
    )
    logs = Path("/tmp") / f"redis-outage-{os.getpid()}"
    logs.mkdir()
    http_log = open(logs / "gunicorn.log", "w")  # noqa: SIM115
    ws_log = open(logs / "uvicorn.log", "w")  # noqa: SIM115
    gunicorn = Path(sys.executable).with_name("gunicorn")
    servers = [
        subprocess.Popen(
            [str(gunicorn), "-c", "deploy/gunicorn.conf.py"],
            cwd=code,
            env=env,
            stdout=http_log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            ["bash", "deploy/asgi-server.sh"],
            cwd=code,
            env=env,
            stdout=ws_log,
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        wait_for_port(args.http_port, servers[0])
        wait_for_port(args.ws_port, servers[1])
        start_lines = {
            "gunicorn": len((logs / "gunicorn.log").read_text().splitlines()),
            "uvicorn": len((logs / "uvicorn.log").read_text().splitlines()),
        }
        run(args, logs, start_lines)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(20)


def run(args, logs, start_lines):
    http = args.http_port

    def token(username):
        status, data, _ = call(
            http,
            "POST",
            "/api/v1/auth/token/",
            {"username": username, "password": "shenlianti-demo"},
        )
        assert status == 200, (status, data)
        return data["token"]

    coordinator, enterprise = token("coordinator"), token("enterprise")
    statuses = []

    # A fresh case for the enterprise, accepted by the office.
    status, case, elapsed = call(
        http,
        "POST",
        "/api/v1/cases/",
        {"title": "管线迁改", "description": "压测用诉求", "category": 1, "submit": True},
        enterprise,
    )
    statuses.append(status)
    print(f"file a case: {status} in {elapsed:.2f} s")
    transitions = f"/api/v1/cases/{case['id']}/transitions/"
    status, _, elapsed = call(http, "POST", transitions, {"name": "accept"}, coordinator)
    statuses.append(status)
    print(f"accept: {status} in {elapsed:.2f} s")

    comments = f"/api/v1/cases/{case['id']}/comments/"
    timings = []
    for n in range(5):
        status, _, elapsed = call(http, "POST", comments, {"body": f"意见{n}"}, coordinator)
        statuses.append(status)
        timings.append(elapsed)
    print("5 comments one after another:", ", ".join(f"{t * 1000:.0f} ms" for t in timings))

    organisations = [
        o["id"]
        for o in json.loads(
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "shell",
                    "-c",
                    "import json; from departments.models import Organisation; "
                    "print(json.dumps(list(Organisation.objects.filter(kind='department')"
                    ".order_by('pk').values('id')[:3])))",
                ],
                cwd=HERE,
                env=dict(os.environ, DEBUG="true"),
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()[-1]
        )
    ]
    body = {
        "name": "assign",
        "assignments": [
            {"organisation": o, "title": "配合处理", "due_date": "2030-01-10"}
            for o in organisations
        ],
    }
    status, _, elapsed = call(http, "POST", transitions, body, coordinator)
    statuses.append(status)
    print(f"assign to {len(organisations)} organisations: {status} in {elapsed:.2f} s")

    def one(n):
        return call(http, "POST", comments, {"body": f"并发意见{n}"}, coordinator)

    started = time.monotonic()
    with ThreadPoolExecutor(args.comments) as pool:
        results = list(pool.map(one, range(args.comments)))
    wall = time.monotonic() - started
    statuses += [r[0] for r in results]
    latencies = sorted(r[2] for r in results)
    print(
        f"{args.comments} concurrent comments: {wall:.2f} s in all, "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )

    async def handshakes():
        paths = [f"/ws/cases/{case['id']}/", "/ws/inbox/"]
        return [
            await handshake(args.ws_port, paths[n % 2], enterprise) for n in range(args.handshakes)
        ]

    started = time.monotonic()
    outcomes = asyncio.run(handshakes())
    print(
        f"{args.handshakes} handshakes in {time.monotonic() - started:.2f} s:",
        {o: outcomes.count(o) for o in sorted(set(outcomes))},
    )
    time.sleep(1)
    server_errors = sum(1 for s in statuses if s >= 500) + sum(
        1 for o in outcomes if o.startswith("HTTP 5")
    )
    print(f"requests: {len(statuses)} writes, {len(outcomes)} handshakes, {server_errors} 5xx")
    for name in ("gunicorn", "uvicorn"):
        lines = (logs / f"{name}.log").read_text().splitlines()[start_lines[name] :]
        tracebacks = sum(1 for line in lines if line.startswith("Traceback"))
        print(f"{name} logged {len(lines)} lines, {tracebacks} tracebacks")
        for line in [line for line in lines if not line.startswith(" ")][:4]:
            print("   ", line[:160])


if __name__ == "__main__":
    main()
