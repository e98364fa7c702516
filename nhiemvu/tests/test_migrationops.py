"""The concurrent index operations build the same index as Django's own, on either database,
and take it away again (nhiemvu/migrationops.py)."""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.db.migrations.state import ModelState, ProjectState
from django.test import TransactionTestCase

from nhiemvu.migrationops import AddIndexConcurrently, AddUniqueConstraintConcurrently


class ConcurrentIndexTest(TransactionTestCase):
    """Run outside a transaction, as a migration with ``atomic = False`` runs them."""

    def setUp(self) -> None:
        self.state = ProjectState()
        self.state.add_model(
            ModelState(
                "migrationops_test",
                "Thing",
                [
                    ("id", models.BigAutoField(primary_key=True)),
                    ("code", models.CharField(max_length=20)),
                    ("kind", models.IntegerField(null=True)),
                ],
            )
        )
        self.model = self.state.apps.get_model("migrationops_test", "Thing")
        with connection.schema_editor() as editor:
            editor.create_model(self.model)
        self.addCleanup(self._drop)

    def _drop(self) -> None:
        with connection.schema_editor() as editor:
            editor.delete_model(self.model)

    def indexes(self) -> dict[str, Any]:
        with connection.cursor() as cursor:
            return connection.introspection.get_constraints(cursor, self.model._meta.db_table)

    def apply(self, op: object, backwards: bool = False) -> None:
        new = self.state.clone()
        op.state_forwards("migrationops_test", new)  # type: ignore[attr-defined]
        with connection.schema_editor(atomic=False) as editor:
            if backwards:
                op.database_backwards("migrationops_test", editor, new, self.state)  # type: ignore[attr-defined]
            else:
                op.database_forwards("migrationops_test", editor, self.state, new)  # type: ignore[attr-defined]

    def test_index_built_and_removed(self) -> None:
        op = AddIndexConcurrently(
            "thing",
            models.Index(
                fields=["kind"], name="thing_kind", condition=models.Q(kind__isnull=False)
            ),
        )
        self.apply(op)
        self.assertIn("thing_kind", self.indexes())
        self.apply(op, backwards=True)
        self.assertNotIn("thing_kind", self.indexes())

    def test_partial_unique_index_refuses_a_second_row(self) -> None:
        from django.db import IntegrityError

        op = AddUniqueConstraintConcurrently(
            "thing",
            models.UniqueConstraint(
                fields=["code"], name="thing_code_once", condition=models.Q(kind__isnull=False)
            ),
        )
        self.apply(op)
        self.assertTrue(self.indexes()["thing_code_once"]["unique"])
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (code, kind) VALUES ('a', NULL), ('a', NULL)")
            cursor.execute(f"INSERT INTO {table} (code, kind) VALUES ('a', 1)")
            with self.assertRaises(IntegrityError):
                cursor.execute(f"INSERT INTO {table} (code, kind) VALUES ('a', 2)")
        self.apply(op, backwards=True)
        self.assertNotIn("thing_code_once", self.indexes())

    def test_only_a_conditional_unique_constraint_is_taken(self) -> None:
        with self.assertRaises(ValueError):
            AddUniqueConstraintConcurrently(
                "thing", models.UniqueConstraint(fields=["code"], name="thing_code_plain")
            )
