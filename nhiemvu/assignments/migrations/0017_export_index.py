from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0016_report_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["deadline", "id"], name="asg_export"),
        ),
    ]
