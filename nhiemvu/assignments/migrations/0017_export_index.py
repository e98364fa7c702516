from django.db import migrations, models

from nhiemvu.lib.migrationops import AddIndexConcurrently


class Migration(migrations.Migration):
    # The tasks table is the biggest: its index is built CONCURRENTLY on PostgreSQL, which
    # cannot run inside a transaction (nhiemvu/lib/migrationops.py).
    atomic = False

    dependencies = [
        ("assignments", "0016_report_list_indexes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="assignment",
            index=models.Index(fields=["deadline", "id"], name="asg_export"),
        ),
    ]
