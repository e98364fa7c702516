"""The office's writes around an import from the old tracker (rule 1: only services change
state): saving the profile, starting a run, and the worker's run in batches.

A run is resumable: each batch commits its tasks and the run's checkpoint (rows done) in one
transaction, so a crash mid-batch loses that batch only and the next attempt starts after the
checkpoint. Each batch is audited with the file's checksum (historical_tasks_register), the run
at its start and its end."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments.models import WorkState
from nhiemvu.audit.services import record
from nhiemvu.directives.legacy.imports import Organisations, _chunks, rows_of, write_batch
from nhiemvu.directives.legacy.models import LegacyProfile, LegacyRun, LegacyRunStatus
from nhiemvu.directives.legacy.reading import REQUIRED, TITLES, ReadError, open_table, state_key
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import allows, is_office

BATCH = 1000
OUR_STATES = {WorkState.OPEN, WorkState.REPORTED, WorkState.DONE, WorkState.PAUSED}


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
        bad = [w for w, s in states.items() if s and s not in OUR_STATES]
        if bad:
            raise ValidationError(_("Unknown state “%(state)s”.") % {"state": bad[0]})
        profile.states = {state_key(w): s for w, s in states.items() if s}
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
def run_start(
    *, actor: Any, profile: LegacyProfile, upload: UploadedFile, checksum: str
) -> LegacyRun:
    """Register a run of this file. Refused while a required column is unmapped; the rows'
    own refusals (an unmapped name, an unknown state) stop the batch that holds them."""
    _office(actor)
    try:
        table = open_table(upload, upload.name or "", upload.size or 0)
    except ReadError as exc:
        raise ValidationError(str(exc)) from exc
    table.close()
    missing = missing_columns(profile, table.headers)
    if missing:
        raise ValidationError(
            _("Choose the column for: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    upload.seek(0)
    run = LegacyRun(profile=profile, checksum=checksum, started_by=actor)
    run.file.save(f"{checksum[:16]}.dat", upload, save=False)
    run.save()
    record(
        actor=actor,
        action="legacy.run_start",
        target=run,
        after={"profile": profile.name, "checksum": checksum, "file": upload.name},
    )
    return run


def run_step(run_id: int, *, batch: int = BATCH, stop_after: int | None = None) -> LegacyRun:
    """The worker's work: the run's rows after its checkpoint, in batches. ``stop_after``
    batches (tests: a crash between batches)."""
    run = LegacyRun.objects.select_related("profile", "started_by").get(pk=run_id)
    if run.status == LegacyRunStatus.DONE:
        return run
    actor = run.started_by
    LegacyRun.objects.filter(pk=run.pk).update(status=LegacyRunStatus.RUNNING)
    orgs = Organisations(run.profile.orgs or {})
    counts: dict[str, int] = dict(run.counts or {})
    cache: dict[Any, Any] = {}
    done = 0
    with run.file.open("rb") as stream:
        try:
            table = open_table(stream, run.file.name, run.file.size)
        except ReadError as exc:
            return _failed(run, str(exc))
        try:
            rows = (r for r in rows_of(table, run.profile, orgs) if r.number - 1 > run.checkpoint)
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
                if stop_after is not None and done >= stop_after:
                    return LegacyRun.objects.get(pk=run.pk)
        finally:
            table.close()
    with transaction.atomic():
        LegacyRun.objects.filter(pk=run.pk).update(
            status=LegacyRunStatus.DONE, finished_at=workdays.now(), total=run.checkpoint, error=""
        )
        run.refresh_from_db()
        record(
            actor=actor,
            action="legacy.run_done",
            target=run,
            after={"checksum": run.checksum, "counts": counts, "rows": run.checkpoint},
        )
    return run


def _failed(run: LegacyRun, message: str) -> LegacyRun:
    LegacyRun.objects.filter(pk=run.pk).update(status=LegacyRunStatus.FAILED, error=message[:2000])
    run.refresh_from_db()
    return run
