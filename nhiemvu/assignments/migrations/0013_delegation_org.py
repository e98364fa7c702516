"""Each hand-over inside an agency records the agency that made it (issue 24): who sees the
inside asks which organisation wrote it, not who leads the task now. Existing rows get the
agency that led the task when it was passed on; a hand-over still active on a task another
agency leads now is ended, dated by the change of lead."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models.deletion import PROTECT


def fill_org(apps: Any, schema_editor: Any) -> None:
    Delegation = apps.get_model("assignments", "Delegation")
    LeadChange = apps.get_model("assignments", "LeadChange")
    Membership = apps.get_model("orgs", "Membership")
    for d in Delegation.objects.select_related("assignment").iterator():
        changes = list(
            LeadChange.objects.filter(assignment_id=d.assignment_id).order_by("on", "id")
        )
        # The lead on the day it was passed on: the first change after that day left from it.
        later = [c for c in changes if c.on > d.delegated_at.date()]
        org_id = later[0].from_org_id if later else d.assignment.lead_id
        # A change on the same day is ambiguous by date: the head who passed it on settles it.
        candidates = [d.assignment.lead_id, *(c.from_org_id for c in changes)]
        heads = set(
            Membership.objects.filter(
                user_id=d.delegated_by_id, org_id__in=candidates, role="head"
            ).values_list("org_id", flat=True)
        )
        if org_id not in heads and len(heads) == 1:
            org_id = heads.pop()
        d.org_id = org_id
        if d.active and org_id != d.assignment.lead_id:
            d.active = False
            left = next((c for c in changes if c.from_org_id == org_id), None)
            d.ended_because = left.reason if left is not None else "reassign"
            d.ended_at = d.assignment.updated_at
        elif not d.active:
            d.ended_because = "replaced"
        d.save(update_fields=["org", "active", "ended_because", "ended_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0012_explanation_index"),
        ("orgs", "0003_signatures"),
    ]

    operations = [
        migrations.AddField(
            model_name="delegation",
            name="org",
            field=models.ForeignKey(
                null=True,
                on_delete=PROTECT,
                related_name="+",
                to="orgs.organisation",
                verbose_name="agency",
            ),
        ),
        migrations.AddField(
            model_name="delegation",
            name="ended_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="delegation",
            name="ended_because",
            field=models.CharField(
                blank=True,
                choices=[
                    ("replaced", "Passed to someone else"),
                    ("reassign", "The office reassigned the task to another agency"),
                    ("transfer", "The task was transferred in a reorganisation"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(fill_org, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delegation",
            name="org",
            field=models.ForeignKey(
                on_delete=PROTECT,
                related_name="+",
                to="orgs.organisation",
                verbose_name="agency",
            ),
        ),
    ]
