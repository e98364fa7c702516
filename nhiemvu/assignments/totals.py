"""Exact list totals that do not recount unchanged data (issue 28: at 1,000,000 tasks a list's
total was most of its time; a count is linear in the rows it counts and no index shortens it).

A total is kept per process under (its query, the data version ``n``) and served while ``n``
has not moved. ``n`` is one row (``CountVersion``) shared by every process and machine.

Why a kept total is never one of older data than its ``n`` says:

- every write to a counted table raises ``n`` AFTER the writer's transaction commits
  (``on_commit``; at once in autocommit, where the statement has committed when it returns);
- a reader reads ``n`` BEFORE it counts, and keeps the count under the ``n`` it read. A reader
  that read the raised ``n`` read it after the writer committed, so its count, a later
  statement, sees the write. A count taken under the old ``n`` that happens to include the
  write is newer than its key, never older.

The one gap is a write committed but not yet followed by its raise (microseconds; longer only if
the process dies between the two): ``TTL`` bounds how long a total may miss such a write.

Every write goes through one place here: an execute wrapper on every database connection sees
each statement Django sends (model saves, queryset updates and deletes, bulk writes, cascades,
raw cursors, migrations), so no caller can forget the raise. A writer outside Django (psql,
pg_restore) calls ``reset()``; migrations end with it (post_migrate), as a restore does.

A reader's own uncommitted writes are not in anyone's kept total: a connection with a raise
pending counts afresh. A query that reads a table outside ``COUNTED`` is never kept.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connections
from django.db.models import F, QuerySet

log = logging.getLogger(__name__)

# The tables a list total reads (``selectors.filter_tasks`` and the visibility filter: the
# tasks, their coordinating agencies, their documents for the document filter).
COUNTED = ("assignments.Assignment", "assignments.Coordination", "directives.Directive")
TTL = 300.0  # seconds: the longest a kept total may miss a write whose raise was lost
SIZE = 2048  # kept totals per process (each a 16-byte key and a number)

_WRITE = re.compile(r"\s*(insert|update|delete|truncate|replace|merge|copy)\b", re.IGNORECASE)
_CTE_WRITE = re.compile(r"\s*with\b.*\b(insert|update|delete|merge)\b", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(r'"(\w+)"')

_kept: OrderedDict[bytes, tuple[int, int, float]] = OrderedDict()  # key -> (n, total, when)
_lock = threading.Lock()
_bumps: dict[str, Callable[[], None]] = {}
_clock = time.monotonic


@functools.cache
def _tables() -> tuple[frozenset[str], frozenset[str]]:
    """(the counted tables, every table of the project's models)."""
    counted = frozenset(apps.get_model(m)._meta.db_table for m in COUNTED)
    every = frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))
    return counted, every


# --- Writers ------------------------------------------------------------------------------


def bump(using: str = "default") -> None:
    """Raise ``n`` by one (after a commit: see the module's docstring)."""
    from nhiemvu.assignments.models import CountVersion

    if _migrating:
        return  # post_migrate resets n (before it, the table may not exist yet)
    try:
        CountVersion.objects.using(using).filter(pk=1).update(n=F("n") + 1)
    except DatabaseError:
        # No table yet (the first migrations) or no database: TTL bounds the staleness.
        log.warning("count version not raised on %s", using, exc_info=True)


def reset(using: str = "default") -> None:
    """A fresh, never-seen ``n``: after writes outside Django (a restore) and migrations. A
    random value, not ``n + 1``: a restored row may carry an ``n`` some process already kept
    totals of other data under."""
    from nhiemvu.assignments.models import CountVersion

    try:
        CountVersion.objects.using(using).update_or_create(
            pk=1, defaults={"n": secrets.randbits(62)}
        )
    except DatabaseError:
        # No table (migrated backwards past it, or a restored backup older than it; the next
        # migrate creates and resets it): nothing to keep totals under, every total is counted.
        log.warning("count version not reset on %s", using, exc_info=True)


def _bump_of(alias: str) -> Callable[[], None]:
    fn = _bumps.get(alias)
    if fn is None:
        fn = _bumps[alias] = lambda: bump(alias)
    return fn


def _pending(conn: Any) -> bool:
    """Whether this connection's open transaction has a raise waiting for its commit."""
    fn = _bumps.get(conn.alias)
    return fn is not None and any(f is fn for _, f, _ in conn.run_on_commit)


@functools.cache
def _counted_name() -> re.Pattern[str]:
    # Whole names: "assignments_assignment" is not in "assignments_assignmentevent".
    names = "|".join(sorted(_tables()[0]))
    return re.compile(rf"\b(?:{names})\b", re.IGNORECASE)


def _writes_counted(sql: str) -> bool:
    """Whether a statement may write a counted table (more is harmless: one raise too many)."""
    if not (_WRITE.match(sql) or _CTE_WRITE.match(sql)):
        return False
    return _counted_name().search(sql) is not None


def _watch(execute: Any, sql: Any, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """The execute wrapper: after a statement that writes a counted table, a raise of ``n``
    once the transaction commits (once per transaction, however many statements)."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _writes_counted(sql):
        conn = context["connection"]
        if conn.in_atomic_block:
            # One raise per transaction: the list object is replaced on commit, rollback and
            # savepoint rollback, so while it is the one we added to, our raise is in it.
            if getattr(conn, "_nhiemvu_count_list", None) is conn.run_on_commit:
                return result
            if not _pending(conn):
                conn.on_commit(_bump_of(conn.alias), robust=True)
            conn._nhiemvu_count_list = conn.run_on_commit
        elif conn.get_autocommit():
            bump(conn.alias)  # the statement has committed
        # Manual transaction management (never used here): TTL bounds it.
    return result


def install(connection: Any, **kwargs: Any) -> None:
    """``connection_created``: watch this connection's writes (first in the chain, so that a
    caller's own ``execute_wrapper`` context pops its wrapper, not ours)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


_migrating = False


def before_migrate(**kwargs: Any) -> None:
    global _migrating
    _migrating = True


def after_migrate(using: str = "default", **kwargs: Any) -> None:
    """``post_migrate``: a migration may have written tasks (and a flush emptied the row)."""
    global _migrating
    _migrating = False
    reset(using)


# --- Readers ------------------------------------------------------------------------------


def _version(using: str) -> int | None:
    from nhiemvu.assignments.models import CountVersion

    return CountVersion.objects.using(using).filter(pk=1).values_list("n", flat=True).first()


def count(qs: QuerySet[Any]) -> int:
    """``qs.count()``, exact, counted once per data version and query (the SQL and its
    parameters, which carry the filters, the person's visibility and today's date)."""
    keyed = qs.select_related(None).order_by().values("pk")
    using = keyed.db
    conn = connections[using]
    if conn.in_atomic_block and _pending(conn):
        return keyed.count()  # our own uncommitted writes: in no kept total
    try:
        sql, params = keyed.query.get_compiler(using=using).as_sql()
    except EmptyResultSet:
        return 0
    counted, every = _tables()
    if (set(_QUOTED.findall(sql)) & every) - counted:
        return keyed.count()  # reads a table whose writes do not raise n
    n = _version(using)
    if n is None:
        return keyed.count()
    key = hashlib.blake2b(repr((using, sql, params)).encode(), digest_size=16).digest()
    now = _clock()
    with _lock:
        hit = _kept.get(key)
    if hit is not None and hit[0] == n and now - hit[2] < TTL:
        return hit[1]
    total = keyed.count()
    with _lock:
        _kept[key] = (n, total, now)
        _kept.move_to_end(key)
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return total


def forget() -> None:
    """Drop every kept total of this process (tests)."""
    with _lock:
        _kept.clear()
