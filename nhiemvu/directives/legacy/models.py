"""What an import of an old tracker keeps (issue 29): the office's reviewed mapping (a profile,
reused for the next export of the same tracker) and each run with its checkpoint."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhiemvu.lib.codes import new_code


class LegacyProfile(models.Model):
    """How one old tracker's export is read: which column holds which fact, what each of its
    state words means here, and the agency names the office mapped by hand (name -> org code)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    # The tracker's name, stored on each task as `legacy_source` (the idempotency key's half).
    source = models.CharField(_("legacy source"), max_length=60)
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    states = models.JSONField(_("state words"), default=dict, blank=True)
    orgs = models.JSONField(_("agency names mapped by hand"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("legacy import profile")
        verbose_name_plural = _("legacy import profiles")

    def __str__(self) -> str:
        return self.name


class LegacyRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class LegacyRun(models.Model):
    """One import of one file. `checkpoint` is the number of data rows committed: a run that
    stopped (a crash, a restart of the worker) resumes after it."""

    profile = models.ForeignKey(LegacyProfile, models.PROTECT, related_name="runs")
    # Its address (DESIGN rule 3: pages are reached by an opaque code, not the sequential id).
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    file = models.FileField(upload_to="legacy/%Y/%m/")
    checksum = models.CharField(max_length=64)
    # The zip of attached files whose paths the rows name (optional), checked on upload.
    bundle = models.FileField(upload_to="legacy/%Y/%m/", blank=True)
    # The reconciliation as a workbook (every difference with its row), written by the worker
    # at the end of the import.
    reconciliation = models.FileField(upload_to="legacy/%Y/%m/", blank=True)
    status = models.CharField(
        max_length=10, choices=LegacyRunStatus.choices, default=LegacyRunStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    checkpoint = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("legacy import run")
        verbose_name_plural = _("legacy import runs")

    def __str__(self) -> str:
        return f"{self.profile} {self.created_at:%d/%m/%Y %H:%M}"
