"""Fan-out of live updates as production serves them, beside the bare Channels floor.

N WebSocket watchers of one case, opened from several client processes, receive events that
the project writes through `record_event` (send-to-receipt latency: the write, its commit and
the publish included): first at 1 event/s, then a burst (10 events/s for 10 s). Each phase
runs the bare baseline of ../shared/perf (`ws_fanout_baseline.py`: a bare consumer and
`group_send`, pubsub layer, uvicorn with 2 workers) right before the project, in the same run,
with the same clients. The harness counts failed handshakes and lost messages and bounds every
wait; this script bounds the whole run (HARD_LIMIT_S). Not part of the test run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/deploy_bench \\
    REDIS_URL=redis://127.0.0.1:6379/11 \\
    .venv/bin/python -u tests/benchmarks/ws_fanout.py --clients 1000 --via uvicorn

`--via uvicorn` serves the project with deploy/asgi-server.sh (uvicorn, 2 workers: the
web-asgi unit); `--via nginx` with deploy/serve-local.sh (nginx in front, as production).
"""

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HARD_LIMIT_S = 1500
# The bare baseline's throwaway copy, logs and Redis database (never another engineer's).
PERFBASE = Path(os.environ.get("PERFBASE", tempfile.gettempdir() + "/shenlianti_perfbase"))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--client-procs", type=int, default=4)
    parser.add_argument("--messages", type=int, default=20, help="events at 1/s")
    parser.add_argument("--burst-rate", type=int, default=10, help="events per second")
    parser.add_argument("--burst-seconds", type=int, default=10)
    parser.add_argument("--via", choices=["uvicorn", "nginx"], default="uvicorn")
    parser.add_argument("--port", type=int, default=8412, help="the project's address")
    parser.add_argument("--tools", default=os.environ.get("PERF_TOOLS", ""), help="../shared/perf")
    return parser.parse_args()


def perf_tools(given: str) -> Path:
    """../shared/perf beside the checkout (the main checkout or a worktree under wt/)."""
    candidates = (
        [Path(given)] if given else [ROOT.parent / "shared/perf", ROOT.parents[1] / "shared/perf"]
    )
    for tools in candidates:
        if (tools / "ws_fanout_baseline.py").exists():
            return tools
    sys.exit("../shared/perf/ws_fanout_baseline.py not found: pass --tools")


def setup_django():
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"{name} is required: the benchmark runs real servers through Redis.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_case():
    """A submitted case and a coordinator who watches it by token."""
    from cases.models import Category
    from departments.models import Organisation
    from tests import factories

    run = uuid.uuid4().hex[:6]
    office = factories.organisation(f"办公室{run}", kind="office")
    # One enterprise for every run (credit codes are unique).
    enterprise = Organisation.objects.filter(name="基准测试企业").first() or factories.enterprise(
        "基准测试企业"
    )
    watcher = factories.user(f"bench_coordinator_{run}", office)
    filer = factories.user(f"bench_enterprise_{run}", enterprise)
    case = factories.case(filer, category=Category.objects.first(), submit=True)
    return case, factories.api_token(watcher), watcher


def _write_event(seq: int, ts: float) -> None:
    from django.db import transaction

    from cases.models import Case
    from departments.models import User
    from workflow.record.services import record_event

    with transaction.atomic():
        record_event(
            case=Case.objects.get(pk=int(os.environ["BENCH_CASE_ID"])),
            kind="bench",
            actor=User.objects.get(pk=int(os.environ["BENCH_ACTOR_ID"])),
            payload={"seq": seq, "ts": ts},
        )


async def send_event(seq: int, ts: float) -> None:
    """The harness's SEND_FUNC: one event through the project's own path (write, commit,
    publish after commit); the message carries `seq` and `ts` in `event.payload`."""
    from asgiref.sync import sync_to_async

    await sync_to_async(_write_event)(seq, ts)


async def _handshake(url: str, key: str) -> None:
    import websockets

    async with websockets.connect(url, subprotocols=["shenlianti", f"token.{key}"], open_timeout=5):
        pass


@contextmanager
def project_server(args, env, ws_path, key):
    """The project served as production does, ready to accept a handshake; stopped after."""
    if args.via == "uvicorn":
        command = [str(ROOT / "deploy/asgi-server.sh")]
        env = dict(env, ASGI_PORT=str(args.port))
    else:
        command = [str(ROOT / "deploy/serve-local.sh")]
        env = dict(
            env,
            SERVE_PORT=str(args.port),
            WSGI_BIND=f"127.0.0.1:{args.port + 1}",
            ASGI_PORT=str(args.port + 2),
        )
    log = open(PERFBASE / f"project_{args.via}.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"ws://127.0.0.1:{args.port}{ws_path}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                asyncio.run(_handshake(url, key))
                break
            except Exception:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"the project server did not start (log: {log.name})")
                time.sleep(0.5)
        time.sleep(2)  # the other workers finish starting, so the watchers spread over all
        yield url
    finally:
        # The group this script started: the server and the workers it forked.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)
        log.close()


def harness(tools: Path, args, env, count: int, interval: float, extra: list[str]) -> dict:
    """One bounded run of ws_fanout_baseline.py; its result row."""
    out = PERFBASE / "run.json"
    out.unlink(missing_ok=True)
    command = [
        sys.executable,
        str(tools / "ws_fanout_baseline.py"),
        "-n",
        str(args.clients),
        "--client-procs",
        str(args.client_procs),
        "--messages",
        str(count),
        "--interval",
        str(interval),
        "--json-out",
        str(out),
        *extra,
    ]
    try:
        subprocess.run(command, env=env, timeout=count * interval + 420, check=False)
    except subprocess.TimeoutExpired:
        return {"error": "harness timed out"}
    if not out.exists():
        return {"error": "harness wrote no result"}
    result = json.loads(out.read_text())[0]
    if not result.get("sent"):
        # The harness counts losses against what was sent: nothing sent would read as 0 lost.
        result.setdefault("error", "nothing was sent (see the sender's error above)")
    return result


def bench_env(tools: Path, case, actor) -> dict:
    PERFBASE.mkdir(parents=True, exist_ok=True)
    baseline_copy = PERFBASE / "proj"
    if not baseline_copy.exists():
        shutil.copytree(tools / "baseline_project", baseline_copy)
    return dict(
        os.environ,
        # The project's processes: production settings, the pubsub layer.
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only-" + uuid.uuid4().hex),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback
        CHANNEL_LAYER="pubsub",
        BENCH_CASE_ID=str(case.pk),
        BENCH_ACTOR_ID=str(actor.pk),
        # The baseline: this virtualenv's uvicorn, our Redis database, the same Redis pool size.
        PERFBASE=str(PERFBASE),
        PERF_PROJ=str(baseline_copy),
        PERF_VENV=str(Path(sys.executable).parent.parent),
        PERF_LOGS=str(PERFBASE / "logs"),
        PERF_REDIS_URL=os.environ["REDIS_URL"],
        PERF_REDIS_MAX_CONN=os.environ.get("REDIS_MAX_CONNECTIONS", "2000"),
    )


COLUMNS = ["connected", "connect_failed", "open_s", "lost", "dup", "p50_ms", "p95_ms", "p99_ms"]


def report(rows):
    print(f"\n# {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())} | {os.cpu_count()} cores")
    print(f"{'phase':14} {'run':14} " + " ".join(f"{c:>14}" for c in COLUMNS) + "   p95/bare")
    for phase, label, result, bare in rows:
        if "error" in result:
            print(f"{phase:14} {label:14} ERROR {result['error']}")
            continue
        ratio = ""
        if bare and "error" not in bare and bare.get("p95_ms") and label != "bare":
            ratio = f"{result['p95_ms'] / bare['p95_ms']:.2f}"
        values = " ".join(f"{result.get(c)!s:>14}" for c in COLUMNS)
        print(f"{phase:14} {label:14} {values}   {ratio}")


def main(args):
    tools = perf_tools(args.tools)
    setup_django()
    case, key, actor = make_case()
    env = bench_env(tools, case, actor)
    ws_path = f"/ws/cases/{case.pk}/"
    project = [
        "--no-baseline",
        "--run",
        f"{args.via}2|ws://127.0.0.1:{args.port}{ws_path}|||{ROOT}|config.settings|-|"
        "tests.benchmarks.ws_fanout:send_event",
        "--seq-key",
        "event.payload.seq",
        "--ts-key",
        "event.payload.ts",
        "--subprotocol",
        "shenlianti",
        "--subprotocol",
        f"token.{key}",
    ]
    # After the burst the clients get time to catch up: "lost" means never received.
    burst = args.burst_rate * args.burst_seconds
    phases = [
        ("1/s", args.messages, 1.0, ["--drain", "5"]),
        (f"burst {args.burst_rate}/s", burst, 1 / args.burst_rate, ["--drain", "30"]),
    ]
    rows = []
    for phase, count, interval, drain in phases:
        bare = harness(tools, args, env, count, interval, ["--layers", "pubsub", *drain])
        rows.append((phase, "bare", bare, None))
        with project_server(args, env, ws_path, key):
            result = harness(tools, args, env, count, interval, project + drain)
        rows.append((phase, args.via, result, bare))
    report(rows)


def _out_of_time(signum, frame):
    raise TimeoutError(f"the benchmark ran longer than {HARD_LIMIT_S} s")


if __name__ == "__main__":
    # Never outlive the bound, whatever hangs; the exception stops the servers on its way out.
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(HARD_LIMIT_S)
    main(parse_args())
