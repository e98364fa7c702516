from django.db import migrations, models
from django.db.models import Q

from nhiemvu.migrationops import AddIndexConcurrently


class Migration(migrations.Migration):
    # The tasks table is the biggest: its index is built CONCURRENTLY on PostgreSQL, which
    # cannot run inside a transaction (nhiemvu/migrationops.py).
    atomic = False

    dependencies = [
        ("assignments", "0018_count_version"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="assignment",
            index=models.Index(
                fields=["id"],
                name="asg_owed_id",
                condition=Q(state__in=["open", "refused", "returned", "reported"]),
            ),
        ),
    ]
