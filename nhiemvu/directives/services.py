"""Writes for directive documents (rule 1: only services change state)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.audit.services import record
from nhiemvu.directives.files import store_upload
from nhiemvu.directives.models import Authority, Directive, DirectiveAttachment, StoredFile, Urgency
from nhiemvu.lib import docref, workdays
from nhiemvu.lib.vntext import clean_line, fold, normalize
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import allows, is_office, scope_of


@dataclass
class DirectiveSpec:
    issuer: Organisation
    ref: str
    doc_date: dt.date
    subject: str
    signer_name: str = ""
    signer_title: str = ""
    authority: str = ""
    assigned_by: Any = None
    urgency: str = Urgency.NORMAL
    text: str = ""
    place: str = ""


def require_office(actor: Any) -> None:
    if not allows(actor, is_office):
        raise PermissionDenied(_("Only the Provincial Office registers directive documents."))


def directive_create(*, actor: Any, spec: DirectiveSpec) -> Directive:
    """Create the document row; registering its tasks is assignments.services.directive_register."""
    require_office(actor)
    try:
        ref = docref.parse(spec.ref)
    except docref.DocRefError as exc:
        raise ValidationError({"ref": str(exc)}) from exc
    today = workdays.today()
    if spec.doc_date > today:
        raise ValidationError({"doc_date": _("The document date cannot be in the future.")})
    if spec.doc_date.year < 1990:
        raise ValidationError({"doc_date": _("The document date is too far in the past.")})
    if ref.year and ref.year > spec.doc_date.year:
        raise ValidationError({"ref": _("The year in the symbol is after the document date.")})
    if spec.authority not in Authority.values:
        raise ValidationError({"authority": _("Unknown signing authority.")})
    if spec.urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Unknown urgency.")})
    subject = clean_line(spec.subject)
    if not subject:
        raise ValidationError({"subject": _("The subject (trích yếu) is required.")})
    year = spec.doc_date.year
    if Directive.objects.filter(
        issuer=spec.issuer, year=year, number=ref.number, symbol=ref.symbol
    ).exists():
        raise ValidationError(
            {
                "ref": _("Document %(ref)s of %(issuer)s in %(year)s is already registered.")
                % {"ref": str(ref), "issuer": spec.issuer.name, "year": year}
            }
        )
    text = normalize(spec.text).strip()
    directive = Directive(
        issuer=spec.issuer,
        number=ref.number,
        year=year,
        symbol=ref.symbol,
        ref=str(ref),
        doc_type=ref.doc_type,
        doc_date=spec.doc_date,
        place=clean_line(spec.place),
        subject=subject,
        signer_name=clean_line(spec.signer_name),
        signer_title=clean_line(spec.signer_title),
        authority=spec.authority,
        assigned_by=spec.assigned_by,
        urgency=spec.urgency,
        text=text,
        search_text=fold(f"{ref} {subject}"),
        registered_by=actor,
    )
    directive.full_clean()
    directive.save()
    record(
        actor=actor,
        action="directive.register",
        target=directive,
        after={"ref": directive.ref, "doc_date": directive.doc_date, "subject": subject},
        actor_org=_org_of(actor),
    )
    return directive


def _org_of(actor: Any) -> Organisation | None:
    org_id = scope_of(actor).primary_org_id
    return Organisation.objects.filter(pk=org_id).first() if org_id else None


@transaction.atomic
def directive_attach(*, actor: Any, directive: Directive, upload: UploadedFile) -> StoredFile:
    require_office(actor)
    stored = store_upload(DirectiveAttachment, actor=actor, upload=upload, directive=directive)
    record(
        actor=actor,
        action="directive.attach",
        target=directive,
        after={"file": stored.original_name, "size": stored.size},
        actor_org=_org_of(actor),
    )
    return stored


# --- learning from the province (issue 26 item 4) --------------------------------------------


def _name(org: Any) -> str:
    return str(getattr(org, "name", org))


def reader_example_keep(
    *,
    directive: Directive,
    tasks: list[dict[str, Any]],
    proposed: list[dict[str, Any]],
    model_version: str,
) -> Any:
    """Keep a directive registered through the review screen as a labelled example for the
    reader: the text and the tasks as the office registered them (kept, edited or added; the
    dropped ones are absent), in the corpus's record shape, beside what the reader proposed.

    ``tasks`` are the review rows' cleaned data of the ticked rows. A task's evidence is the
    reader's sentence when the office kept it in the text, else the task's content as written
    (a task the office typed matches no sentence and teaches only what it names)."""
    from nhiemvu.directives.models import ReaderExample

    text = directive.text or ""
    labelled = []
    for task in tasks:
        evidence = (task.get("evidence") or "").strip()
        if not evidence or evidence not in text:
            evidence = (task.get("content") or "").strip()
        deadline = task.get("deadline")
        labelled.append(
            {
                "evidence": evidence,
                "action": task.get("summary") or task.get("content") or "",
                "assignees_lead": [_name(o) for o in task.get("leads") or []],
                "assignees_coordinate": [_name(o) for o in task.get("coordinators") or []],
                "deadline": deadline.isoformat() if deadline else None,
                "recurrence": task.get("recurrence") or None,
                "deliverable": task.get("deliverable_text") or task.get("deliverable_kind") or None,
            }
        )
    record = {
        "id": f"province-{directive.code}",
        "issuer": directive.issuer.name,
        "source_url": "",
        "doc_ref": directive.ref,
        "doc_date": directive.doc_date.isoformat(),
        "text": text,
        "tasks": labelled,
    }
    example, _created = ReaderExample.objects.update_or_create(
        directive=directive,
        defaults={"record": record, "proposed": proposed, "model_version": model_version[:40]},
    )
    return example
