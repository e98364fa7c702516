from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nhiemvu.lib.codes import new_code


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedReport(models.Model):
    """A report file made in the worker (large reports, scheduled reports), to download later.

    The figures are those of `requested_by`'s view (the province for scheduled reports)."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    period = models.CharField(_("period"), max_length=30)
    rule = models.CharField(max_length=10)
    as_of = models.DateField(_("status as of"), null=True, blank=True)
    fmt = models.CharField(_("format"), max_length=5)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="reports/%Y/%m", blank=True, max_length=200)
    scheduled = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A scheduled report is generated once per period and format, however many
            # schedulers run.
            models.UniqueConstraint(
                fields=["period", "rule", "fmt"],
                condition=Q(scheduled=True),
                name="report_scheduled_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.fmt} ({self.status})"
