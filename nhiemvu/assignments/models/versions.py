"""The version of the data list totals count (assignments/totals.py): one row, one number."""

from __future__ import annotations

from django.db import models


class CountVersion(models.Model):
    """Raised after every committed write to the tables a list total reads, so a total counted
    under one value is never served under the next (totals.py says why that holds). Shared by
    every process and machine: it is a row, not a per-process cache."""

    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.n)
