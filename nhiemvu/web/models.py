"""What the watchers read (issue 31): when each background duty last succeeded.

A row per duty (the scheduler's step, a backup), updated by whichever process did it, on any
machine: `/readyz` and `/metrics` read them from the one database every node shares, so a
scheduler or a backup on another machine is seen too.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Duty(models.TextChoices):
    SCHEDULER = "scheduler", _("Scheduler step")
    BACKUP = "backup", _("Backup")
    BACKUP_DRILL = "backup_drill", _("Restore drill")


class Beat(models.Model):
    duty = models.CharField(max_length=20, choices=Duty.choices, unique=True)
    last_ok_at = models.DateTimeField()
    # What the duty has done in all, kept across processes and machines: for the scheduler
    # the reminders it delivered, for a backup the backups made (Prometheus reads a counter).
    total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("background duty")
        verbose_name_plural = _("background duties")

    def __str__(self) -> str:
        return f"{self.duty}: {self.last_ok_at:%Y-%m-%d %H:%M}"
