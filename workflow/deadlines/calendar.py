"""The admin-maintained working calendar: days that override the chinese-calendar package."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """One day declared a holiday or a working day (调休), entered from the State Council notice.

    An entry overrides the chinese-calendar package; a year the package does not know is
    covered only if its holidays and working weekends are entered here.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("节假日")
        WORKDAY = "workday", _("工作日（调休）")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"
