"""One id per request, carried from nginx to every log line and to the tasks it enqueues.

nginx makes the id (`$request_id`), writes it in its access log and passes it on as
`X-Request-ID`; `RequestIdMiddleware` keeps a well-formed one (or makes one when the request
did not come through nginx), answers it back in the same header, and holds it for the request
in a context variable that `RequestIdFilter` adds to each log record. A task enqueued during
the request gets it as `request_id=` and runs with it (`carries_request_id`), so the worker's
lines about an e-mail carry the id of the request that caused it.
"""

import contextvars
import functools
import logging
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

_current = contextvars.ContextVar("request_id", default="")
# What an id may look like: nginx's are 32 hex digits; anything else a client sends is replaced.
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _WELL_FORMED.fullmatch(offered) else uuid.uuid4().hex
        # Held until the request is finished, not only until this returns: Django logs a 4xx
        # or 5xx answer after the middleware has run.
        _current.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished, dispatch_uid="forget-request-id")
def _forget(**kwargs):
    _current.set("")


def carries_request_id(function):
    """For a task's function (under `@task()`): it takes `request_id=` from whoever enqueued
    it and logs under that id; run without one (the scheduler), it gets an id of its own."""

    @functools.wraps(function)
    def run(*args, request_id: str = "", **kwargs):
        token = _current.set(request_id or f"task-{uuid.uuid4().hex}")
        try:
            return function(*args, **kwargs)
        finally:
            _current.reset(token)

    return run


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request or a task)."""

    def filter(self, record):
        record.request_id = _current.get() or "-"
        return True
