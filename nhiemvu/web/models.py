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
    # total: the jobs put back in the queue (or failed) because their worker was gone.
    JOB_REQUEUE = "job_requeue", _("Requeue of jobs whose worker died")


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


class WorkerLease(models.Model):
    """A running background worker (`manage.py worker`): renewed by the worker while it lives.
    A job whose worker's lease lapsed is put back (web/jobs.py); the lapsed row is kept, marked
    gone, so a worker that comes back after it was given up for dead sees it and stops."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    gone = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
