from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("流转与协同")

    def ready(self):
        from workflow import metrics  # noqa: F401  (registers the scrape-time gauges)
        from workflow.deadlines import signals  # noqa: F401  (connects the clock receivers)
        from workflow.interchange import outbound  # noqa: F401  (turns transitions into messages)
        from workflow.realtime import (
            access,  # noqa: F401  (tells live streams who lost access)
            revocation,  # noqa: F401  (ends streams with their token)
        )
        from workflow.realtime.sessions import register
        from workflow.sessions.stream import may_watch

        register(may_watch)
