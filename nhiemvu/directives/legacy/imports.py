"""The old tracker's rows read into tasks with their past (issue 29), and the run that writes
them: a preview of the mapping, a dry run that says every row's outcome, and the real run in
batches, one transaction each, with a checkpoint to resume from.

Organisations are named as they were: a legacy agency name is matched (orgs.matching, ``EXACT``)
against the directory in force on the row's document date, after the names the office mapped by
hand in the profile; what matches nothing is listed, and the run refuses to start until each such
name is mapped. Documents are issued by the province in force on their date
(orgs.selectors.province_on) and registered once (directives.services.directive_create)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhiemvu.assignments.services import HistoricalTask, historical_tasks_register
from nhiemvu.assignments.services.historical import (
    PastExtension,
    PastFile,
    PastNote,
    carried,
    check,
    outcome,
)
from nhiemvu.directives.legacy.bundle import Bundle, paths_in
from nhiemvu.directives.legacy.models import LegacyProfile
from nhiemvu.directives.legacy.reading import (
    REQUIRED,
    TITLES,
    Table,
    extensions_in,
    names_in,
    notes_in,
    parse_date,
    state_key,
)
from nhiemvu.directives.models import Directive
from nhiemvu.directives.services import DirectiveSpec, directive_create
from nhiemvu.lib import docref, workdays
from nhiemvu.lib.vntext import clean_line, fold, normalize
from nhiemvu.orgs import matching
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.selectors import province_on

REFUSED = "refused"
OUTCOME_NAMES = {
    "new": gettext_lazy("new"),
    "unchanged": gettext_lazy("unchanged"),
    "updated": gettext_lazy("updated"),
    REFUSED: gettext_lazy("refused"),
}
PREVIEW_SAMPLES = 3
PREVIEW_VALUES = 50  # distinct state words shown; a column with more is not a state column


class Organisations:
    """Which organisation a legacy name meant on a date: the office's hand mapping first, then
    the one matcher against the directory in force that day. Read once per date, not per row."""

    def __init__(self, by_hand: dict[str, str]) -> None:
        self.orgs = {o.pk: o for o in Organisation.objects.select_related("successor")}
        by_code = {o.code: o for o in self.orgs.values()}
        self.by_hand = {fold(k): by_code.get(v) for k, v in by_hand.items()}
        # Every organisation's names read once; a date keeps those in force that day
        # (Organisation.is_active_on, the predicate of orgs.selectors.in_force_q): the same
        # answer as a directory loaded per date, without a load per date.
        self._directory = matching.Directory.load()
        self._found: dict[tuple[str, dt.date], Organisation | None] = {}
        self._provinces: dict[dt.date, Organisation | None] = {}

    def find(self, name: str, day: dt.date) -> Organisation | None:
        key = (fold(name), day)
        if key not in self._found:
            found = self.by_hand.get(key[0])
            if found is None:
                entries = [
                    e
                    for e in self._directory.matches(name, matching.Strictness.EXACT)
                    if self.orgs[e.id].is_active_on(day)
                ]
                found = self.orgs.get(entries[0].id) if len(entries) == 1 else None
            self._found[key] = found
        return self._found[key]

    def province(self, day: dt.date) -> Organisation | None:
        if day not in self._provinces:
            self._provinces[day] = province_on(day)
        return self._provinces[day]


@dataclass
class Row:
    number: int  # the row in the file, the header being row 1
    legacy_id: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # agency names that matched nothing
    word: str = ""  # the state as the old tracker wrote it (the reconciliation reads it)
    item: HistoricalTask | None = None


# Cells whose line breaks separate entries (a path a line).
MULTILINE = {"files"}


def _cells(profile: LegacyProfile, headers: list[str], raw: list[str]) -> dict[str, str]:
    index = {h: i for i, h in enumerate(headers)}
    cells = {}
    for key, header in (profile.columns or {}).items():
        col = index.get(header)
        value = raw[col] if col is not None and col < len(raw) else ""
        cells[key] = normalize(value).strip() if key in MULTILINE else clean_line(value)
    return cells


def _files(cells: dict[str, str], row: Row, bundle: Bundle | None) -> list[PastFile]:
    """The files the row names, each found in the zip and accepted as an upload; else the
    reasons (a missing file is listed in the dry run, and the import waits for it)."""
    paths = paths_in(cells.get("files", ""))
    if paths and bundle is None:
        row.errors.append(_("The row names attached files, but no zip of files was uploaded."))
        return []
    found = []
    for path in paths:
        assert bundle is not None
        problem = bundle.problem(path)
        if problem:
            row.errors.append(problem)
        else:
            found.append(PastFile(path.rsplit("/", 1)[-1], functools.partial(bundle.upload, path)))
    return found


def read_row(
    number: int,
    raw: list[str],
    headers: list[str],
    profile: LegacyProfile,
    orgs: Organisations,
    bundle: Bundle | None = None,
    *,
    with_files: bool = True,
) -> Row:
    """One row as a task with its past, or its reasons for refusal (in Vietnamese). Without
    ``with_files`` its files are not looked at (the first screen, the reconciliation)."""
    cells = _cells(profile, headers, raw)
    row = Row(number, legacy_id=cells.get("legacy_id", "")[:80])
    for key in REQUIRED:
        if not cells.get(key):
            row.errors.append(_("Missing: %(field)s.") % {"field": TITLES[key]})
    dates: dict[str, dt.date | None] = {}
    for key in ("doc_date", "assigned_on", "deadline", "original_deadline", "completion_date"):
        try:
            dates[key] = parse_date(cells.get(key, ""))
        except ValueError as exc:
            row.errors.append(
                _("%(field)s: “%(value)s” is not a date (dd/mm/yyyy).")
                % {"field": TITLES[key], "value": exc}
            )
            dates[key] = None
    extensions, notes = _history(cells, row)
    files = _files(cells, row, bundle) if with_files else []
    word = cells.get("state", "")
    row.word = word
    state = (profile.states or {}).get(state_key(word)) if word else None
    if word and not state:
        row.errors.append(_("Unknown state “%(state)s”: map it first.") % {"state": word})
    try:
        ref = docref.parse(cells["doc_ref"]) if cells.get("doc_ref") else None
    except docref.DocRefError as exc:
        row.errors.append(str(exc))
        ref = None
    doc_date = dates["doc_date"]
    if doc_date is None:
        return row
    lead = None
    if cells.get("lead"):
        lead = orgs.find(cells["lead"], doc_date)
        if lead is None:
            row.unknown.append(cells["lead"])
    coordinators = []
    for name in names_in(cells.get("coordinators", "")):
        found = orgs.find(name, doc_date)
        if found is None:
            row.unknown.append(name)
        else:
            coordinators.append(found)
    for name in row.unknown:
        row.errors.append(
            _("“%(name)s” names no organisation in force on %(day)s: map it by hand.")
            % {"name": name, "day": f"{doc_date:%d/%m/%Y}"}
        )
    province = orgs.province(doc_date)
    if province is None:
        row.errors.append(
            _("No province is in force on %(day)s among the organisations.")
            % {"day": f"{doc_date:%d/%m/%Y}"}
        )
    if row.errors or lead is None or ref is None or state is None or province is None:
        return row
    row.values = {
        "issuer": province,
        "ref": ref,
        "doc_date": doc_date,
        "subject": cells.get("subject") or cells["content"],
    }
    row.item = HistoricalTask(
        legacy_id=row.legacy_id,
        directive=Directive(issuer=province, ref=str(ref), doc_date=doc_date),
        content=cells["content"],
        lead=lead,
        coordinators=coordinators,
        assigned_on=dates["assigned_on"] or doc_date,
        state=state,
        deadline=dates["deadline"],
        original_deadline=dates["original_deadline"],
        completion_date=dates["completion_date"],
        completion_ref=cells.get("completion_ref", ""),
        extensions=extensions,
        notes=notes,
        files=files,
    )
    try:
        check(row.item, workdays.today())
    except ValidationError as exc:
        row.errors.extend(exc.messages)
        row.item = None
    return row


def _history(cells: dict[str, str], row: Row) -> tuple[list[PastExtension], list[PastNote]]:
    """The row's extensions and progress notes, or its reasons (the cell text that is not read)."""
    extensions: list[PastExtension] = []
    notes: list[PastNote] = []
    try:
        extensions = [
            PastExtension(old, new, decided or old, decision)
            for old, new, decided, decision in extensions_in(cells.get("extensions", ""))
        ]
    except ValueError as exc:
        row.errors.append(
            _("%(field)s: “%(value)s” is not read as “dd/mm/yyyy → dd/mm/yyyy decision”.")
            % {"field": TITLES["extensions"], "value": exc}
        )
    try:
        notes = [PastNote(day, text) for day, text in notes_in(cells.get("progress", ""))]
    except ValueError as exc:
        row.errors.append(
            _("%(field)s: “%(value)s” is not read as “dd/mm/yyyy: note”.")
            % {"field": TITLES["progress"], "value": exc}
        )
    return extensions, notes


def rows_of(
    table: Table,
    profile: LegacyProfile,
    orgs: Organisations,
    bundle: Bundle | None = None,
    *,
    with_files: bool = True,
) -> Iterator[Row]:
    seen: set[str] = set()
    for number, raw in enumerate(table.rows, start=2):
        row = read_row(number, raw, table.headers, profile, orgs, bundle, with_files=with_files)
        if row.legacy_id and row.legacy_id in seen:
            row.errors.append(
                _("The identifier %(id)s appears twice in the file.") % {"id": row.legacy_id}
            )
            row.item = None
        seen.add(row.legacy_id)
        yield row


@dataclass
class Preview:
    """The first screen: how each column and each distinct value will be read."""

    headers: list[str]
    columns: dict[str, str]  # field -> header
    samples: dict[str, list[str]]  # header -> first values
    states: dict[str, tuple[int, str]]  # the file's state word -> (rows, our state or "")
    unknown: Counter[str]  # agency names that match nothing -> rows
    rows: int


def preview(table: Table, profile: LegacyProfile) -> Preview:
    orgs = Organisations(profile.orgs or {})
    samples: dict[str, list[str]] = {h: [] for h in table.headers}
    words: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    state_col = (profile.columns or {}).get("state")
    count = 0
    for number, raw in enumerate(table.rows, start=2):
        count += 1
        for header, value in zip(table.headers, raw, strict=False):
            if len(samples[header]) < PREVIEW_SAMPLES and value.strip():
                samples[header].append(clean_line(value)[:80])
        if state_col in table.headers:
            word = clean_line(raw[table.headers.index(state_col)] if raw else "")
            if word and (word in words or len(words) < PREVIEW_VALUES):
                words[word] += 1
        row = read_row(number, raw, table.headers, profile, orgs, with_files=False)
        unknown.update(row.unknown)
    states = {w: (n, (profile.states or {}).get(state_key(w), "")) for w, n in words.items()}
    return Preview(table.headers, dict(profile.columns or {}), samples, states, unknown, count)


@dataclass
class Outcome:
    number: int
    legacy_id: str
    outcome: str  # new, unchanged, updated, refused
    reason: str = ""


def dry_run(
    table: Table, profile: LegacyProfile, batch: int = 1000, bundle: Bundle | None = None
) -> Iterator[Outcome]:
    """Every row's outcome, nothing written."""
    orgs = Organisations(profile.orgs or {})
    for chunk in _chunks(rows_of(table, profile, orgs, bundle), batch):
        known = carried(profile.source, [r.legacy_id for r in chunk if r.item])
        for row in chunk:
            if row.item is None:
                yield Outcome(row.number, row.legacy_id, REFUSED, " ".join(row.errors))
            else:
                yield Outcome(
                    row.number, row.legacy_id, outcome(row.item, known.get(row.legacy_id))
                )


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _directives(
    actor: Any, rows: list[Row], cache: dict[tuple[int, int, int, str], Directive]
) -> None:
    """Each row's document, registered once (the same number of the same issuer and year)."""
    wanted = {}
    for row in rows:
        v = row.values
        wanted[(v["issuer"].pk, v["doc_date"].year, v["ref"].number, v["ref"].symbol)] = v
    missing = [k for k in wanted if k not in cache]
    if missing:
        numbers = {k[2] for k in missing}
        for d in Directive.objects.filter(
            issuer_id__in={k[0] for k in missing},
            number__in=numbers,
            year__in={k[1] for k in missing},
        ).select_related("assigned_by"):
            cache[(d.issuer_id, d.year, d.number, d.symbol)] = d
    for key in missing:
        if key not in cache:
            v = wanted[key]
            cache[key] = directive_create(
                actor=actor,
                spec=DirectiveSpec(
                    issuer=v["issuer"],
                    ref=str(v["ref"]),
                    doc_date=v["doc_date"],
                    subject=v["subject"],
                ),
            )
    for row in rows:
        v = row.values
        assert row.item is not None
        row.item.directive = cache[
            (v["issuer"].pk, v["doc_date"].year, v["ref"].number, v["ref"].symbol)
        ]


def write_batch(
    *,
    actor: Any,
    profile: LegacyProfile,
    rows: list[Row],
    checksum: str,
    cache: dict[Any, Directive],
) -> dict[str, str]:
    """One batch, all or nothing (the caller's transaction). A refused row refuses the batch."""
    refused = [r for r in rows if r.item is None]
    if refused:
        first = refused[0]
        raise ValidationError(
            _("Row %(row)s: %(reason)s") % {"row": first.number, "reason": " ".join(first.errors)}
        )
    _directives(actor, rows, cache)
    return historical_tasks_register(
        actor=actor,
        source=profile.source,
        items=[r.item for r in rows if r.item],
        checksum=checksum,
    )


def checksum_of(stream: Any) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()
