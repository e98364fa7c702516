"""Migrations that would hold a big table locked for long on PostgreSQL (issue 31 item 2).

Walks the whole migration plan with its project state and flags, in a migration not yet
released, an operation on a big table (BIG: rows grow with every task, day and person) that
PostgreSQL 15 runs under a lock which blocks reads or writes for as long as it reads the table:

- an index built without CONCURRENTLY (AddIndex, a unique constraint, a field given an index,
  a unique or a foreign key): the table cannot be written until the index is built;
- AlterField changing the column's type (the table is rewritten), making it NOT NULL (the
  table is scanned), or adding an index, a unique or a foreign key;
- AddField NOT NULL without a default (fails on a table with rows), or with an index, a unique
  or a foreign key (built or validated while writes wait), or a database default computed by an
  expression (a volatile one rewrites the table). A plain default is not flagged: since
  PostgreSQL 11 a constant default is stored once, not written into every row (Django turns a
  callable `default` into one constant for the existing rows);
- AddConstraint with a check (validated by reading the table under the lock);
- RunPython and RunSQL in an app that owns a big table (what they read or write cannot be told
  from here: review it, make it batched, then allow it with the reason).

"Released" is what the previous release's database holds (the upgrade fixture's manifest,
web/tests/upgrade/manifest.json): those ran already everywhere and are never flagged again.
ALLOWED names reviewed operations with the reason they are safe.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, models
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from nhiemvu import migrationops

MANIFEST = Path(__file__).parent / "tests" / "upgrade" / "manifest.json"

# app_label.model_name (lower case): the tables that grow with use.
BIG = frozenset(
    {
        "assignments.assignment",
        "assignments.assignmentevent",
        "assignments.coordination",
        "assignments.assignmentattachment",
        "audit.auditevent",
        "directives.directive",
        "directives.directiveattachment",
        "reminders.reminderlog",
        "reminders.notification",
        "reminders.outbox",
        "webhooks.delivery",
        "django_tasks_db.dbtaskresult",
        "axes.accessattempt",
        "axes.accesslog",
    }
)

# "app.migration": why its flagged operations are safe (reviewed, batched, or run at install).
ALLOWED: dict[str, str] = {}


@dataclass(frozen=True)
class Finding:
    migration: str
    operation: str
    table: str
    why: str

    def __str__(self) -> str:
        return f"{self.migration}: {self.operation} on {self.table}: {self.why}"


def released() -> set[str]:
    return set(json.loads(MANIFEST.read_text())["migrations"])


def _indexed(field: models.Field) -> bool:
    if field.many_to_many:  # a table of its own, created empty
        return False
    return bool(
        getattr(field, "db_index", False) or field.unique or getattr(field, "db_constraint", False)
    )


def _type(field: models.Field) -> str | None:
    return field.db_parameters(connection)["type"]


def _judge(op: object, app: str, state: ProjectState) -> tuple[str, str] | None:
    """(model, why) when the operation is a long lock on a big table, else None."""
    model = getattr(op, "model_name_lower", None) or getattr(op, "model_name", "")
    model = str(model).lower()
    key = f"{app}.{model}"
    if isinstance(op, ops.RunPython | ops.RunSQL):
        if any(big.startswith(f"{app}.") for big in BIG):
            return app, "reads or writes rows the check cannot see: review and batch it"
        return None
    if key not in BIG:
        return None
    # Built beside the writes on PostgreSQL (nhiemvu/migrationops.py).
    if isinstance(
        op, migrationops.AddIndexConcurrently | migrationops.AddUniqueConstraintConcurrently
    ):
        return None
    if isinstance(op, ops.AddIndex):
        return model, "index built without CONCURRENTLY: writes wait until it is built"
    if isinstance(op, ops.AddConstraint):
        constraint = op.constraint
        if isinstance(constraint, models.UniqueConstraint):
            return model, "unique index built without CONCURRENTLY: writes wait"
        return model, "constraint validated by reading the whole table under the lock"
    if isinstance(op, ops.AlterUniqueTogether | ops.AlterIndexTogether):
        return model, "index built without CONCURRENTLY: writes wait until it is built"
    if isinstance(op, ops.AddField):
        field = op.field
        if _indexed(field):
            return model, "index or foreign key built with the column: writes wait"
        if not field.null and not field.has_default() and not field.db_default:
            return model, "NOT NULL without a default: fails on a table with rows"
        if hasattr(field.db_default, "resolve_expression"):
            return model, "a default the database computes may rewrite every row (if volatile)"
        return None
    if isinstance(op, ops.AlterField):
        old = state.models[app, model].fields.get(op.name)
        new = op.field
        if old is None:
            return None
        if _type(old) != _type(new):
            return model, f"type {_type(old)} -> {_type(new)}: the table is rewritten"
        if old.null and not new.null:
            return model, "SET NOT NULL scans the whole table under the lock"
        if _indexed(new) and not _indexed(old):
            return model, "index or foreign key added: writes wait until it is built"
    return None


def _database_operations(op: object) -> list[object]:
    if isinstance(op, ops.SeparateDatabaseAndState):
        return [run for inner in op.database_operations for run in _database_operations(inner)]
    return [op]


def findings(skip: set[str] | None = None) -> list[Finding]:
    """Every flagged operation of the plan's migrations outside ``skip`` (the released)."""
    skip = released() if skip is None else skip
    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        for node in loader.graph.forwards_plan(leaf):
            if node not in plan:
                plan.append(node)
    state = ProjectState(real_apps=loader.unmigrated_apps)
    found = []
    for app, name in plan:
        migration = loader.graph.nodes[app, name]
        label = f"{app}.{name}"
        for op in migration.operations:
            if label not in skip and label not in ALLOWED:
                # What a SeparateDatabaseAndState runs on the database is judged as such.
                for run in _database_operations(op):
                    verdict = _judge(run, app, state)
                    if verdict:
                        found.append(
                            Finding(label, type(run).__name__, f"{app}.{verdict[0]}", verdict[1])
                        )
            op.state_forwards(app, state)
    return found
