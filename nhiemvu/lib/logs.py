"""Log lines that can be followed (issue 31 item 3): a request id on every line written while a
request or a job it enqueued runs, and one JSON object a line when asked for
(NHIEMVU_LOG_FORMAT=json), so a log collector reads fields instead of parsing text.

The id lives in a context variable: set by the web middleware for the request's thread, stored
with each job the request enqueues (web/taskqueue.py) and set again by the worker while it runs
that job. Standard logging only; no extra library.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# A proxy's or a client's X-Request-ID is kept when it is short and plain (letters, digits and
# . _ - : only); anything else (a newline, a quote, a 10 kB header) would forge or flood log
# lines, and is replaced by a fresh id.
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def sane(candidate: str | None) -> str:
    """The caller's request id when it is safe to log, else a new one."""
    if candidate and _SANE.fullmatch(candidate):
        return candidate
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``-`` outside a request or job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id.get() or "-"
        return True


# Attributes every LogRecord has; the rest were passed with ``extra=`` and go out as fields.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, the
    fields given with ``extra=``, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.get() or None,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
