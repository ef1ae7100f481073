"""Precedents (类案参照): which earlier case a case followed, and what was taken from it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class PrecedentFollow(models.Model):
    """A coordinator took an earlier resolved case as the basis of this one (参照类案): its rule
    items copied into the draft rules, or its assignments offered for a direct assignment.

    Kept here, not on the case: a case may follow more than one precedent over its life, and
    each time is part of the record (the event log cites it too)."""

    class Mode(models.TextChoices):
        RULES = "rules", _("复制为细则草案")
        ASSIGN = "assign", _("预填交办")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="precedent_follows")
    precedent = models.ForeignKey(
        Case, verbose_name=_("参照类案"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("参照方式"), max_length=10, choices=Mode.choices)
    # What was taken, as it was taken: [{"owner": id, "owner_name", "title", "deliverable",
    # "working_days"}]; durations in working days, recomputed from the day they are used.
    steps = models.JSONField(_("参照的事项"), default=list)
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("参照人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    followed_at = models.DateTimeField(_("参照时间"), auto_now_add=True)

    class Meta:
        ordering = ["case_id", "-followed_at", "-id"]
        verbose_name = _("类案参照")
        verbose_name_plural = _("类案参照")

    def __str__(self):
        return f"{self.case_id} ← {self.precedent_id} ({self.mode})"
