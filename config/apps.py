"""Names for third-party apps the admin shows: django-tasks' and django-axes' apps have an
English name only."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("后台任务")


class LoginAttemptsConfig(AxesAppConfig):
    verbose_name = _("登录失败与锁定")
