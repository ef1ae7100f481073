"""Names for third-party apps the admin shows: django-tasks' app has an English name only."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("后台任务")
