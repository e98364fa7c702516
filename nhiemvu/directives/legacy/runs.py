"""The office's writes around an import from the old tracker (rule 1: only services change
state): saving the profile, starting a run, and the worker's run in batches.

A run is resumable: each batch commits its tasks and the run's checkpoint (rows done) in one
transaction, so a crash mid-batch loses that batch only and the next attempt starts after the
checkpoint. Each batch is audited with the file's checksum (historical_tasks_register), the run
at its start and its end."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from nhiemvu.assignments.services.historical import HISTORICAL_STATES
from nhiemvu.audit.services import record
from nhiemvu.directives.legacy.bundle import Bundle, BundleError
from nhiemvu.directives.legacy.imports import (
    REFUSED,
    Organisations,
    _chunks,
    checksum_of,
    dry_run,
    rows_of,
    write_batch,
)
from nhiemvu.directives.legacy.models import LegacyProfile, LegacyRun, LegacyRunStatus
from nhiemvu.directives.legacy.reading import (
    DEFAULT_STATES,
    REQUIRED,
    TITLES,
    ReadError,
    guess_columns,
    open_table,
    state_key,
)
from nhiemvu.directives.legacy.reconcile import reconcile
from nhiemvu.directives.legacy.reconcile_file import ReconciliationBook
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import allows, is_office

BATCH = 1000
# The documents registered or found, kept across batches (an export lists a document's tasks
# together); past this many the cache starts again, so a long export's memory stays flat.
DOCUMENTS_KEPT = 5000


def _office(actor: Any) -> None:
    if not allows(actor, is_office):
        raise PermissionDenied(_("Only the Provincial Office imports from the old tracker."))


@transaction.atomic
def profile_save(
    *,
    actor: Any,
    profile: LegacyProfile,
    columns: dict[str, str] | None = None,
    states: dict[str, str] | None = None,
    orgs: dict[str, str] | None = None,
) -> LegacyProfile:
    """Save the office's reviewed mapping: columns (field -> header), state words (word -> our
    state) and agency names mapped by hand (name -> organisation code)."""
    _office(actor)
    before = {"columns": profile.columns, "states": profile.states, "orgs": profile.orgs}
    if columns is not None:
        profile.columns = {k: clean_line(v) for k, v in columns.items() if k in TITLES and v}
    if states is not None:
        bad = [w for w, s in states.items() if s and s not in HISTORICAL_STATES]
        if bad:
            raise ValidationError(_("Unknown state “%(state)s”.") % {"state": bad[0]})
        # Merged: words of other files stay; a word set to "" is unknown again.
        merged = {**(profile.states or {}), **{state_key(w): s for w, s in states.items()}}
        profile.states = {w: s for w, s in merged.items() if s}
    if orgs is not None:
        codes = set(
            Organisation.objects.filter(code__in=list(orgs.values())).values_list("code", flat=True)
        )
        unknown = [c for c in orgs.values() if c and c not in codes]
        if unknown:
            raise ValidationError(
                _("No organisation has the code %(code)s.") % {"code": unknown[0]}
            )
        profile.orgs = {**(profile.orgs or {}), **{clean_line(k): v for k, v in orgs.items() if v}}
    profile.full_clean()
    profile.save()
    record(
        actor=actor,
        action="legacy.profile",
        target=profile,
        before=before,
        after={"columns": profile.columns, "states": profile.states, "orgs": profile.orgs},
    )
    return profile


def missing_columns(profile: LegacyProfile, headers: list[str]) -> list[str]:
    columns = profile.columns or {}
    return [TITLES[k] for k in REQUIRED if columns.get(k) not in headers]


@transaction.atomic
def profile_create(*, actor: Any, name: str, source: str) -> LegacyProfile:
    """A new profile for an old tracker, its columns and state words guessed later from the
    first file (the office reviews them on the first screen)."""
    _office(actor)
    profile = LegacyProfile(name=clean_line(name)[:120], source=clean_line(source)[:60])
    profile.full_clean()
    profile.save()
    record(actor=actor, action="legacy.profile", target=profile, after={"name": profile.name})
    return profile


@transaction.atomic
def run_start(
    *,
    actor: Any,
    profile: LegacyProfile,
    upload: UploadedFile,
    checksum: str,
    bundle: UploadedFile | None = None,
) -> LegacyRun:
    """Keep the file (and the zip of attached files its rows name) for its preview, dry run
    and import. A profile without columns yet takes the ones its headers read like
    (reading.guess_columns), and the usual state words."""
    _office(actor)
    try:
        table = open_table(upload, upload.name or "", upload.size or 0)
    except ReadError as exc:
        raise ValidationError(str(exc)) from exc
    table.close()
    if bundle is not None:
        try:
            Bundle(bundle, bundle.name or "").close()  # a bomb or a path out of its folder
        except BundleError as exc:
            raise ValidationError(str(exc)) from exc
        bundle.seek(0)
    if not profile.columns:
        profile.columns = guess_columns(table.headers)
        profile.states = profile.states or dict(DEFAULT_STATES)
        profile.save()
    upload.seek(0)
    run = LegacyRun(profile=profile, checksum=checksum, started_by=actor)
    run.file.save(f"{checksum[:16]}.dat", upload, save=False)
    files = {}
    if bundle is not None:
        files = {"bundle": bundle.name, "bundle_checksum": checksum_of(bundle)}
        run.bundle.save(f"{checksum[:16]}.zip", bundle, save=False)
    run.save()
    record(
        actor=actor,
        action="legacy.run_start",
        target=run,
        after={"profile": profile.name, "checksum": checksum, "file": upload.name, **files},
    )
    return run


@contextlib.contextmanager
def bundle_of(run: LegacyRun) -> Iterator[Bundle | None]:
    """The run's zip of attached files, open while the rows are read (None without one)."""
    if not run.bundle:
        yield None
        return
    with run.bundle.open("rb") as stream, Bundle(stream, run.bundle.name or "") as bundle:
        yield bundle


def headers_of(run: LegacyRun) -> list[str]:
    with run.file.open("rb") as stream:
        table = open_table(stream, run.file.name, run.file.size)
        table.close()
    return table.headers


DRY_ROWS_KEPT = 500  # the refused and updated rows shown after a dry run


def dry_step(run_id: int) -> LegacyRun:
    """The worker's dry run: every row's outcome counted, the first refused and updated rows
    kept with their reasons, under the profile as it stands (a later change asks again)."""
    run = LegacyRun.objects.select_related("profile").get(pk=run_id)
    counts: dict[str, int] = {}
    kept: list[dict[str, Any]] = []
    with run.file.open("rb") as stream:
        try:
            table = open_table(stream, run.file.name, run.file.size)
        except ReadError as exc:
            return _failed(run, str(exc))
        try:
            with bundle_of(run) as bundle:
                for item in dry_run(table, run.profile, bundle=bundle):
                    counts[item.outcome] = counts.get(item.outcome, 0) + 1
                    if item.outcome in (REFUSED, "updated") and len(kept) < DRY_ROWS_KEPT:
                        kept.append(vars(item))
        except BundleError as exc:
            return _failed(run, str(exc))
        finally:
            table.close()
    dry = {"counts": counts, "rows": kept, "profile_at": run.profile.updated_at.isoformat()}
    LegacyRun.objects.filter(pk=run.pk).update(
        counts={**(run.counts or {}), "dry": dry}, total=sum(counts.values())
    )
    run.refresh_from_db()
    return run


def dry_is_clean(run: LegacyRun) -> bool:
    dry = (run.counts or {}).get("dry")
    return bool(
        dry
        and not dry["counts"].get(REFUSED)
        and dry["profile_at"] == run.profile.updated_at.isoformat()
    )


@transaction.atomic
def dry_enqueue(*, actor: Any, run: LegacyRun) -> None:
    _office(actor)
    counts = dict(run.counts or {})
    counts.pop("dry", None)  # the page waits for the new one
    LegacyRun.objects.filter(pk=run.pk).update(counts=counts)
    from nhiemvu.directives.legacy.tasks import dry_run_legacy

    transaction.on_commit(lambda: dry_run_legacy.enqueue(run.pk))


@transaction.atomic
def run_enqueue(*, actor: Any, run: LegacyRun) -> LegacyRun:
    """Start the real import in the worker. Refused until a dry run under the profile as it
    stands refused no row (every column, state word and agency name mapped)."""
    _office(actor)
    missing = missing_columns(run.profile, headers_of(run))
    if missing:
        raise ValidationError(
            _("Choose the column for: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    if not dry_is_clean(run):
        raise ValidationError(_("Run the dry run again: the import starts once it refuses no row."))
    LegacyRun.objects.filter(pk=run.pk).update(status=LegacyRunStatus.QUEUED)
    record(actor=actor, action="legacy.run_queued", target=run, after={"checksum": run.checksum})
    from nhiemvu.directives.legacy.tasks import import_legacy

    transaction.on_commit(lambda: import_legacy.enqueue(run.pk))
    run.refresh_from_db()
    return run


def run_step(run_id: int, *, batch: int = BATCH, stop_after: int | None = None) -> LegacyRun:
    """The worker's work: the run's rows after its checkpoint, in batches. ``stop_after``
    batches (tests: a crash between batches)."""
    run = LegacyRun.objects.select_related("profile", "started_by").get(pk=run_id)
    if run.status == LegacyRunStatus.DONE:
        return run
    actor = run.started_by
    LegacyRun.objects.filter(pk=run.pk).update(status=LegacyRunStatus.RUNNING, error="")
    orgs = Organisations(run.profile.orgs or {})
    counts: dict[str, Any] = dict(run.counts or {})
    cache: dict[Any, Any] = {}
    done = 0
    with contextlib.ExitStack() as stack, run.file.open("rb") as stream:
        try:
            table = open_table(stream, run.file.name, run.file.size)
        except ReadError as exc:
            return _failed(run, str(exc))
        try:
            bundle = stack.enter_context(bundle_of(run))
            rows = (
                r
                for r in rows_of(table, run.profile, orgs, bundle)
                if r.number - 1 > run.checkpoint
            )
            for chunk in _chunks(rows, batch):
                try:
                    with transaction.atomic():
                        outcomes = write_batch(
                            actor=actor,
                            profile=run.profile,
                            rows=chunk,
                            checksum=run.checksum,
                            cache=cache,
                        )
                        for value in outcomes.values():
                            counts[value] = counts.get(value, 0) + 1
                        run.checkpoint = chunk[-1].number - 1
                        LegacyRun.objects.filter(pk=run.pk).update(
                            checkpoint=run.checkpoint, counts=counts
                        )
                except ValidationError as exc:
                    cache.clear()  # documents created in the rolled-back batch are gone
                    return _failed(run, " ".join(exc.messages))
                done += 1
                if len(cache) > DOCUMENTS_KEPT:
                    cache.clear()  # memory flat: an older document costs one query again
                if stop_after is not None and done >= stop_after:
                    return LegacyRun.objects.get(pk=run.pk)
        finally:
            table.close()
    counts["reconcile"] = reconcile_run(run)
    with transaction.atomic():
        LegacyRun.objects.filter(pk=run.pk).update(
            status=LegacyRunStatus.DONE,
            finished_at=workdays.now(),
            total=run.checkpoint,
            error="",
            counts=counts,
        )
        run.refresh_from_db()
        record(
            actor=actor,
            action="legacy.run_done",
            target=run,
            after={"checksum": run.checksum, "counts": counts, "rows": run.checkpoint},
        )
    return run


def reconcile_run(run: LegacyRun) -> dict[str, Any]:
    """The file's own counts beside nhiemvu's, per quarter and agency (reconcile.py), and the
    same as a workbook with every differing row, kept on the run (reconcile_file.py)."""
    orgs = Organisations(run.profile.orgs or {})
    title = _("Reconciliation with the old tracker: %(profile)s, file %(checksum)s") % {
        "profile": run.profile.name,
        "checksum": run.checksum[:12],
    }
    with (
        translation.override(settings.LANGUAGE_CODE),
        tempfile.NamedTemporaryFile(suffix=".xlsx") as out,
        run.file.open("rb") as stream,
    ):
        table = open_table(stream, run.file.name, run.file.size)
        try:
            book = ReconciliationBook(out.name, title)
            rows = rows_of(table, run.profile, orgs, with_files=False)
            result = reconcile(rows, run.profile.source, book.difference)
            book.finish(result)
        finally:
            table.close()
        run.reconciliation.save(f"doi-chieu-{run.code}.xlsx", File(out), save=False)
    LegacyRun.objects.filter(pk=run.pk).update(reconciliation=run.reconciliation.name)
    return result


def _failed(run: LegacyRun, message: str) -> LegacyRun:
    LegacyRun.objects.filter(pk=run.pk).update(status=LegacyRunStatus.FAILED, error=message[:2000])
    run.refresh_from_db()
    return run
