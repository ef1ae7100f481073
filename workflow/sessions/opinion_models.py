"""Opinions (意见) recorded in a joint session, and the resolution (决议) it adopts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Attachment
from departments.models import Organisation
from workflow.models.sessions import JointSession, SessionParticipant


class Opinion(models.Model):
    """One version of a participant's opinion (意见). Revising writes a new version; the
    latest one counts. Versions are never changed, and none is written after the session ends."""

    class Stance(models.TextChoices):
        SUPPORT = "support", _("同意")
        OBJECT = "object", _("反对")
        ABSTAIN = "abstain", _("弃权")
        CONDITIONAL = "conditional", _("附条件同意")

    participant = models.ForeignKey(
        SessionParticipant, on_delete=models.CASCADE, related_name="opinions"
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    stance = models.CharField(_("意见"), max_length=20, choices=Stance.choices)
    reasons = models.TextField(_("理由"), blank=True)
    attachments = models.ManyToManyField(
        Attachment, verbose_name=_("附件"), blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["participant_id", "-version"]
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "version"], name="unique_opinion_version"
            )
        ]

    def __str__(self):
        return f"{self.participant}: {self.get_stance_display()} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("An opinion version is never changed: record a new version.")
        super().save(*args, **kwargs)


class Resolution(models.Model):
    """The resolution (决议) a joint session adopted. Immutable once adopted."""

    session = models.OneToOneField(
        JointSession, on_delete=models.PROTECT, related_name="resolution"
    )
    summary = models.TextField(_("决议内容"))
    legal_basis = models.TextField(_("法律依据"))
    responsible_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("责任单位"), related_name="+"
    )
    # {"support": n, "object": n, "abstain": n, "conditional": n} from the latest opinions.
    tally = models.JSONField(_("表态统计"), default=dict)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(_("通过时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")

    def __str__(self):
        return self.summary[:40]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("A resolution is immutable once adopted.")
        super().save(*args, **kwargs)
