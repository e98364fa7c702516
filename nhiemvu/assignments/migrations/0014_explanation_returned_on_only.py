"""An explanation's "returned" is its ``returned_on`` only (issue 25): the ``state`` column let
two meanings of "in force" live side by side. A row marked returned without a date (none is
written so by the services) keeps its return, dated the day it was submitted."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F


def date_the_returned(apps: Any, schema_editor: Any) -> None:
    Explanation = apps.get_model("assignments", "Explanation")
    Explanation.objects.filter(state="returned", returned_on__isnull=True).update(
        returned_on=F("submitted_on")
    )


def mark_the_dated(apps: Any, schema_editor: Any) -> None:
    Explanation = apps.get_model("assignments", "Explanation")
    Explanation.objects.filter(returned_on__isnull=False).update(state="returned")


class Migration(migrations.Migration):
    dependencies = [("assignments", "0013_delegation_org")]

    operations = [
        migrations.RunPython(date_the_returned, mark_the_dated),
        migrations.RemoveField(model_name="explanation", name="state"),
    ]
