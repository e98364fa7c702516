"""The reconciliation as a workbook (issue 29 item 4): the first sheet compares, per quarter of
assignment and per agency, the counts by state and the on-time rates the old tracker's export
says with those nhiemvu computes; the second lists every differing row (not only the first ones
the page shows). Written by the worker at the end of the import, row by row (constant memory),
with lib.spreadsheets' workbook, so a text from the export is never a formula or a link."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhiemvu.directives.legacy.imports import Row
from nhiemvu.directives.legacy.reconcile import CLASSES
from nhiemvu.lib import spreadsheets

CLASS_NAMES = {
    "in_progress": gettext_lazy("In progress, within the deadline"),
    "overdue": gettext_lazy("Overdue"),
    "no_deadline": gettext_lazy("In progress, no deadline"),
    "done_on_time": gettext_lazy("Done on time"),
    "done_late": gettext_lazy("Done late"),
    "missing": gettext_lazy("Not in nhiemvu"),
}


def class_name(key: str) -> str:
    return str(CLASS_NAMES.get(key, key))


class ReconciliationBook:
    """Feed it each differing row (``difference``), then the groups (``finish``)."""

    def __init__(self, path: str, title: str) -> None:
        self.book = spreadsheets.workbook(path, {"constant_memory": True})
        self.head = self.book.add_format({"bold": True, "border": 1, "text_wrap": True})
        self.warn = self.book.add_format({"bg_color": "#FFF2CC"})
        self.title = title
        # The groups' sheet first (the one a reader opens), written last.
        self.groups = self.book.add_worksheet(_("Comparison"))
        self.rows = self.book.add_worksheet(_("Differing rows"))
        heads = [
            _("Row in the file"),
            _("Identifier"),
            _("Quarter"),
            _("Agency"),
            _("State word in the old tracker"),
            _("Old tracker reads"),
            _("nhiemvu computes"),
        ]
        self.rows.write_row(0, 0, heads, self.head)
        self.rows.set_column(3, 6, 28)
        self.written = 0
        self.per_group: Counter[tuple[str, str]] = Counter()

    def difference(self, entry: dict[str, Any], row: Row) -> None:
        self.written += 1
        self.per_group[(entry["quarter"], entry["agency"])] += 1
        values = [
            entry["number"],
            entry["legacy_id"],
            entry["quarter"],
            entry["agency"],
            row.word,
            class_name(entry["file"]),
            class_name(entry["nhiemvu"]),
        ]
        self.rows.write_row(self.written, 0, values)

    def finish(self, result: dict[str, Any]) -> None:
        sheet = self.groups
        sheet.write(0, 0, self.title, self.head)
        heads = [_("Quarter"), _("Agency")]
        for key in CLASSES:
            heads += [
                _("%(state)s: old tracker") % {"state": class_name(key)},
                _("%(state)s: nhiemvu") % {"state": class_name(key)},
            ]
        heads += [
            _("Not in nhiemvu"),
            _("On-time rate, old tracker (%)"),
            _("On-time rate, nhiemvu (%)"),
            _("Differing rows"),
        ]
        sheet.write_row(2, 0, heads, self.head)
        sheet.set_column(1, 1, 36)
        for index, group in enumerate(result["groups"], start=3):
            values: list[Any] = [group["quarter"], group["agency"]]
            for key in CLASSES:
                values += [group["file"].get(key, 0), group["nhiemvu"].get(key, 0)]
            values += [
                group["nhiemvu"].get("missing", 0),
                "" if group["file_rate"] is None else group["file_rate"],
                "" if group["nhiemvu_rate"] is None else group["nhiemvu_rate"],
                self.per_group[(group["quarter"], group["agency"])],
            ]
            sheet.write_row(index, 0, values, self.warn if group["differs"] else None)
        self.book.close()
