"""Migration operations that build an index on a big table without holding its writes (issue 31).

On PostgreSQL ``CREATE INDEX`` blocks every write to the table until the index is built: minutes
on a table of a million tasks, while officers are reporting. ``CREATE INDEX CONCURRENTLY`` builds
it beside the writes. Django's own ``AddIndexConcurrently`` runs only on PostgreSQL, and it has no
concurrent form for a unique constraint (which is a unique index once it has a condition); these
two do it on PostgreSQL and build the ordinary index elsewhere (SQLite locks the whole file for
any write anyway). A migration using them sets ``atomic = False``: PostgreSQL refuses
``CONCURRENTLY`` inside a transaction. ``web/migrationlocks.py`` knows them as safe.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently as _PgAddIndexConcurrently
from django.db import models
from django.db.migrations.operations import AddConstraint


def _on_postgresql(schema_editor: Any) -> bool:
    return bool(schema_editor.connection.vendor == "postgresql")


class AddIndexConcurrently(_PgAddIndexConcurrently):
    """``AddIndex`` built CONCURRENTLY on PostgreSQL, plainly elsewhere."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        # Django's AddIndexConcurrently on PostgreSQL; its plain AddIndex elsewhere.
        run = super() if _on_postgresql(schema_editor) else super(_PgAddIndexConcurrently, self)
        run.database_forwards(app_label, schema_editor, from_state, to_state)  # type: ignore[attr-defined]

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        run = super() if _on_postgresql(schema_editor) else super(_PgAddIndexConcurrently, self)
        run.database_backwards(app_label, schema_editor, from_state, to_state)  # type: ignore[attr-defined]


class AddUniqueConstraintConcurrently(AddConstraint):
    """A conditional ``UniqueConstraint`` (a partial unique index) built CONCURRENTLY on
    PostgreSQL, plainly elsewhere. Only the shapes PostgreSQL builds as an index are accepted:
    a condition, no deferral (a deferrable one is a table constraint, validated under the lock)."""

    def __init__(self, model_name: str, constraint: models.UniqueConstraint) -> None:
        if not isinstance(constraint, models.UniqueConstraint) or constraint.condition is None:
            raise ValueError("a conditional UniqueConstraint is built as a unique index")
        if constraint.deferrable is not None:
            raise ValueError("a deferrable unique constraint is not an index")
        super().__init__(model_name, constraint)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if not _on_postgresql(schema_editor):  # Django's AddConstraint as it is
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.in_atomic_block:
            raise RuntimeError(
                "AddUniqueConstraintConcurrently needs a migration with atomic = False"
            )
        sql = str(self.constraint.create_sql(model, schema_editor))
        if not sql.startswith("CREATE UNIQUE INDEX "):
            raise ValueError(f"not built as a unique index: {sql}")
        schema_editor.execute(
            sql.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX CONCURRENTLY ", 1)
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if not _on_postgresql(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        schema_editor.execute(
            f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.constraint.name)}"
        )

    def describe(self) -> str:
        return f"Create unique index {self.constraint.name} concurrently on {self.model_name}"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__name__,
            [],
            {"model_name": self.model_name, "constraint": self.constraint},
        )
