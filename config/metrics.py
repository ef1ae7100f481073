"""Prometheus metrics at `/metrics`.

Request rate, latency and errors per view come from django-prometheus's middleware; the
project adds its own counters (transitions fired per machine, see `TRANSITIONS`) and figures
read at scrape time from the database (registered by the apps with `scrape_gauge`).

Under gunicorn each worker is its own process: with `PROMETHEUS_MULTIPROC_DIR` set (deploy/),
the counters are kept in files there and every scrape sums them over the node's processes.
Scrape-time figures are read once per scrape by whichever worker answers, and cached for
`SCRAPE_CACHE_SECONDS` so that several scrapers cost the database one read.

The address answers before the host check (a scraper asks by IP). With DEBUG off it needs
`Authorization: Bearer <METRICS_TOKEN>`, and without a token set it does not exist.
"""

import hmac
import os
import time
from collections.abc import Callable

import prometheus_client
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django_fsm.signals import post_transition
from django_prometheus.middleware import PrometheusAfterMiddleware
from django_prometheus.utils import Time, TimeSince
from prometheus_client import CollectorRegistry, Counter, Gauge, multiprocess
from prometheus_client.core import GaugeMetricFamily

from config.health import task_queue_backlog

SCRAPE_CACHE_SECONDS = 15

TRANSITIONS = Counter(
    "shenlianti_transitions_total",
    "Lifecycle transitions fired, by machine (model) and transition name.",
    ["machine", "transition"],
)

LIVE_UPDATES_NOT_SENT = Counter(
    "shenlianti_live_updates_not_sent_total",
    "Live updates not handed to the channel layer, by reason: paused (the breaker was open), "
    "failed (the layer failed while sending), queue_full.",
    ["reason"],
)
# Summed over the live processes of the node (`livesum`): a dead process's sockets are gone.
WEBSOCKETS_OPEN = Gauge(
    "shenlianti_websockets_open",
    "WebSocket connections open for live updates.",
    multiprocess_mode="livesum",
)


def _count_transition(sender, name, **kwargs):
    TRANSITIONS.labels(sender._meta.label_lower, name).inc()


post_transition.connect(_count_transition, dispatch_uid="metrics-count-transitions")


class _ScrapeTimeGauges:
    """Gauges computed when scraped: name → (help, function returning a number)."""

    def __init__(self):
        self.readers: dict[str, tuple[str, Callable[[], float]]] = {}
        self._cached: tuple[float, list] | None = None

    def collect(self):
        now = time.monotonic()
        if self._cached is None or now - self._cached[0] > SCRAPE_CACHE_SECONDS:
            families = []
            for name, (documentation, read) in self.readers.items():
                family = GaugeMetricFamily(name, documentation)
                family.add_metric([], read())
                families.append(family)
            self._cached = (now, families)
        return self._cached[1]


_scrape_time = _ScrapeTimeGauges()
_scrape_registry = CollectorRegistry(auto_describe=False)
_scrape_registry.register(_scrape_time)


def scrape_gauge(name: str, documentation: str):
    """Register a function as a gauge read at scrape time (a cheap, indexed query)."""

    def register(read: Callable[[], float]):
        _scrape_time.readers[name] = (documentation, read)
        return read

    return register


@scrape_gauge("shenlianti_task_queue_depth", "Background tasks waiting to run.")
def _task_queue_depth():
    backlog = task_queue_backlog()
    return backlog[0] if backlog else 0


@scrape_gauge(
    "shenlianti_task_queue_oldest_age_seconds", "How long the oldest waiting task has waited."
)
def _task_queue_age():
    backlog = task_queue_backlog()
    return backlog[1] if backlog else 0


def _process_registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return settings.DEBUG
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return hmac.compare_digest(offered.encode(), token.encode())


class RequestMetricsMiddleware(PrometheusAfterMiddleware):
    """django-prometheus's per-view metrics, only the series deploy/README.md lists: latency
    per view and method (its `_count` is the requests), responses by status, view and method,
    and exceptions. django-prometheus's pair of middleware updated a dozen series per request
    (totals, body sizes, charsets, transports, a second latency histogram), each a label
    lookup and, under gunicorn, a write to the multiprocess files; none answered a question
    the operators ask, and they were a fifth of a small request's middleware."""

    def process_request(self, request):
        request.prometheus_after_middleware_event = Time()

    def process_view(self, request, view_func, *view_args, **view_kwargs):
        pass

    def process_response(self, request, response):
        view, method = self._get_view_name(request), self._method(request)
        status = str(response.status_code)
        self.metrics.responses_by_status_view_method.labels(
            status=status, view=view, method=method
        ).inc()
        self.metrics.requests_latency_by_view_method.labels(view=view, method=method).observe(
            TimeSince(request.prometheus_after_middleware_event)
        )
        return response


class MetricsEndpointMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/metrics":
            return self.get_response(request)
        if not _allowed(request):
            return HttpResponseNotFound()
        body = prometheus_client.generate_latest(_process_registry())
        body += prometheus_client.generate_latest(_scrape_registry)
        response = HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
        response["Cache-Control"] = "no-store"
        return response
