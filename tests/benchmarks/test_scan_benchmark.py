"""Benchmark: the time-limit scan over 300 open cases, first scan and rescan.

Run explicitly (not part of the suite):
    .venv/bin/python -m pytest tests/benchmarks/test_scan_benchmark.py -s
"""

import time

import pytest

from tests import factories
from workflow.deadlines.scan import scan_time_limits
from workflow.notifications.models import Notification

CASES = 300


@pytest.mark.django_db
def test_scan_300_cases(settings, monkeypatch, enterprise_user, coordinator, category):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    settings.SHENLIANTI_TODAY = "2026-11-20"
    for _ in range(CASES):
        factories.case(enterprise_user, category=category)
    settings.SHENLIANTI_TODAY = "2026-11-24"  # every accept clock is now red

    started = time.perf_counter()
    first = scan_time_limits()
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = scan_time_limits()
    again_s = time.perf_counter() - started

    assert (first.red, again.red) == (CASES, 0)
    assert Notification.objects.filter(kind="deadline").count() == CASES
    print(f"\nscan of {CASES} cases: first {first_s * 1000:.0f} ms, rescan {again_s * 1000:.0f} ms")
