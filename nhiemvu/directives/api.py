"""/api/v1/directives: documents with their attachments and tasks, and the import from a
document-management system (the edXML header fields of DOMAIN.md §10 plus the file)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from nhiemvu.api import ERRORS, cursor_page
from nhiemvu.assignments import keyset
from nhiemvu.assignments import selectors as task_selectors
from nhiemvu.assignments.schemas import Clean, Code, IsoDate, OrgRef
from nhiemvu.assignments.services import TaskSpec, directive_register
from nhiemvu.directives import selectors
from nhiemvu.directives.models import Authority, Directive, Urgency
from nhiemvu.directives.services import DirectiveSpec
from nhiemvu.extraction.files import FileError, read_bytes
from nhiemvu.lib import docref
from nhiemvu.lib.vntext import fold
from nhiemvu.orgs.models import Organisation

router = Router(tags=["directives"])
ORDER = keyset.Order("doc_date", descending=True)

# Pending review by the office: the reason recorded on a task proposed by the engine whose
# deliverable has no deadline (it stays flagged, as the founding letter requires).
AUTO_REASON = "Văn bản không nêu thời hạn; nhập tự động từ hệ thống QLVB, chờ Văn phòng rà soát."


class AttachmentOut(Schema):
    name: str
    size: int
    content_type: str
    sha256: str = Field(description="also the attachment's address under the document")


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


class ImportResult(Schema):
    created: bool = Field(description="false when the document was already registered")
    directive: DirectiveDetail
    proposed_tasks: list[ProposedTask] = Field(
        description="what the extraction read in the text, for the office to review"
    )
    warnings: list[str]


def _out(d: Directive) -> dict[str, Any]:
    return {
        "code": d.code,
        "ref": d.ref,
        "number": d.number,
        "symbol": d.symbol,
        "doc_type": d.doc_type,
        "doc_date": d.doc_date,
        "issuer": {"code": d.issuer.code, "name": d.issuer.name},
        "subject": d.subject,
        "signer_name": d.signer_name,
        "signer_title": d.signer_title,
        "authority": d.authority,
    }


def _detail(request: HttpRequest, d: Directive) -> dict[str, Any]:
    tasks = task_selectors.tasks_for(request.user).filter(directive=d).order_by("id")
    return {
        **_out(d),
        "text": d.text,
        "attachments": [
            {
                "name": a.original_name,
                "size": a.size,
                "content_type": a.content_type,
                "sha256": a.sha256,
            }
            for a in d.attachments.all()
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


@router.post(
    "/import",
    response={200: ImportResult, 201: ImportResult, **ERRORS},
    summary="Import a document from a document-management system (idempotent)",
)
def directive_import(
    request: HttpRequest,
    payload: Form[ImportForm],
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Any:
    """Registers the document once per (issuer, year, number, symbol): sending it again
    returns the registered one with ``created: false`` and changes nothing. With a PDF, DOCX
    or TXT file (or ``text``) the tasks are read and proposed; ``register_tasks`` registers
    them at once (a deliverable without deadline stays flagged for the office)."""
    issuer = Organisation.objects.filter(code=payload.issuer).first()
    if issuer is None:
        raise DjangoValidationError(
            {"issuer": [_("Unknown organisation: %(codes)s.") % {"codes": payload.issuer}]}
        )
    if payload.authority and payload.authority not in Authority.values:
        raise DjangoValidationError({"authority": [_("Unknown signing authority.")]})
    ref_text = f"{payload.number}/{payload.symbol.strip()}"
    try:
        ref = docref.parse(ref_text)
    except docref.DocRefError as exc:
        raise DjangoValidationError({"symbol": [str(exc)]}) from exc
    existing = _existing(issuer, payload.doc_date.year, ref)
    if existing is not None:
        return Status(200, _result(request, existing, False, [], []))
    text = payload.text
    raw = b""
    if file is not None:
        raw = file.read(settings.MAX_UPLOAD_BYTES + 1)
        if len(raw) > settings.MAX_UPLOAD_BYTES:
            raise DjangoValidationError({"file": [_("The file is too large.")]})
        try:
            text = read_bytes(raw, file.name or "")
        except FileError as exc:
            raise DjangoValidationError({"file": [str(exc)]}) from exc
        file.seek(0)
    proposal = selectors.propose(text, payload.doc_date) if text.strip() else None
    specs = _specs(proposal.tasks) if proposal and payload.register_tasks else []
    spec = DirectiveSpec(
        issuer=issuer,
        ref=ref_text,
        doc_date=payload.doc_date,
        subject=payload.subject,
        signer_name=payload.signer_name,
        signer_title=payload.signer_title,
        authority=payload.authority,
        urgency=Urgency.NORMAL,
        text=text,
    )
    try:
        with transaction.atomic():
            directive = directive_register(
                actor=request.user,
                spec=spec,
                tasks=specs,
                files=[file] if file is not None and _attachable(file.name or "") else [],
            )
    except (DjangoValidationError, IntegrityError):
        # Sent twice at the same moment: the other request registered it; answer with it.
        existing = _existing(issuer, payload.doc_date.year, ref)
        if existing is None:
            raise
        return Status(200, _result(request, existing, False, [], []))
    return Status(
        201,
        _result(
            request,
            directive,
            True,
            proposal.tasks if proposal else [],
            list(proposal.warnings) if proposal else [],
        ),
    )


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
    attachment = directive.attachments.filter(sha256=sha256).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def _attachable(name: str) -> bool:
    return name.lower().endswith((".pdf", ".docx"))


def _existing(issuer: Organisation, year: int, ref: Any) -> Directive | None:
    return Directive.objects.filter(
        issuer=issuer, year=year, number=ref.number, symbol=ref.symbol
    ).first()


def _specs(tasks: list[dict[str, Any]]) -> list[TaskSpec]:
    codes = {c for t in tasks for c in (*t["leads"], *t["coordinators"])}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    specs = []
    for t in tasks:
        leads = [orgs[c] for c in t["leads"] if c in orgs]
        if not t["keep"] or not leads:
            continue  # "đề nghị" (not bound) or no lead found: left for the office to review
        # The office's review, done by rule: a deliverable without deadline gets the reason
        # that keeps it flagged until the office looks at it.
        without_deadline = t["deliverable_kind"] and not t["deadline"] and not t["recurrence"]
        reviewed = {
            **t,
            "leads": leads,
            "coordinators": [orgs[c] for c in t["coordinators"] if c in orgs],
            "no_deadline_reason": AUTO_REASON if without_deadline else "",
        }
        specs.append(TaskSpec.from_review(reviewed))
    return specs


def _result(
    request: HttpRequest,
    directive: Directive,
    created: bool,
    proposed: list[dict[str, Any]],
    warnings: list[str],
) -> dict[str, Any]:
    return {
        "created": created,
        "directive": _detail(request, directive),
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
            for t in proposed
        ],
        "warnings": [str(w) for w in warnings],
    }
