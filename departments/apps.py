from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("组织与人员")

    def ready(self):
        from departments import token_signals  # noqa: F401  (connects the receivers)
