"""Keyset ("cursor") pagination: page 20,000 costs what page 1 costs.

OFFSET pagination reads and throws away every row before the page; at a million tasks a deep
page takes seconds. Here a page starts after the last row of the previous one, found through the
sort key: one date column (nulls last, so tasks without a deadline come after the dated ones in
both directions) and the task's opaque code as the tie-breaker. The code, not the primary key,
goes in the cursor: sequential ids never leave the database.

Every query a page sends is one range of one index, read in the index's order and stopped after
``size + 1`` rows, so the database neither scans nor sorts the table (bench/peer.py; the EXPLAIN
of each offered order is asserted in assignments/tests/test_explain.py on PostgreSQL):

- "after this row" is a row-value comparison ``(date, code) > (v, t)``, which an index on
  ``(date, code)`` answers as one range. The equivalent ``date > v OR (date = v AND code > t)``
  is read by PostgreSQL as a filter over every row from the start of the index.
- A nullable date is two segments read one after the other: the dated rows, then the undated
  ones (reversed when paging backwards). Within a segment the NULLS placement no longer matters,
  so the one ascending index on ``(date, code)`` serves both directions of an order, forwards
  or backwards, and no index needs a ``NULLS LAST`` that SQLite could not create.

The cursor is an opaque, URL-safe token; a tampered or stale one gives a clear error, not a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan


class CursorError(ValueError):
    pass


@dataclass(frozen=True)
class Order:
    field: str  # a nullable or non-null date column
    descending: bool = False
    tie: str = "code"

    def order_by(self, *, reverse: bool = False) -> list[Any]:
        """The whole order in one ORDER BY (dated rows first reading forward): for callers that
        read a whole filtered set in this order, such as exports."""
        desc = self.descending != reverse
        key = F(self.field)
        nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
        primary = key.desc(**nulls) if desc else key.asc(**nulls)
        return [primary, f"-{self.tie}" if desc else self.tie]


def encode(value: dt.date | None, tie: str) -> str:
    raw = json.dumps([value.isoformat() if value else None, tie], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(token: str) -> tuple[dt.date | None, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value, tie = json.loads(raw)
        if not isinstance(tie, str) or len(tie) > 40:
            raise ValueError(tie)
        return (dt.date.fromisoformat(value) if value is not None else None), tie
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise CursorError(str(exc)) from exc


@dataclass
class Page:
    rows: list[Any]
    next: str | None  # cursor of the page after, if any
    previous: str | None  # cursor of the page before, if any


DATED, UNDATED = "dated", "undated"


def _segment(
    qs: QuerySet[Any],
    order: Order,
    segment: str,
    *,
    nullable: bool,
    desc: bool,
    start: tuple[dt.date | None, str] | None,
) -> QuerySet[Any]:
    """One segment of the order as one index range: its rows after ``start`` (if given) in
    the reading direction, sorted as the index is."""
    field, tie = order.field, order.tie
    if segment == UNDATED:
        qs = qs.filter(**{f"{field}__isnull": True})
        if start is not None:
            qs = qs.filter(**{f"{tie}__{'lt' if desc else 'gt'}": start[1]})
        return qs.order_by(f"-{tie}" if desc else tie)
    if nullable:
        qs = qs.filter(**{f"{field}__isnull": False})
    if start is not None:
        beyond = TupleLessThan if desc else TupleGreaterThan
        qs = qs.filter(beyond(Tuple(F(field), F(tie)), start))
    key = F(field)
    return qs.order_by(key.desc() if desc else key.asc(), f"-{tie}" if desc else tie)


def page(
    qs: QuerySet[Any],
    order: Order,
    *,
    size: int,
    after: str = "",
    before: str = "",
    read: Callable[[QuerySet[Any]], Iterable[Any]] | None = None,
) -> Page:
    """One page of ``qs`` in ``order``: the first, the one after ``after`` or before ``before``.

    Reads ``size + 1`` rows to know whether another page follows; never counts. One query, or
    two when the page crosses from the dated rows to the undated ones. ``read`` turns a slice of
    the query into rows (default: its model objects); a row has the order's fields as attributes.
    """
    reverse = bool(before)
    token = before or after
    start = decode(token) if token else None
    desc = order.descending != reverse
    nullable = qs.model._meta.get_field(order.field).null
    # Forward the dated rows come first (nulls last in both orders); backward, the undated.
    segments = [DATED, UNDATED] if nullable else [DATED]
    if reverse:
        segments.reverse()
    if start is not None:
        segments = segments[segments.index(UNDATED if start[0] is None else DATED) :]
    rows: list[Any] = []
    for i, segment in enumerate(segments):
        if len(rows) > size:
            break
        part = _segment(
            qs,
            order,
            segment,
            nullable=nullable,
            desc=desc,
            start=start if i == 0 else None,
        )
        wanted = part[: size + 1 - len(rows)]
        rows.extend(read(wanted) if read is not None else wanted)
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()

    def cursor(row: Any) -> str:
        return encode(getattr(row, order.field), getattr(row, order.tie))

    if not rows:
        return Page(rows, None, None)
    has_next = more if not reverse else True
    has_previous = bool(token) if not reverse else more
    return Page(
        rows,
        cursor(rows[-1]) if has_next else None,
        cursor(rows[0]) if has_previous else None,
    )
