"""gunicorn settings for the HTTP (WSGI) process: `gunicorn -c deploy/gunicorn.conf.py`.

Sync workers: each serves one request at a time, so concurrency is bounded by the number of
workers, and a request never waits on another's Python code (under ASGI the same views ran at
about half the throughput). nginx in front buffers slow clients. Every value can be changed
from the environment (deploy/README.md).
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("WSGI_BIND", "127.0.0.1:8001")
worker_class = "sync"
# Requests spend much of their time waiting on PostgreSQL: two workers per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# A bounded queue: past it, connections are refused at once (nginx answers 502) instead of
# waiting longer than the client will.
backlog = int(os.environ.get("WSGI_BACKLOG", 128))
# Last resort behind the statement timeout (DATABASE_STATEMENT_TIMEOUT_MS): a worker stuck
# this long is killed and replaced.
timeout = int(os.environ.get("WSGI_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 2
# Recycle workers now and then so memory does not creep; the jitter keeps them from restarting
# together.
max_requests = int(os.environ.get("WSGI_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# nginx is the only client: on the same host (the default), or the proxy's address in a
# container network (FORWARDED_ALLOW_IPS, deploy/compose.yaml); only its X-Forwarded-* count.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"


def child_exit(server, worker):
    """prometheus_client keeps each worker's figures in PROMETHEUS_MULTIPROC_DIR; a worker that
    exits (recycled, killed) leaves its counters there to be summed, its live gauges not."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
