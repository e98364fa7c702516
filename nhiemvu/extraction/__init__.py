"""Directive text → candidate tasks. Pure Python: no Django models, no apps (import-linter).

from nhiemvu.extraction import extract
result = extract(text, doc_date, directory)
"""

from __future__ import annotations

from nhiemvu.extraction.engine import Extraction, Task, extract

__all__ = ["Extraction", "Task", "extract"]
