"""Trigram indexes for the folded search columns on PostgreSQL (substring search at scale).

SQLite has no equivalent; there the search scans, which is fine at a province's local size.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = [
    ("assignments_assignment", "asg_search_trgm"),
    ("directives_directive", "directive_search_trgm"),
    ("orgs_organisation", "org_search_trgm"),
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0001_initial"),
        ("directives", "0001_initial"),
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
