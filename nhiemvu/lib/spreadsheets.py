"""Spreadsheets the product writes: text stays text.

A task summary typed as ``=HYPERLINK("http://…","click")`` must reach the reader as those
characters, never as a live formula or link (CSV/formula injection, OWASP). XlsxWriter turns
strings that look like formulas or URLs into formulas and links unless told not to; CSV has no
types, so a cell that a spreadsheet would evaluate is prefixed with an apostrophe.
"""

from __future__ import annotations

from typing import Any

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def workbook(target: Any, options: dict[str, Any] | None = None) -> Any:
    """An XlsxWriter workbook that writes every string as a string."""
    import xlsxwriter

    return xlsxwriter.Workbook(
        target,
        {**(options or {}), "strings_to_formulas": False, "strings_to_urls": False},
    )


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as typed: text that would start a formula gets a leading
    apostrophe (shown by no spreadsheet, kept by none as part of a formula)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
