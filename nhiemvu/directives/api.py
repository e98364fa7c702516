"""/api/v1/directives: documents with their attachments and tasks, and the import from a
document-management system (the edXML header fields of DOMAIN.md §10 plus the file)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from nhiemvu import keyset
from nhiemvu.apicommon import (
    ERRORS,
    WRITE_ERRORS,
    Clean,
    Code,
    IsoDate,
    OrgRef,
    SignatureOut,
    checked_first,
    cursor_page,
)
from nhiemvu.assignments import selectors as task_selectors
from nhiemvu.directives import importing, selectors
from nhiemvu.directives.files import signatures_out, stored_file_response
from nhiemvu.directives.models import Directive, Reading
from nhiemvu.directives.services import require_office
from nhiemvu.lib.vntext import fold

router = Router(tags=["directives"])
ORDER = keyset.Order("doc_date", descending=True)


class AttachmentOut(Schema):
    name: str
    size: int
    content_type: str
    sha256: str = Field(description="also the attachment's address under the document")
    signatures: list[SignatureOut] = Field(description="a PDF's digital signatures")
    signature_error: str


class TaskBrief(Schema):
    code: str
    summary: str
    lead: OrgRef
    deadline: dt.date | None
    status: str


class DirectiveOut(Schema):
    code: str
    ref: str
    number: int
    symbol: str
    doc_type: str
    doc_date: IsoDate
    issuer: OrgRef
    subject: str
    signer_name: str
    signer_title: str
    authority: str


class DirectiveDetail(DirectiveOut):
    text: str
    attachments: list[AttachmentOut]
    tasks: list[TaskBrief]


class DirectivePage(Schema):
    items: list[DirectiveOut]
    next: str | None
    previous: str | None


class ProposedTask(Schema):
    content: str
    summary: str
    leads: list[str]
    coordinators: list[str]
    deliverable_kind: str
    deadline: dt.date | None
    recurrence: str
    warnings: list[str]


class ReadingOut(Schema):
    code: str
    status: Literal["pending", "running", "done", "failed"]
    error: str = Field(description="why the file could not be read, in Vietnamese")
    directive: str | None = Field(description="the document's code, when registered")


class ImportResult(Schema):
    created: bool = Field(description="false when the document was already registered")
    directive: DirectiveDetail
    proposed_tasks: list[ProposedTask] = Field(
        description="what the extraction read in the text, for the office to review"
    )
    warnings: list[str]
    reading: ReadingOut | None = Field(
        default=None, description="set when the file is long and read by the worker"
    )


def _out(directive: Directive) -> dict[str, Any]:
    return {
        "code": directive.code,
        "ref": directive.ref,
        "number": directive.number,
        "symbol": directive.symbol,
        "doc_type": directive.doc_type,
        "doc_date": directive.doc_date,
        "issuer": {"code": directive.issuer.code, "name": directive.issuer.name},
        "subject": directive.subject,
        "signer_name": directive.signer_name,
        "signer_title": directive.signer_title,
        "authority": directive.authority,
    }


def _detail(request: HttpRequest, directive: Directive) -> dict[str, Any]:
    tasks = task_selectors.tasks_for(request.user).filter(directive=directive).order_by("id")
    return {
        **_out(directive),
        "text": directive.text,
        "attachments": [
            {
                "name": a.original_name,
                "size": a.size,
                "content_type": a.content_type,
                "sha256": a.sha256,
                "signatures": signatures_out(a),
                "signature_error": a.signature_error,
            }
            for a in directive.attachments.all()
        ],
        "tasks": [
            {
                "code": t.code,
                "summary": t.summary,
                "deadline": t.deadline,
                "status": t.st_label,
                "lead": {"code": t.lead.code, "name": t.lead.name},
            }
            for t in tasks
        ],
    }


class DirectiveFilters(Schema):
    q: str = Field(default="", max_length=200)
    year: int | None = Field(default=None, ge=1990, le=2100)
    after: str = ""
    before: str = ""
    limit: int = Field(default=50, ge=1, le=200)


@router.get("", response={200: DirectivePage, **ERRORS}, summary="Documents visible to this key")
def directive_list(request: HttpRequest, filters: Query[DirectiveFilters]) -> Any:
    qs = selectors.visible_directives(request.user)
    for word in fold(filters.q.replace("\x00", "")).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    if filters.year:
        qs = qs.filter(year=filters.year)
    page = cursor_page(qs, ORDER, size=filters.limit, after=filters.after, before=filters.before)
    rows = page.pop("rows")
    return {**page, "items": [_out(d) for d in rows]}


class ImportForm(Schema):
    """The edXML header (QCVN 102:2016/BTTTT) as form fields, beside the file."""

    issuer: Code = Field(description="issuing organisation's code")
    number: int = Field(ge=1, le=99_999_999)
    symbol: Clean = Field(min_length=1, max_length=60, description="e.g. UBND-KSTT")
    doc_date: IsoDate
    doc_type: Clean = Field(default="", max_length=20, description="CV, QĐ, CT, KH, TB…")
    subject: Clean = Field(min_length=1, max_length=1000)
    signer_name: Clean = Field(default="", max_length=150)
    signer_title: Clean = Field(default="", max_length=150)
    authority: Literal["", "TM", "KT", "TL", "TUQ", "Q"] = ""
    text: Clean = Field(default="", max_length=200_000, description="the text, if no file")
    register_tasks: bool = Field(
        default=False,
        description="register the tasks read from the text (otherwise only proposed)",
    )


def _may_import(request: HttpRequest, **path: Any) -> None:
    # Before the body is read: a key that may not register documents sends no file to parse.
    require_office(request.user)


@router.post(
    "/import",
    response={200: ImportResult, 201: ImportResult, 202: ImportResult, **WRITE_ERRORS},
    summary="Import a document from a document-management system (idempotent)",
    auth=checked_first(_may_import),
)
def directive_import(
    request: HttpRequest,
    payload: Form[ImportForm],
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Any:
    """Registers the document once per (issuer, year, number, symbol): sending it again
    returns the registered one with ``created: false`` and changes nothing. With a PDF, DOCX
    or TXT file (or ``text``) the tasks are read and proposed; ``register_tasks`` registers
    them at once (a deliverable without deadline stays flagged for the office).

    A long file (over 40 pages or 2 MB, or a scan that needs OCR) is read by the worker: the
    answer is 202 with the document registered and ``reading`` to follow at
    ``/directives/readings/{code}``; its tasks are registered when the reading ends."""
    if file is not None and (file.size or 0) > settings.MAX_UPLOAD_BYTES:
        raise DjangoValidationError({"file": [_("The file is too large.")]})
    outcome = importing.directive_import(
        actor=request.user,
        # The form's fields are the request's, name for name.
        request=importing.ImportRequest(**payload.dict()),
        upload=file,
    )
    status = 202 if outcome.reading else 201 if outcome.created else 200
    return Status(status, _result(request, outcome))


@router.get(
    "/readings/{code}",
    response={200: ReadingOut, **ERRORS},
    summary="A long file being read by the worker",
)
def reading_detail(request: HttpRequest, code: str) -> Any:
    reading = selectors.reading_for(request.user, code)
    return _reading(reading)


def _reading(reading: Reading) -> dict[str, Any]:
    return {
        "code": reading.code,
        "status": reading.status,
        "error": reading.error,
        "directive": reading.directive.code if reading.directive else None,
    }


# After /import: Django tries the paths in order, and /{code} would take "import".
@router.get("/{code}", response={200: DirectiveDetail, **ERRORS}, summary="One document")
def directive_detail(request: HttpRequest, code: str) -> Any:
    return _detail(request, selectors.directive_for(request.user, code))


@router.get(
    "/{code}/attachments/{sha256}",
    response={200: bytes, **ERRORS},
    summary="Download an attachment",
    openapi_extra={
        "responses": {
            200: {
                "description": "the file",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def attachment_download(request: HttpRequest, code: str, sha256: str) -> Any:
    directive = selectors.directive_for(request.user, code)
    attachment = directive.attachments.filter(sha256=sha256).order_by("id").first()
    return stored_file_response(attachment, inline=False)


def _result(request: HttpRequest, outcome: importing.ImportOutcome) -> dict[str, Any]:
    return {
        "created": outcome.created,
        "directive": _detail(request, outcome.directive),
        "proposed_tasks": [
            {
                "content": t["content"],
                "summary": t["summary"],
                "leads": t["leads"],
                "coordinators": t["coordinators"],
                "deliverable_kind": t["deliverable_kind"],
                "deadline": t["deadline"],
                "recurrence": t["recurrence"],
                "warnings": [w for w in t["warnings"].split(",") if w],
            }
            for t in outcome.proposed
        ],
        "warnings": outcome.warnings,
        "reading": _reading(outcome.reading) if outcome.reading else None,
    }
