"""The register of issued documents: one document number (文号) per issued document."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from departments.models import Organisation


class IssuedDocument(models.Model):
    """An issued document (公文) and its number (文号, 〔2026〕12号): the minutes of a joint
    session or a case's implementation rules. The serial counts per issuing office and year,
    from 1; a document keeps its number for good."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("会议纪要")
        RULES = "rules", _("实施细则")

    kind = models.CharField(_("公文类型"), max_length=20, choices=Kind.choices)
    office = models.ForeignKey(
        Organisation, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    issued_on = models.DateField(_("发文日期"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    # The minutes' session, or the sign-off that issued the rules.
    session = models.OneToOneField(
        "workflow.JointSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document",
    )
    sign_off = models.OneToOneField(
        "workflow.RuleSignOff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["office_id", "year", "serial"]
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "serial"], name="unique_document_number"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        """The document number as it is printed: 〔2026〕12号."""
        return f"〔{self.year}〕{self.serial}号"
