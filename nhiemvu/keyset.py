"""Keyset ("cursor") pagination: page 20,000 costs what page 1 costs.

OFFSET pagination reads and throws away every row before the page; at a million tasks a deep
page takes seconds. Here a page starts after the last row of the previous one, found through the
sort key: one date column (nulls last, so tasks without a deadline come after the dated ones in
both directions) and the task's opaque code as the tie-breaker. The code, not the primary key,
goes in the cursor: sequential ids never leave the database.

The cursor is an opaque, URL-safe token; a tampered or stale one gives a clear error, not a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet


class CursorError(ValueError):
    pass


@dataclass(frozen=True)
class Order:
    field: str  # a nullable or non-null date column
    descending: bool = False
    tie: str = "code"

    def order_by(self, *, reverse: bool = False) -> list[Any]:
        desc = self.descending != reverse
        key = F(self.field)
        # Nulls stay last when reading forward, so they come first when reading backward.
        nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
        primary = key.desc(**nulls) if desc else key.asc(**nulls)
        return [primary, f"-{self.tie}" if desc else self.tie]

    def beyond(self, value: dt.date | None, tie: str, *, reverse: bool = False) -> Q:
        """Rows after (value, tie) in this order, or before it when ``reverse``."""
        desc = self.descending != reverse
        gt = "lt" if desc else "gt"
        f, t = self.field, self.tie
        if not reverse:
            if value is None:
                return Q(**{f"{f}__isnull": True, f"{t}__{gt}": tie})
            return (
                Q(**{f"{f}__{gt}": value})
                | Q(**{f: value, f"{t}__{gt}": tie})
                | Q(**{f"{f}__isnull": True})
            )
        if value is None:
            return Q(**{f"{f}__isnull": True, f"{t}__{gt}": tie}) | Q(**{f"{f}__isnull": False})
        return Q(**{f"{f}__{gt}": value}) | Q(**{f: value, f"{t}__{gt}": tie})


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


def page(qs: QuerySet[Any], order: Order, *, size: int, after: str = "", before: str = "") -> Page:
    """One page of ``qs`` in ``order``: the first, the one after ``after`` or before ``before``.

    Reads ``size + 1`` rows to know whether another page follows; never counts.
    """
    reverse = bool(before)
    token = before or after
    if token:
        value, tie = decode(token)
        qs = qs.filter(order.beyond(value, tie, reverse=reverse))
    rows = list(qs.order_by(*order.order_by(reverse=reverse))[: size + 1])
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
