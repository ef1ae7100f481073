"""One request, profiled in process: what a single API call costs in Python, through the whole
WSGI stack (every middleware, sign-in, DRF), without a server or a network in between.

    DATABASE_URL=… .venv/bin/python tests/benchmarks/request_profile.py \\
        -H "Authorization: Token $COORDINATOR_TOKEN" -n 300 /api/v1/me/ /api/v1/cases/
    # a transition: POST a body to each id of an `ID TOKEN` file (personas.py writes them)
    … request_profile.py --post '{"name": "accept"}' --ids /tmp/ids/accept.ids \\
        -n 200 '/api/v1/cases/{id}/transitions/'
    # the bare baseline of ../shared/perf, in its own settings
    … request_profile.py --settings perfbase.settings --path /tmp/perfbase/proj /cases/

Prints, per URL, the wall milliseconds a request took (median of N after a warm-up), the Python
function calls it made, and with --profile the functions that took the most time
(PROFILE_SORT=cumulative to sort by time with callees; PROFILE_WARMUP requests first, 20).
Function calls do not move with the machine's load; the times do. Not a test.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path


def environ_for(method: str, url: str, headers: dict, body: bytes) -> dict:
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "application/json",
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("-H", dest="headers", action="append", default=[])
    parser.add_argument("-n", type=int, default=200, help="requests measured per URL")
    parser.add_argument("--post", help="JSON body: POST instead of GET")
    parser.add_argument("--ids", help="file of `ID TOKEN` lines for {id} (and the token)")
    parser.add_argument("--settings", default="config.settings")
    parser.add_argument("--path", default=str(Path(__file__).resolve().parents[2]))
    parser.add_argument("--profile", type=int, default=0, help="show the N costliest functions")
    args = parser.parse_args()

    sys.path.insert(0, args.path)
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    headers = dict(h.split(": ", 1) for h in args.headers)
    ids = [line.split() for line in Path(args.ids).read_text().splitlines()] if args.ids else []
    random.shuffle(ids)  # a second run does not draw the ids the first one used up
    method, body = ("POST", args.post.encode()) if args.post else ("GET", b"")
    warmup = int(os.environ.get("PROFILE_WARMUP", 20))

    for url in args.urls:
        statuses: dict[str, int] = {}

        def request(i, url=url, statuses=statuses):
            target, request_headers = url, dict(headers)
            if ids:
                pk, token = ids.pop()
                target = url.replace("{id}", pk)
                request_headers["Authorization"] = f"Token {token}"
            environ = environ_for(method, target, request_headers, body)

            def start_response(status, response_headers, exc_info=None):
                statuses[status] = statuses.get(status, 0) + 1

            response = application(environ, start_response)
            b"".join(response)
            response.close()

        for i in range(warmup):
            request(i)
        statuses.clear()
        times = []
        for i in range(args.n):
            started = time.perf_counter()
            request(i)
            times.append((time.perf_counter() - started) * 1000)
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(min(args.n, 50)):
            request(i)
        profiler.disable()
        stats = pstats.Stats(profiler)
        calls = stats.total_calls / min(args.n, 50)
        print(
            f"{url}: {statistics.median(times):.2f} ms median, {calls:,.0f} calls a request, "
            f"{statuses}"
        )
        if args.profile:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(
                os.environ.get("PROFILE_SORT", "tottime")
            ).print_stats(args.profile)
            print(out.getvalue())


if __name__ == "__main__":
    main()
