"""The daily rollup of the leaders' figures (统计快照).

The board and the league table for a named period with no other filter read a snapshot the
worker computes once a day (tasks.py), so they answer at once at a city's volume
(docs/performance.md); any other filter is computed live."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    """The figures of one view (board or league) for one set of filters, computed at a time."""

    key = models.CharField(_("键"), max_length=200, unique=True)
    figures = models.JSONField(_("数据"))
    computed_at = models.DateTimeField(_("计算时间"))
    seconds = models.FloatField(_("计算用时（秒）"), default=0)

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")

    def __str__(self):
        return f"{self.key} @ {self.computed_at:%Y-%m-%d %H:%M}"
