"""No unreleased migration holds a big table locked for long on PostgreSQL (issue 31 item 2;
web/migrationlocks.py), and the check sees what it is meant to see."""

from __future__ import annotations

from django.db import models
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader
from django.db.models.functions import Now
from django.test import SimpleTestCase

from nhiemvu.web import migrationlocks


class MigrationLocksTest(SimpleTestCase):
    def test_no_unreleased_migration_locks_a_big_table_for_long(self) -> None:
        found = migrationlocks.findings()
        self.assertEqual(
            [str(f) for f in found],
            [],
            "Build the index CONCURRENTLY on PostgreSQL (nhiemvu/migrationops.py's "
            "AddIndexConcurrently or AddUniqueConstraintConcurrently, atomic = False), add "
            "the column nullable and fill it in batches, or, once reviewed, name the migration "
            "in web/migrationlocks.py ALLOWED with the reason it is safe.",
        )

    def test_the_released_migrations_are_the_previous_releases(self) -> None:
        released = migrationlocks.released()
        self.assertIn("assignments.0001_initial", released)
        self.assertIn("web.0001_initial", released)
        self.assertNotIn("web.0002_worker_lease", released)

    def test_it_flags_the_operations_that_lock_a_big_table(self) -> None:
        state = MigrationLoader(None, ignore_no_migrations=True).project_state()

        def judge(op: object, app: str = "assignments") -> str | None:
            verdict = migrationlocks._judge(op, app, state)
            return verdict[1] if verdict else None

        index = models.Index(fields=["summary"], name="asg_summary_test")
        self.assertIn("CONCURRENTLY", judge(ops.AddIndex("assignment", index)) or "")
        self.assertIn(
            "rewritten", judge(ops.AlterField("assignment", "summary", models.TextField())) or ""
        )
        self.assertIn(
            "foreign key",
            judge(
                ops.AddField(
                    "assignment",
                    "helper",
                    models.ForeignKey("orgs.Organisation", models.PROTECT, null=True),
                )
            )
            or "",
        )
        self.assertIn(
            "review",
            judge(ops.RunPython(ops.RunPython.noop)) or "",
        )
        self.assertIn(
            "rewrite",
            judge(
                ops.AddField(
                    "assignment", "stamp2", models.DateTimeField(db_default=Now(), null=True)
                )
            )
            or "",
        )
        # Cheap on PostgreSQL 15: a nullable column, a constant default, a small table.
        self.assertIsNone(judge(ops.AddField("assignment", "note2", models.TextField(null=True))))
        self.assertIsNone(
            judge(ops.AddField("assignment", "flag2", models.BooleanField(default=False)))
        )
        self.assertIsNone(judge(ops.AddIndex("organisation", index), app="orgs"))

    def test_indexes_built_concurrently_pass_and_a_wrapped_plain_index_does_not(self) -> None:
        from nhiemvu.migrationops import AddIndexConcurrently, AddUniqueConstraintConcurrently

        state = MigrationLoader(None, ignore_no_migrations=True).project_state()
        index = models.Index(fields=["summary"], name="asg_summary_test")
        self.assertIsNone(
            migrationlocks._judge(AddIndexConcurrently("assignment", index), "assignments", state)
        )
        unique = models.UniqueConstraint(
            fields=["code"], name="asg_code_test", condition=models.Q(code__gt="")
        )
        self.assertIsNone(
            migrationlocks._judge(
                AddUniqueConstraintConcurrently("assignment", unique), "assignments", state
            )
        )
        # A plain index hidden in a SeparateDatabaseAndState is what the database runs.
        wrapped = ops.SeparateDatabaseAndState(
            database_operations=[ops.AddIndex("assignment", index)]
        )
        self.assertEqual(
            [type(op).__name__ for op in migrationlocks._database_operations(wrapped)], ["AddIndex"]
        )
