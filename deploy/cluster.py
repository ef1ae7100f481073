#!/usr/bin/env python3
"""The production topology on loopback, and what it must survive (deploy/README.md, "Cluster
test").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shenlianti_cluster deploy/cluster.py

starts nginx (Debian's package; the site from deploy/nginx/render.sh with both nodes in its
upstreams), two web nodes (each gunicorn with sync workers and uvicorn with ASGI workers), two
background workers, one scheduler and a second one started by mistake, its own Redis and a
mail server that keeps what it receives; all on one PostgreSQL database (migrated and given the
demo data first; created when missing). Then, through nginx, it runs the scenarios and prints
their figures, one `name: value` a line, and a JSON line `figures {...}` last:

- reference: a case filed, accepted, assigned to two departments, signed, completed, resolved
  and confirmed, each request through node B, while WebSocket clients on node A hear of it;
- node-kill: client threads write (comments and acceptances, each with a unique key) while
  node A is killed with SIGKILL; every acknowledged write is in the database once, and the
  WebSocket clients on node A reconnect to node B and catch up with `?since=`;
- worker-kill: a worker is killed with SIGKILL while it sends notification e-mails, then
  started again; every e-mail reaches the mail server exactly once;
- redis-outage: Redis is stopped for 10 s; HTTP keeps answering, live updates resume.

`--serve` starts the topology and keeps it up (nginx on --port) until Ctrl-C, without the
scenarios. Exits 1 when an invariant does not hold. Needs nginx and redis-server on the PATH or
in /usr/sbin (`apt-get install nginx redis-server`). Ports: --port and the next 19.
"""

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import websockets

PROJECT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "shenlianti-demo"
# People of the office added for the mail scenario: each filed case notifies all of them in one
# task, so a worker is killed in the middle of a task, not between two.
MAIL_RECIPIENTS = 24


def binary(name: str) -> str:
    found = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.path.exists(p)), None
    )
    if not found:
        sys.exit(f"{name} is missing: apt-get install {name}")
    return found


# ---------------------------------------------------------------- HTTP and WebSocket clients


def call(port, method, path, body=None, token=None, timeout=20):
    """(status, JSON) of one request through nginx; status 0 when no answer came at all."""
    url = path if path.startswith("http") else f"http://127.0.0.1:{port}{path}"
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as answer:
        status, payload = answer.code, answer.read()
    except (OSError, http.client.HTTPException):  # no answer, or a cut one
        return 0, None
    try:
        return status, json.loads(payload or b"null")
    except ValueError:
        return status, None


def all_pages(port, path, token):
    results, url = [], path
    while url:
        status, page = call(port, "GET", url, token=token)
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}")
        results += page["results"]
        # The link's host lacks nginx's port (nginx passes $host): keep its path and query.
        url = (
            page["next"]
            and urllib.parse.urlsplit(page["next"])._replace(scheme="", netloc="").geturl()
        )
    return results


class Live:
    """A WebSocket client as the pages' live.js is one: it reconnects after a drop (through
    `reconnect_port`, nginx's balanced address) with `?since=` the last event it saw."""

    def __init__(self, port, path, token, reconnect_port=None, since=None):
        self.port, self.path, self.token = port, path, token
        self.reconnect_port = reconnect_port or port
        self.last = since
        self.events = []  # event ids in the order received
        self.notifications = []
        self.connects = 0
        self.dropped_at = None  # monotonic time of a drop not yet caught up
        self.caught_up = []  # (dropped_at, caught up at)
        self.live_at = []  # monotonic times of messages not replayed
        self.replaying = False
        self.stopping = False
        self.opened = threading.Event()

    async def run(self):
        port = self.port
        while not self.stopping:
            query = f"?since={self.last}" if self.last is not None else ""
            try:
                async with websockets.connect(
                    f"ws://127.0.0.1:{port}{self.path}{query}",
                    subprotocols=["shenlianti", f"token.{self.token}"],
                    open_timeout=5,
                ) as socket_:
                    self.connects += 1
                    self.replaying = bool(query)
                    self.opened.set()
                    while not self.stopping:
                        try:
                            raw = await asyncio.wait_for(socket_.recv(), timeout=0.5)
                        except TimeoutError:
                            continue
                        self._receive(json.loads(raw))
            except (OSError, TimeoutError, websockets.WebSocketException):
                pass
            if not self.stopping and self.dropped_at is None:
                self.dropped_at = time.monotonic()
            port = self.reconnect_port
            await asyncio.sleep(0.3)

    def _receive(self, message):
        kind = message["type"]
        if kind == "event":
            self.events.append(message["event"]["id"])
            self.last = message["event"]["id"]
        elif kind == "notification":
            self.notifications.append(message["notification"])
        if kind == "replay_done":
            self.replaying = False
            if self.dropped_at is not None:
                self.caught_up.append((self.dropped_at, time.monotonic()))
                self.dropped_at = None
        elif not self.replaying:
            self.live_at.append(time.monotonic())


class LiveHub:
    """One event loop in a thread for every Live client."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.clients = []

    def open(self, *args, **kwargs) -> Live:
        client = Live(*args, **kwargs)
        self.clients.append((client, asyncio.run_coroutine_threadsafe(client.run(), self.loop)))
        if not client.opened.wait(15):
            raise RuntimeError(f"WebSocket {client.path} did not open")
        return client

    def close(self):
        for client, future in self.clients:
            client.stopping = True
            future.result(10)
        self.clients = []


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


# ---------------------------------------------------------------- the mail server


class MailSink:
    """An SMTP server on loopback that keeps the Message-ID of each message it accepts. It
    answers the end of a message after `delay` seconds (a slow mail server widens the time in
    which a worker can be killed while sending) and, as SMTP has it, accepts the message only
    with that answer: one whose client hung up before it is dropped."""

    def __init__(self, port, delay):
        self.port, self.delay = port, delay
        self.received = []  # Message-IDs in arrival order, duplicates included
        # While `holding`, messages are kept waiting for the answer; `held` counts them.
        self.holding, self.held = False, 0
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._session, "127.0.0.1", port), self.loop
        ).result(10)

    async def _session(self, reader, writer):
        async def say(line):
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        try:
            await say("220 sink")
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    await say("250 sink")
                elif verb == b"DATA":
                    await say("354 end with .")
                    lines = []
                    while (chunk := await reader.readline()) not in (b".\r\n", b""):
                        lines.append(chunk)
                    if not chunk:
                        return
                    self.held += 1
                    while self.holding:
                        await asyncio.sleep(0.01)
                    self.held -= 1
                    await asyncio.sleep(self.delay)
                    if reader.at_eof():  # the client died waiting: the message was not accepted
                        return
                    await say("250 queued")
                    self.received.append(self._message_id(lines))
                elif verb == b"QUIT":
                    await say("221 bye")
                    return
                else:  # MAIL, RCPT, RSET, NOOP
                    await say("250 ok")
        except ConnectionError:
            pass
        finally:
            writer.close()

    @staticmethod
    def _message_id(lines):
        for line in lines:
            name, _, value = line.decode(errors="replace").partition(":")
            if name.lower() == "message-id":
                return value.strip()
        return ""


# ---------------------------------------------------------------- processes


class Process:
    """A server in its own process group: SIGKILL reaches its workers too, as when a node dies."""

    def __init__(self, name, argv, env, logs: Path):
        self.name, self.argv, self.env, self.log_path = name, argv, env, logs / f"{name}.log"
        self.popen = None
        self.start()

    def start(self):
        log = open(self.log_path, "a")  # noqa: SIM115 - the child keeps it
        self.popen = subprocess.Popen(
            self.argv,
            cwd=PROJECT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def alive(self):
        return self.popen.poll() is None

    def kill(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self):
        if self.alive():
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def log(self):
        return self.log_path.read_text(errors="replace")


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


class Cluster:
    def __init__(self, args, logs: Path):
        self.args, self.logs = args, logs
        base = args.port
        self.port = base  # nginx: both nodes
        self.node_ports = {"a": base + 1, "b": base + 2}  # nginx: one node each
        self.wsgi = {"a": base + 3, "b": base + 5}
        self.asgi = {"a": base + 4, "b": base + 6}
        self.smtp_port = base + 7
        self.redis_port = base + 19
        self.processes = {}
        self.run = f"{int(time.time())}"  # in the keys of this run's writes
        python = sys.executable
        self.env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="config.settings",
            PYTHON=python,
            DEBUG="false",
            SECRET_KEY=os.environ.get("SECRET_KEY", "cluster-test-only-not-secret"),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp_port),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            LOGIN_CLIENT_IP_HEADER="X-Real-IP",
            # Short enough for a test: a second scheduler asks every second, a dead worker's
            # mail task goes back to the queue after 3 s.
            SCHEDULER_STANDBY_SECONDS="1",
            MAIL_RESCUE_SECONDS="1",
            MAIL_TASK_STALE_SECONDS="3",
        )
        self.env.pop("PROMETHEUS_MULTIPROC_DIR", None)

    def manage(self, *command, **env):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT,
            env={**self.env, "DATABASE_STATEMENT_TIMEOUT_MS": "0", **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        create_database_if_missing(self.env["DATABASE_URL"])
        self.start_redis()
        self.sink = MailSink(self.smtp_port, delay=self.args.mail_delay)
        self.manage("migrate", "--noinput")
        if self.args.serve:
            self.manage("collectstatic", "--noinput")
        self.seeded = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--seed"],
                cwd=PROJECT,
                env={**self.env, "DATABASE_STATEMENT_TIMEOUT_MS": "0"},
                check=True,
                capture_output=True,
                text=True,
            ).stdout.splitlines()[-1]
        )
        with database(self) as db:
            self.first_notification = db.execute(
                "SELECT coalesce(max(id), 0) + 1 FROM workflow_notification"
            ).fetchone()[0]
        for node in ("a", "b"):
            self.start_node(node)
        for n in (1, 2):
            self.start_worker(n)
        self.add("scheduler-1", [sys.executable, "manage.py", "run_scheduler"], statement=0)
        wait_for(lambda: "enqueued" in self.processes["scheduler-1"].log(), 60, "the scheduler")
        # Started by mistake: it must stand by.
        self.add("scheduler-2", [sys.executable, "manage.py", "run_scheduler"], statement=0)
        self.start_nginx()
        for port in (self.port, *self.node_ports.values()):
            wait_for(lambda p=port: call(p, "GET", "/readyz")[0] == 200, 90, f"/readyz on {port}")

    def add(self, name, argv, statement=None, **env):
        extra = {} if statement is None else {"DATABASE_STATEMENT_TIMEOUT_MS": str(statement)}
        self.processes[name] = Process(name, argv, {**self.env, **extra, **env}, self.logs)
        return self.processes[name]

    def start_redis(self):
        self.add(
            "redis",
            [
                binary("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        wait_for(lambda: answers(self.redis_port), 20, "redis-server")

    def start_node(self, node):
        self.add(
            f"node-{node}-wsgi",
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            WSGI_BIND=f"127.0.0.1:{self.wsgi[node]}",
            WEB_CONCURRENCY=str(self.args.wsgi_workers),
        )
        self.add(
            f"node-{node}-asgi",
            ["deploy/asgi-server.sh"],
            ASGI_HOST="127.0.0.1",
            ASGI_PORT=str(self.asgi[node]),
            ASGI_WORKERS=str(self.args.asgi_workers),
        )
        for port in (self.wsgi[node], self.asgi[node]):
            wait_for(lambda p=port: answers(p), 60, f"node {node} on {port}")

    def start_worker(self, n):
        self.add(
            f"worker-{n}",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.2",
                "--worker-id",
                f"worker-{n}-{int(time.time())}",
            ],
            statement=0,
        )

    def kill_node(self, node):
        for part in ("wsgi", "asgi"):
            self.processes[f"node-{node}-{part}"].kill()

    def start_nginx(self):
        site = subprocess.run(
            [str(PROJECT / "deploy" / "nginx" / "render.sh")],
            env={
                **os.environ,
                "NGINX_LISTEN": f"127.0.0.1:{self.port}",
                "NGINX_SERVER_NAME": "127.0.0.1",
                "NGINX_ACCESS_LOG": str(self.logs / "access.log"),
                "WSGI_UPSTREAMS": ",".join(f"127.0.0.1:{p}" for p in self.wsgi.values()),
                "ASGI_UPSTREAMS": ",".join(f"127.0.0.1:{p}" for p in self.asgi.values()),
            },
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        # One address per node as well, so that a scenario can choose the node it talks to.
        for node, port in self.node_ports.items():
            site += f"""
server {{
    listen 127.0.0.1:{port};
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Request-ID $request_id;
    location /ws/ {{
        proxy_pass http://127.0.0.1:{self.asgi[node]};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_read_timeout 1h;
    }}
    location / {{ proxy_pass http://127.0.0.1:{self.wsgi[node]}; }}
}}
"""
        (self.logs / "site.conf").write_text(site)
        user = "user nobody nogroup;" if os.getuid() == 0 else ""
        (self.logs / "nginx.conf").write_text(f"""{user}
daemon off;
worker_processes 1;
pid {self.logs}/nginx.pid;
error_log {self.logs}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {self.logs}/client_body;
    proxy_temp_path {self.logs}/proxy;
    fastcgi_temp_path {self.logs}/fastcgi;
    uwsgi_temp_path {self.logs}/uwsgi;
    scgi_temp_path {self.logs}/scgi;
    include {self.logs}/site.conf;
}}
""")
        self.add(
            "nginx",
            [
                binary("nginx"),
                "-p",
                str(self.logs),
                "-c",
                str(self.logs / "nginx.conf"),
                "-e",
                str(self.logs / "nginx-error.log"),
            ],
        )
        wait_for(lambda: answers(self.port), 20, "nginx")

    def stop(self):
        for process in reversed(list(self.processes.values())):
            process.stop()


def create_database_if_missing(url):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def database(cluster):
    import psycopg

    return psycopg.connect(cluster.env["DATABASE_URL"], autocommit=True)


# ---------------------------------------------------------------- the scenarios


def token(port, username):
    status, answer = call(
        port, "POST", "/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD}
    )
    if status != 200:
        raise RuntimeError(f"{username} could not sign in: {status} {answer}")
    return answer["token"]


def file_case(port, enterprise, category, title):
    status, case = call(
        port,
        "POST",
        "/api/v1/cases/",
        {
            "title": title,
            "description": "集群测试：" + title,
            "category": category,
            "submit": True,
        },
        enterprise,
    )
    if status != 201:
        raise RuntimeError(f"filing a case answered {status}: {case}")
    return case["id"]


def transition(port, kind, pk, body, user):
    status, answer = call(port, "POST", f"/api/v1/{kind}/{pk}/transitions/", body, user)
    if status != 200:
        raise RuntimeError(f"{kind} {pk} {body['name']} answered {status}: {answer}")
    return answer


def reference(cluster, tokens, figures):
    """The reference flow through node B, heard live through node A."""
    a, b = cluster.node_ports["a"], cluster.node_ports["b"]
    hub = LiveHub()
    inbox = hub.open(a, "/ws/inbox/", tokens["coordinator"])
    case = file_case(b, tokens["enterprise"], cluster.seeded["category"], "集群测试：参考流程")
    wait_for(
        lambda: any(n["case"] == case for n in inbox.notifications),
        15,
        "the coordinator's inbox on node A to hear of a case filed on node B",
    )
    watcher = hub.open(a, f"/ws/cases/{case}/?since=0", tokens["coordinator"])
    transition(b, "cases", case, {"name": "accept"}, tokens["coordinator"])
    organisations = cluster.seeded["departments"]
    transition(
        b,
        "cases",
        case,
        {
            "name": "assign",
            "assignments": [
                {
                    "organisation": organisations["zigui"],
                    "title": "规划审批",
                    "due_date": "2030-01-10",
                },
                {
                    "organisation": organisations["zhujian"],
                    "title": "施工许可",
                    "due_date": "2030-01-10",
                },
            ],
        },
        tokens["coordinator"],
    )
    items = all_pages(b, f"/api/v1/action-items/?case={case}", tokens["coordinator"])
    for item in items:
        officer = "zigui" if item["owner"]["id"] == organisations["zigui"] else "zhujian"
        transition(b, "action-items", item["id"], {"name": "sign"}, tokens[officer])
        transition(
            b, "action-items", item["id"], {"name": "complete", "note": "已办结"}, tokens[officer]
        )
    transition(b, "cases", case, {"name": "resolve"}, tokens["coordinator"])
    transition(
        b,
        "cases",
        case,
        {"name": "confirm", "rating": "satisfied", "comment": "满意"},
        tokens["enterprise"],
    )
    recorded = [
        e["id"] for e in all_pages(b, f"/api/v1/cases/{case}/events/", tokens["coordinator"])
    ]
    wait_for(lambda: watcher.events == recorded, 15, "node A's WebSocket to hear every event")
    _, final = call(cluster.port, "GET", f"/api/v1/cases/{case}/", token=tokens["enterprise"])
    hub.close()
    assert final["status"] == "closed", final["status"]
    figures["reference_events_heard_on_a"] = len(watcher.events)
    figures["reference_events_recorded"] = len(recorded)


def node_kill(cluster, tokens, figures):
    """Writes from several clients through nginx while node A dies."""
    port = cluster.port
    coordinator = tokens["coordinator"]
    threads = cluster.args.writers
    cases = [
        file_case(port, tokens["enterprise"], cluster.seeded["category"], f"集群写入 {n}")
        for n in range(threads)
    ]
    to_accept = [
        [
            file_case(port, tokens["enterprise"], cluster.seeded["category"], f"集群受理 {n}-{k}")
            for k in range(3)
        ]
        for n in range(threads)
    ]
    for case in cases:
        transition(port, "cases", case, {"name": "accept"}, coordinator)
    hub = LiveHub()
    # Opened through the node addresses, half on each node; after a drop, through nginx.
    watchers = [
        hub.open(
            cluster.node_ports["a" if n % 2 == 0 else "b"],
            f"/ws/cases/{case}/",
            coordinator,
            reconnect_port=port,
            since=0,
        )
        for n, case in enumerate(cases)
    ]
    started = time.monotonic()
    stop_at = started + cluster.args.load_seconds
    kill_at = started + cluster.args.load_seconds / 3
    outcomes = Counter()

    def comment_exists(case, key):
        return any(
            c["body"] == key
            for c in all_pages(port, f"/api/v1/cases/{case}/comments/", coordinator)
        )

    def accepted(case):
        status, answer = call(port, "GET", f"/api/v1/cases/{case}/", token=coordinator)
        return status == 200 and answer["status"] != "submitted"

    def write(send, applied):
        """Send until acknowledged. An answer lost with its node (502, no answer) may or may not
        have been applied: look before sending again, so that a retry never applies it twice."""
        for _attempt in range(20):
            status = send()
            if status in (200, 201):
                outcomes["acknowledged"] += 1
                return True
            if status in (0, 502, 503, 504):
                outcomes["ambiguous"] += 1
                time.sleep(0.2)
                if applied():
                    outcomes["acknowledged_on_look"] += 1
                    outcomes["acknowledged"] += 1
                    return True
                outcomes["retried"] += 1
                continue
            outcomes[f"refused_{status}"] += 1
            return False
        return False

    def client(n):
        acknowledged, k = [], 0
        while time.monotonic() < stop_at:
            key = f"cluster-load-{cluster.run}-{n}-{k}"
            if k % 5 == 4 and to_accept[n]:
                case = to_accept[n].pop()
                if write(
                    lambda c=case: call(
                        port,
                        "POST",
                        f"/api/v1/cases/{c}/transitions/",
                        {"name": "accept"},
                        coordinator,
                    )[0],
                    lambda c=case: accepted(c),
                ):
                    acknowledged.append(("accept", case))
            elif write(
                lambda key=key: call(
                    port,
                    "POST",
                    f"/api/v1/cases/{cases[n]}/comments/",
                    {"body": key, "visibility": "internal"},
                    coordinator,
                )[0],
                lambda key=key: comment_exists(cases[n], key),
            ):
                acknowledged.append(("comment", key))
            k += 1
        return acknowledged

    with ThreadPoolExecutor(threads) as pool:
        running = [pool.submit(client, n) for n in range(threads)]
        time.sleep(max(0.0, kill_at - time.monotonic()))
        cluster.kill_node("a")
        killed = time.monotonic()
        acknowledged = [write for done in running for write in done.result()]

    with database(cluster) as db:
        stored = dict(
            db.execute(
                "SELECT body, count(*) FROM cases_comment WHERE body LIKE %s GROUP BY body",
                [f"cluster-load-{cluster.run}-%"],
            ).fetchall()
        )
        accepts = dict(
            db.execute(
                "SELECT case_id, count(*) FROM workflow_event WHERE from_state = 'submitted' "
                "AND to_state = 'accepted' AND case_id = ANY(%s) GROUP BY case_id",
                [
                    [c for group in to_accept for c in group]
                    + [c for kind, c in acknowledged if kind == "accept"]
                ],
            ).fetchall()
        )
    comments = [key for kind, key in acknowledged if kind == "comment"]
    accepted_cases = [case for kind, case in acknowledged if kind == "accept"]
    lost = sum(1 for key in comments if stored.get(key, 0) == 0)
    lost += sum(1 for case in accepted_cases if accepts.get(case, 0) == 0)
    twice = sum(1 for count in stored.values() if count > 1)
    twice += sum(1 for count in accepts.values() if count > 1)

    recorded = {
        case: [e["id"] for e in all_pages(port, f"/api/v1/cases/{case}/events/", coordinator)]
        for case in cases
    }
    pairs = list(zip(watchers, cases, strict=True))
    # The clients on node A lost their socket: they reconnect through nginx to node B and
    # replay what they missed with `since`; the ones on node B keep theirs.
    dropped = [(w, c) for w, c in pairs if w.connects > 1]
    kept = [(w, c) for w, c in pairs if w.connects == 1]
    wait_for(
        lambda: (
            all(w.events == recorded[c] for w, c in dropped)
            and all(w.events == [pk for pk in recorded[c] if pk in w.events] for w, c in kept)
        ),
        30,
        "the WebSocket clients to catch up",
    )
    # An event committed by node A but not yet broadcast when it died is not heard by a socket
    # that stays open elsewhere; that client gets it at its next reconnect (`since`).
    missed = sum(len(recorded[c]) - len(w.events) for w, c in kept)
    hub.close()
    figures.update(
        writes_acknowledged=len(acknowledged),
        writes_acknowledged_after_a_lost_answer=outcomes["acknowledged_on_look"],
        writes_retried=outcomes["retried"],
        writes_refused=sum(v for k, v in outcomes.items() if k.startswith("refused")),
        writes_lost=lost,
        writes_applied_twice=twice,
        websocket_clients=len(watchers),
        websocket_clients_dropped_with_node_a=len(dropped),
        websocket_clients_with_gaps_or_duplicates=sum(
            1 for w, c in dropped if w.events != recorded[c]
        ),
        websocket_catch_up_seconds_max=round(
            max((up - killed for w, _ in dropped for _, up in w.caught_up), default=0.0), 2
        ),
        events_not_heard_by_sockets_kept_on_node_b=missed,
    )


def mail_owed(cluster, first=0):
    """Whether a notification from id `first` on is still to be e-mailed."""
    with database(cluster) as db:
        return bool(
            db.execute(
                "SELECT 1 FROM workflow_notification n JOIN departments_user u "
                "ON u.id = n.recipient_id WHERE n.id >= %s AND u.email <> '' "
                "AND n.emailed_at IS NULL "
                "AND NOT (coalesce(u.email_muted_kinds, '[]') ? n.kind) LIMIT 1",
                [first],
            ).fetchone()
        )


def worker_kill(cluster, tokens, figures):
    """A worker killed while sending; started again; every e-mail arrives once."""
    port = cluster.node_ports["b"]
    wait_for(
        lambda: not mail_owed(cluster, cluster.first_notification),
        120,
        "the e-mails of the earlier scenarios",
    )
    before = len(cluster.sink.received)
    with database(cluster) as db:
        db.execute(
            "UPDATE departments_user SET is_active = true WHERE username LIKE 'cluster-mail-%%'"
        )
        first_new = db.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM workflow_notification"
        ).fetchone()[0]
    for n in range(cluster.args.mail_cases):
        file_case(port, tokens["enterprise"], cluster.seeded["category"], f"集群邮件 {n}")
    wait_for(lambda: len(cluster.sink.received) - before >= 5, 60, "the first e-mails")
    # Killed while the mail server holds its message: a worker sending mail spends most of its
    # time waiting for the server, so that is where a kill lands.
    cluster.sink.holding = True
    try:
        wait_for(lambda: cluster.sink.held >= 2, 15, "both workers to be sending")
        victim = cluster.processes["worker-1"]
        victim.kill()
    finally:
        cluster.sink.holding = False
    killed_after = len(cluster.sink.received) - before
    time.sleep(1)
    victim.start()  # restarted, as systemd's Restart= would

    def owed():
        with database(cluster) as db:
            return db.execute(
                "SELECT n.id FROM workflow_notification n JOIN departments_user u "
                "ON u.id = n.recipient_id WHERE n.id >= %s AND u.email <> ''",
                [first_new],
            ).fetchall()

    expected = {f"<notification-{pk}@{cluster.seeded['message_id_domain']}>" for (pk,) in owed()}

    wait_for(lambda: not mail_owed(cluster, first_new), 90, "every e-mail to be marked sent")
    with database(cluster) as db:
        db.execute(
            "UPDATE departments_user SET is_active = false WHERE username LIKE 'cluster-mail-%%'"
        )
    received = Counter(cluster.sink.received[before:])
    figures.update(
        emails_expected=len(expected),
        emails_received_before_the_kill=killed_after,
        emails_sent_once=sum(1 for m in expected if received[m] == 1),
        emails_lost=sum(1 for m in expected if received[m] == 0),
        emails_sent_twice=sum(1 for m in expected if received[m] > 1),
        emails_unexpected=sum(1 for m in received if m not in expected),
    )


def redis_outage(cluster, tokens, figures):
    """Redis stopped for a while: HTTP keeps answering; live updates come back after."""
    port = cluster.port
    coordinator = tokens["coordinator"]
    case = file_case(port, tokens["enterprise"], cluster.seeded["category"], "集群 Redis 中断")
    transition(port, "cases", case, {"name": "accept"}, coordinator)
    hub = LiveHub()
    watcher = hub.open(port, f"/ws/cases/{case}/", coordinator, since=0)
    wait_for(lambda: not watcher.replaying, 10, "the replay")
    last_before = watcher.last
    cluster.processes["redis"].kill()
    stopped = time.monotonic()
    answered = Counter()
    n = 0
    while time.monotonic() < stopped + cluster.args.redis_seconds:
        if n % 2:
            status, _ = call(port, "GET", f"/api/v1/cases/{case}/", token=coordinator)
        else:
            status, _ = call(
                port,
                "POST",
                f"/api/v1/cases/{case}/comments/",
                {"body": f"Redis 中断期间 {n}", "visibility": "internal"},
                coordinator,
            )
        answered["ok" if status in (200, 201) else "failed"] += 1
        n += 1
    cluster.start_redis()
    back = time.monotonic()
    heard_before = len(watcher.live_at)
    k = 0

    def heard_live():
        nonlocal k
        k += 1
        if k % 5 == 1:  # a comment every half second until one is heard live
            call(
                port,
                "POST",
                f"/api/v1/cases/{case}/comments/",
                {"body": f"Redis 恢复后 {k}", "visibility": "internal"},
                coordinator,
            )
        return any(t > back for t in watcher.live_at[heard_before:])

    wait_for(heard_live, 60, "live updates after Redis came back")
    resumed = next(t for t in watcher.live_at[heard_before:] if t > back) - back
    recorded = [e["id"] for e in all_pages(port, f"/api/v1/cases/{case}/events/", coordinator)]
    # A socket that stayed open through the outage is not told what it missed; a client that
    # reconnects with `since` gets all of it.
    missed = [pk for pk in recorded if pk not in watcher.events]
    resumed_client = hub.open(port, f"/ws/cases/{case}/", coordinator, since=last_before)
    wait_for(
        lambda: (
            watcher.events[: watcher.events.index(last_before) + 1] + resumed_client.events
            == recorded
        ),
        30,
        "a client resuming with since to get every event",
    )
    hub.close()
    figures.update(
        redis_outage_seconds=cluster.args.redis_seconds,
        http_requests_during_redis_outage=sum(answered.values()),
        http_succeeded_during_redis_outage=answered["ok"],
        live_updates_resumed_seconds_after_redis_returned=round(resumed, 2),
        events_missed_by_a_socket_open_through_the_outage=len(missed),
    )


def scheduler_check(cluster, figures):
    second = cluster.processes["scheduler-2"].log()
    figures["second_scheduler_stood_by"] = "standing by" in second and "enqueued" not in second


def seed():
    """Run as a child (`--seed`): the demo data, e-mail addresses, the mail scenario's people."""
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from cases.models import Category
    from departments.models import User

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for user in User.objects.filter(email=""):
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])
    office = User.objects.get(username="coordinator").organisation
    for n in range(MAIL_RECIPIENTS):
        User.objects.get_or_create(
            username=f"cluster-mail-{n}",
            defaults={
                "is_active": False,  # until the mail scenario: each filed case would mail them
                "organisation": office,
                "email": f"cluster-mail-{n}@example.invalid",
                "display_name": f"集群收件人 {n}",
            },
        )
    print(
        json.dumps(
            {
                "category": Category.objects.filter(is_active=True).order_by("pk").first().pk,
                "departments": {
                    "zigui": User.objects.get(username="zigui").organisation_id,
                    "zhujian": User.objects.get(username="zhujian").organisation_id,
                },
                "message_id_domain": settings.EMAIL_MESSAGE_ID_DOMAIN,
            }
        )
    )


INVARIANTS = {
    "writes_lost": 0,
    "writes_applied_twice": 0,
    "websocket_clients_with_gaps_or_duplicates": 0,
    "emails_lost": 0,
    "emails_sent_twice": 0,
    "emails_unexpected": 0,
    "second_scheduler_stood_by": True,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8150, help="nginx; the next 19 are used too")
    parser.add_argument("--serve", action="store_true", help="start it and keep it up")
    parser.add_argument("--wsgi-workers", type=int, default=2)
    parser.add_argument("--asgi-workers", type=int, default=1)
    parser.add_argument("--writers", type=int, default=4, help="client threads writing")
    parser.add_argument("--load-seconds", type=float, default=9)
    parser.add_argument("--mail-cases", type=int, default=4)
    parser.add_argument("--mail-delay", type=float, default=0.05)
    parser.add_argument("--redis-seconds", type=float, default=10)
    parser.add_argument("--keep-logs", action="store_true")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        return seed()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("set DATABASE_URL to a PostgreSQL database (created when missing)")
    binary("nginx"), binary("redis-server")

    logs = Path(tempfile.mkdtemp(prefix="shenlianti-cluster-"))
    logs.chmod(0o755)  # nginx's workers run as nobody
    cluster = Cluster(args, logs)
    figures = {}
    failed = False
    stop = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        cluster.start()
        if args.serve:
            print(
                f"ready http://127.0.0.1:{cluster.port}/ (node A :{cluster.node_ports['a']}, "
                f"node B :{cluster.node_ports['b']}; logs in {logs}); Ctrl-C stops it",
                flush=True,
            )
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
            return 0
        tokens = {
            u: token(cluster.port, u) for u in ("enterprise", "coordinator", "zigui", "zhujian")
        }
        for scenario in (reference, node_kill, worker_kill, redis_outage):
            began = time.monotonic()
            scenario(cluster, tokens, figures)
            figures[f"{scenario.__name__}_seconds"] = round(time.monotonic() - began, 1)
        scheduler_check(cluster, figures)
    except (Exception, KeyboardInterrupt) as error:
        failed = True
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        for process in cluster.processes.values():
            print(f"--- {process.name} (last lines)", file=sys.stderr)
            print("\n".join(process.log().splitlines()[-15:]), file=sys.stderr)
    finally:
        cluster.stop()
        signal.signal(signal.SIGTERM, stop)
    for name, value in figures.items():
        print(f"{name}: {value}")
    broken = {k: figures.get(k) for k, v in INVARIANTS.items() if figures.get(k) != v}
    if broken and not failed:
        print(f"invariants broken: {broken}", file=sys.stderr)
    print("figures " + json.dumps(figures), flush=True)
    if failed or broken:
        print(f"logs kept in {logs}", file=sys.stderr)
        return 1
    if not args.keep_logs:
        shutil.rmtree(logs, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
