"""Importing a directive: reading its file (while the person waits, or in the worker when it is
long), and the import from a document-management system (register once, read, propose,
optionally register the tasks by rule).

Services in the house sense (the only writers); the web view and the API only validate, call
these and render. Permission comes first in each: nothing is read or parsed for someone who may
not register documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils.translation import gettext as _

from nhiemvu.assignments.services import TaskSpec, assignment_create, directive_register
from nhiemvu.audit.services import record
from nhiemvu.directives import selectors
from nhiemvu.directives.files import read_bounded, store_upload
from nhiemvu.directives.models import Directive, Reading, ReadingStatus
from nhiemvu.directives.services import DirectiveSpec, require_office
from nhiemvu.extraction.files import FileError, NeedsWorker, check_length, read_bytes
from nhiemvu.lib import docref, workdays
from nhiemvu.lib.deliverables import needs_deadline_reason
from nhiemvu.orgs.models import Organisation

# The office's review, done by rule for a task registered straight from a document-management
# system: a deliverable without deadline gets this reason and stays flagged for the office.
AUTO_REASON = "Văn bản không nêu thời hạn; nhập tự động từ hệ thống QLVB, chờ Văn phòng rà soát."
# A reading left "running" this long was cut off (the worker died): it may be claimed again.
STALE_AFTER = dt.timedelta(minutes=30)


def read_upload(*, actor: Any, upload: UploadedFile, doc_date: dt.date | None) -> str | Reading:
    """The text of an uploaded directive, or, for a long file, the Reading the worker will do.

    FileError (with the message for the person) when the file cannot be read."""
    require_office(actor)
    data = read_bounded(upload)
    try:
        return read_bytes(data, upload.name or "", inline=True)
    except NeedsWorker:
        upload.seek(0)
        try:
            return reading_request(actor=actor, upload=upload, doc_date=doc_date)
        except ValidationError as exc:
            raise FileError(" ".join(exc.messages)) from exc


@transaction.atomic
def reading_request(
    *,
    actor: Any,
    upload: UploadedFile,
    doc_date: dt.date | None = None,
    directive: Directive | None = None,
    register_tasks: bool = False,
) -> Reading:
    """Store the file and queue its reading; the worker starts once the transaction commits."""
    require_office(actor)
    reading = store_upload(
        Reading,
        actor=actor,
        upload=upload,
        doc_date=doc_date,
        directive=directive,
        register_tasks=register_tasks,
    )
    assert isinstance(reading, Reading)
    record(
        actor=actor,
        action="directive.reading_requested",
        target=reading,
        after={"file": reading.original_name, "size": reading.size},
    )
    transaction.on_commit(lambda: read_directive.enqueue(reading.pk))
    return reading


def reading_run(*, reading_id: int) -> str:
    """Worker: read the file. Claimed by a conditional update, so a retried or doubled job reads
    it once; a reading whose worker died is claimed again after STALE_AFTER."""
    now = workdays.now()
    claimable = Q(status=ReadingStatus.PENDING) | Q(
        status=ReadingStatus.RUNNING, started_at__lt=now - STALE_AFTER
    )
    if not Reading.objects.filter(claimable, pk=reading_id).update(
        status=ReadingStatus.RUNNING, started_at=now
    ):
        return "already handled"
    reading = Reading.objects.select_related("directive", "uploaded_by").get(pk=reading_id)
    try:
        with reading.file.open("rb") as handle:
            data = read_bounded(handle)
        text = read_bytes(data, reading.original_name)
    except (FileError, OSError) as exc:
        Reading.objects.filter(pk=reading_id).update(
            status=ReadingStatus.FAILED, error=str(exc)[:2000], finished_at=workdays.now()
        )
        return "failed"
    try:
        with transaction.atomic():
            reading.text, reading.status, reading.finished_at = text, ReadingStatus.DONE, now
            reading.save(update_fields=["text", "status", "finished_at"])
            if reading.directive is not None:
                _fill_directive(reading, text)
    except ValidationError as exc:
        # A task read from the text could not be registered (an organisation ended, …): the
        # reading says why instead of running again and again.
        Reading.objects.filter(pk=reading_id).update(
            status=ReadingStatus.FAILED,
            error=" ".join(exc.messages)[:2000],
            finished_at=workdays.now(),
        )
        return "failed"
    return "done"


def reading_requeued(reading_id: int) -> None:
    """Its worker died mid-reading (web/jobs.py): the reading is claimable again at once, by
    the job run again, instead of after STALE_AFTER."""
    Reading.objects.filter(pk=reading_id, status=ReadingStatus.RUNNING).update(
        status=ReadingStatus.PENDING
    )


# The worker's job is the step itself (no wrapper module importing this one back); tasks.py
# keeps the name queued jobs were enqueued under.
@task()
def read_directive(reading_id: int) -> str:
    """Worker: read a long directive file (many pages, a scan to OCR)."""
    return reading_run(reading_id=reading_id)


def _fill_directive(reading: Reading, text: str) -> None:
    """A document imported through the API before its file was read: keep its text and, when
    asked, register the tasks read from it (as the import would have done at once)."""
    directive = reading.directive
    assert directive is not None
    actor = reading.uploaded_by
    directive.text = text
    directive.save(update_fields=["text"])
    record(actor=actor, action="directive.read", target=directive, after={"chars": len(text)})
    if reading.register_tasks and not directive.assignments.exists():
        proposal = selectors.propose(text, directive.doc_date)
        for spec in auto_specs(proposal.tasks):
            assignment_create(actor=actor, directive=directive, spec=spec)


def auto_specs(tasks: list[dict[str, Any]]) -> list[TaskSpec]:
    """The proposed tasks an import registers without a person's review: those the reader is
    confident of (ticked on the review screen); a deliverable without deadline keeps
    AUTO_REASON."""
    codes = {c for t in tasks for c in (*t["leads"], *t["coordinators"])}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    specs = []
    for t in tasks:
        leads = [orgs[c] for c in t["leads"] if c in orgs]
        if not t["keep"] or not leads:
            continue  # unticked (a request to outsiders, a decision, no lead): the office's call
        without_deadline = needs_deadline_reason(
            t["deliverable_kind"], t["deadline"], t["recurrence"]
        )
        reviewed = {
            **t,
            "leads": leads,
            "coordinators": [orgs[c] for c in t["coordinators"] if c in orgs],
            "no_deadline_reason": AUTO_REASON if without_deadline else "",
        }
        specs.append(TaskSpec.from_review(reviewed))
    return specs


@dataclass
class ImportRequest:
    """The edXML header fields (QCVN 102:2016/BTTTT) and what came with them."""

    issuer: str
    number: int
    symbol: str
    doc_date: dt.date
    subject: str
    doc_type: str = ""
    signer_name: str = ""
    signer_title: str = ""
    authority: str = ""
    text: str = ""
    register_tasks: bool = False


@dataclass
class ImportOutcome:
    directive: Directive
    created: bool
    proposed: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reading: Reading | None = None


def directive_import(
    *, actor: Any, request: ImportRequest, upload: UploadedFile | None = None
) -> ImportOutcome:
    """Register a document once per (issuer, year, number, symbol); sending it again returns the
    registered one and changes nothing. Its text (or file) is read and the tasks proposed; with
    ``register_tasks`` they are registered by rule. A long file is read by the worker."""
    require_office(actor)  # before anything is looked up, read or parsed
    issuer = Organisation.objects.filter(code=request.issuer).first()
    if issuer is None:
        raise ValidationError(
            {"issuer": [_("Unknown organisation: %(codes)s.") % {"codes": request.issuer}]}
        )
    ref_text = f"{request.number}/{request.symbol.strip()}"
    try:
        ref = docref.parse(ref_text)
    except docref.DocRefError as exc:
        raise ValidationError({"symbol": [str(exc)]}) from exc
    existing = _existing(issuer, request.doc_date.year, ref)
    if existing is not None:
        return ImportOutcome(existing, created=False)
    text, deferred = request.text, False
    if upload is not None:
        raw = read_bounded(upload)
        upload.seek(0)
        try:
            text = read_bytes(raw, upload.name or "", inline=True)
        except NeedsWorker:
            text, deferred = "", True
        except FileError as exc:
            raise ValidationError({"file": [str(exc)]}) from exc
    try:
        check_length(text)
    except FileError as exc:
        raise ValidationError({"text": [str(exc)]}) from exc
    proposal = selectors.propose(text, request.doc_date) if text.strip() else None
    specs = auto_specs(proposal.tasks) if proposal and request.register_tasks else []
    spec = DirectiveSpec(
        issuer=issuer,
        ref=ref_text,
        doc_date=request.doc_date,
        subject=request.subject,
        signer_name=request.signer_name,
        signer_title=request.signer_title,
        authority=request.authority,
        text=text,
    )
    attach = upload is not None and _attachable(upload.name or "")
    reading = None
    try:
        with transaction.atomic():
            directive = directive_register(
                actor=actor, spec=spec, tasks=specs, files=[upload] if attach and upload else []
            )
            if deferred and upload is not None:
                reading = reading_request(
                    actor=actor,
                    upload=upload,
                    doc_date=request.doc_date,
                    directive=directive,
                    register_tasks=request.register_tasks,
                )
    except (ValidationError, IntegrityError):
        # Sent twice at the same moment: the other request registered it; answer with it.
        existing = _existing(issuer, request.doc_date.year, ref)
        if existing is None:
            raise
        return ImportOutcome(existing, created=False)
    return ImportOutcome(
        directive,
        created=True,
        proposed=proposal.tasks if proposal else [],
        warnings=[str(w) for w in proposal.warnings] if proposal else [],
        reading=reading,
    )


def _attachable(name: str) -> bool:
    return name.lower().endswith((".pdf", ".docx"))


def _existing(issuer: Organisation, year: int, ref: Any) -> Directive | None:
    return Directive.objects.filter(
        issuer=issuer, year=year, number=ref.number, symbol=ref.symbol
    ).first()
