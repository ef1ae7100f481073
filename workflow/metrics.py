"""The workflow's figures for Prometheus, read when scraped (config/metrics.py)."""

from config.metrics import scrape_gauge
from workflow.items.models import ActionItem


@scrape_gauge("shenlianti_overdue_action_items", "Open action items past their due date.")
def overdue_action_items() -> int:
    # The partial index of open items by due date serves it (tests/test_query_plans.py).
    return ActionItem.objects.overdue().count()
