from django.db import migrations, models

from nhiemvu.migrationops import AddIndexConcurrently


class Migration(migrations.Migration):
    # The tasks table is the biggest: its index is built CONCURRENTLY on PostgreSQL, which
    # cannot run inside a transaction (nhiemvu/migrationops.py).
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
