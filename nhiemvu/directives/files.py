"""Stored files and what their digital signatures mean: the one place every app asks.

- Storing: an upload is checked by content and size (lib/uploads.py, ``MAX_UPLOAD_BYTES``)
  and stored under an opaque name; a PDF's signatures are read once, within the settings'
  bounds (``signature_budget``), before the service's transaction takes its locks.
- Serving: ``stored_file_response`` for someone the caller has already checked may see it.
- Verdicts: the words a clerk reads for a signature's state, its advice, whether a certificate
  is the agency's (``signed_by``: orgs.matching's identity, never a part of a name), why a
  completion report is not one its lead agency validly signed, and the API's rows.
- Issuing: the office's own key signs what it issues (urging letters, reports).

The models stay where their migrations are: ``StoredFile`` (abstract) and the documents' files
in directives/models.py, a task's files in assignments/models (``AssignmentAttachment``); the
cryptography is lib/signatures.py (pure, pyHanko), read by no other module of an app (a contract
in pyproject.toml).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhiemvu.apicommon import SignatureOut
from nhiemvu.conf import setting
from nhiemvu.directives.models import StoredFile
from nhiemvu.lib import signatures, workdays
from nhiemvu.lib.signatures import State, advice
from nhiemvu.lib.uploads import PDF, CheckedUpload, UploadError, sniff
from nhiemvu.lib.vntext import clean_line
from nhiemvu.orgs.matching import names_org
from nhiemvu.orgs.selectors import trust_roots

__all__ = [
    "INLINE_TYPES",
    "RECHECK_LIMIT",
    "STATE_COLOURS",
    "STATE_LABELS",
    "Problem",
    "State",
    "StoredFile",
    "UploadError",
    "advice",
    "check_signatures",
    "check_upload",
    "generated_file_response",
    "office_block",
    "office_key",
    "read_bounded",
    "report_signature_check",
    "report_signature_problem",
    "sign_issued",
    "signature_budget",
    "signature_fields",
    "signatures_out",
    "signatures_recheck",
    "signed_at",
    "signed_by",
    "store_upload",
    "stored_file_response",
    "verdict_advice",
]


def _column(name: str) -> int:
    """A StoredFile column's length: what is stored in it is cut to fit, never refused."""
    field = StoredFile._meta.get_field(name)
    assert isinstance(field, models.Field) and field.max_length is not None
    return field.max_length


# --- storing -----------------------------------------------------------------------------------


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """An upload's type by its content, within the site's size bound (``MAX_UPLOAD_BYTES``);
    UploadError with the person's message for an empty, too large or unknown file."""
    return sniff(upload, upload.name or "", upload.size or 0, settings.MAX_UPLOAD_BYTES)


def read_bounded(handle: IO[bytes]) -> bytes:
    """A file's bytes, never more than the bound (one byte over, so a reader sees it is over)."""
    return handle.read(settings.MAX_UPLOAD_BYTES + 1)


def signature_budget() -> signatures.Budget:
    """The bounds on checking one file's signatures, from the settings (README)."""
    return signatures.Budget(
        max_certs=setting("SIGNATURE_MAX_CERTS"),
        max_cert_bytes=setting("SIGNATURE_MAX_CERT_BYTES"),
        max_same_name=setting("SIGNATURE_MAX_SAME_NAME"),
        max_fields=setting("SIGNATURE_MAX_FIELDS"),
        max_revisions=setting("SIGNATURE_MAX_REVISIONS"),
        max_objects=setting("SIGNATURE_MAX_OBJECTS"),
        timeout=setting("SIGNATURE_TIMEOUT_SECONDS"),
    )


def signature_fields(data: bytes) -> dict[str, Any]:
    """A PDF's digital signatures as the stored file keeps them (issue 17): each verdict, the
    first one's state (what a clerk reads first), or why they could not be read."""
    result = signatures.verify(
        data,
        trust_roots(),
        fetch_revocation=bool(setting("SIGNATURE_FETCH_REVOCATION")),
        budget=signature_budget(),
    )
    return {
        "signatures": [v.as_dict() for v in result.signatures],
        "signature_state": result.signatures[0].state if result.signatures else "",
        "signature_error": result.error[: _column("signature_error")],
    }


# Files checked again per run after a certification authority is trusted (newest first); the
# rest wait for the next authority added, or are uploaded again.
RECHECK_LIMIT = 500


def signatures_recheck(*, limit: int = RECHECK_LIMIT) -> int:
    """Check again the stored PDFs whose signature waited for an unknown issuer (issue 27): an
    administrator has just trusted an authority, and the reports it issued the certificates of
    should read "valid" without being uploaded again. Every kind of stored file (a document's,
    a task's), found as the models built on StoredFile, so this app names no other. Returns
    how many files were checked."""
    from django.apps import apps

    checked = 0
    for model in apps.get_models():
        if not issubclass(model, StoredFile):
            continue
        waiting = model._default_manager.filter(signature_state=State.UNTRUSTED)
        for stored in waiting.order_by("-id")[:limit]:
            with stored.file.open("rb") as handle:
                data = read_bounded(handle)
            model._default_manager.filter(pk=stored.pk).update(**signature_fields(data))
            checked += 1
    return checked


# Where an upload keeps its checked signatures (check_signatures), so they are read once.
_CHECKED = "_nhiemvu_signature_fields"


def check_signatures(upload: UploadedFile) -> dict[str, Any]:
    """An uploaded PDF's signature fields (``signature_fields``), read once and kept on the
    upload; {} for any other file, or one ``store_upload`` will refuse.

    A caller holding a request checks its uploads before the service's transaction
    (assignments/actions.py): the check may take its whole time limit, and inside the
    transaction it held the task's row lock, and on SQLite every writer's, meanwhile (eight
    uploads waited on each other for 24 s)."""
    cached = getattr(upload, _CHECKED, None)
    if cached is not None:
        return cached
    try:
        checked = check_upload(upload)
    except UploadError:
        return {}  # refused with its message where it is stored
    fields: dict[str, Any] = {}
    if checked.content_type == PDF:
        # Bounded: sniff refused anything over MAX_UPLOAD_BYTES.
        data = b"".join(upload.chunks())
        upload.seek(0)
        fields = signature_fields(data)
    setattr(upload, _CHECKED, fields)
    return fields


def store_upload(
    model: type[StoredFile], *, actor: Any, upload: UploadedFile, **owner: Any
) -> StoredFile:
    """Check an upload by content and size, then store it under an opaque name, with its
    signatures read (a row of ``model``, a concrete StoredFile, owned as ``owner`` says)."""
    try:
        checked = check_upload(upload)
    except UploadError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    signed = check_signatures(upload)
    stored = model(
        original_name=clean_line(upload.name or "")[: _column("original_name")],
        size=upload.size or 0,
        content_type=checked.content_type,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        uploaded_at=workdays.now(),
        **signed,
        **owner,
    )
    stored.file.save(stored.original_name, upload, save=False)
    stored.save()
    return stored


# --- serving -----------------------------------------------------------------------------------

# Only what a browser shows safely is shown inline: a PDF opens in the browser's viewer, anything
# else (DOCX, XLSX) is downloaded.
INLINE_TYPES = frozenset({PDF})


def stored_file_response(stored: StoredFile | None, *, inline: bool = True) -> FileResponse:
    """A stored file (a document's attachment, a task's file) for someone the caller has already
    checked may see it. Every response says what it is and nothing may reinterpret it:
    ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox`` (a PDF with
    scripts runs none of them on our origin)."""
    if stored is None:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (a restore without media)
        raise Http404 from exc
    shown = inline and stored.content_type in INLINE_TYPES
    return _guarded(
        FileResponse(
            handle,
            as_attachment=not shown,
            filename=stored.original_name,
            content_type=stored.content_type if shown else "application/octet-stream",
        )
    )


def generated_file_response(file: FieldFile) -> FileResponse:
    """A file the server made (a report generated by the worker), downloaded under its stored
    name, for someone the caller has already checked may have it; guarded as a stored file."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = (file.name or "").rsplit("/", 1)[-1]
    return _guarded(FileResponse(handle, as_attachment=True, filename=filename))


def _guarded(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- what a signature's verdict means (issue 17) -----------------------------------------------

STATE_LABELS = {
    State.VALID: _("valid"),
    State.CHANGED: _("changed after signing"),
    State.BROKEN: _("no longer intact"),
    State.UNTRUSTED: _("issuer not recognised"),
    State.EXPIRED: _("certificate not valid when signed"),
    State.REVOKED: _("certificate revoked"),
    State.UNREADABLE: _("signature unreadable"),
    State.TOO_COMPLEX: _("could not be checked (the file is too complex)"),
}
# Not checked is not proven bad: a warning, like an unknown issuer.
STATE_COLOURS = {State.VALID: "success", State.UNTRUSTED: "warning", State.TOO_COMPLEX: "warning"}


def signed_at(verdict: dict[str, Any]) -> dt.datetime | None:
    value = verdict.get("signed_at")
    if not value:
        return None
    return dt.datetime.fromisoformat(value).astimezone(ZoneInfo(settings.TIME_ZONE))


def signed_by(verdict: dict[str, Any], org: Any) -> bool:
    """Whether a signature's certificate is the agency's: one of its O/OU values is one of the
    agency's registered names (official or short name, an alias) or one of its codes is the
    agency's code, electronic identifier or tax code; orgs.matching's EXACT identity, never a
    part of a name ("SỞ" or "TÀI CHÍNH" is not Sở Tài chính). A certificate that writes the
    agency otherwise ("SỞ TÀI CHÍNH TỈNH GIA LAI") counts once that name is registered as the
    agency's alias. Verdicts stored before the values were kept apart carry only the joined
    `organisation`, compared whole."""
    names = verdict.get("organisation_names") or [verdict.get("organisation") or ""]
    return names_org(names, org, codes=verdict.get("organisation_codes") or [])


def verdict_advice(verdict: dict[str, Any]) -> str:
    """What someone must do about a signature's verdict (lib.signatures.advice), or ""."""
    return advice(verdict.get("state", ""))


def signatures_out(stored: Any) -> list[dict[str, Any]]:
    """A stored file's verdicts as every API that lists files gives them (apicommon's
    SignatureOut), each with its advice."""
    return [
        {**{k: v.get(k) for k in SignatureOut.model_fields}, "advice": verdict_advice(v)}
        for v in stored.signatures
    ]


class Problem:
    """Why a completion report is not a document the lead agency validly signed, by kind: each
    kind is said in its own words (a report signed by another organisation is not an invalid
    signature, and an unknown issuer is something an administrator fixes)."""

    NO_PDF = "no_pdf"
    UNSIGNED = "unsigned"
    OTHER_ORG = "other_org"  # readable signatures, none of them the lead agency's
    UNTRUSTED = "untrusted"  # the lead agency's, intact, its issuer not trusted
    INVALID = "invalid"  # the lead agency's, but broken, changed, expired, revoked, unreadable


def _signer_named(verdict: dict[str, Any]) -> bool:
    return bool(verdict.get("organisation_names") or verdict.get("organisation"))


def report_signature_check(files: Iterable[Any], lead: Any) -> tuple[str, str]:
    """(Problem kind, the sentence a clerk reads) for the lead agency's completion report, or
    ("", "") when the agency itself signed it validly."""
    pdfs = [f for f in files if f.content_type == PDF]
    if not pdfs:
        return Problem.NO_PDF, str(_("The completion report has no signed PDF attached."))
    verdicts = [v for f in pdfs for v in f.signatures]
    if not verdicts:
        return Problem.UNSIGNED, str(_("The completion report is not digitally signed."))
    own = [v for v in verdicts if signed_by(v, lead)]
    if any(v.get("state") == State.VALID for v in own):
        return "", ""
    named = [v for v in verdicts if _signer_named(v)]
    if named and not own:
        other = named[0]
        return Problem.OTHER_ORG, str(
            _("The completion report is signed by %(org)s, not by the lead agency %(lead)s.")
        ) % {"org": other.get("organisation") or other.get("signer"), "lead": lead.name}
    first = (own or verdicts)[0]
    if first.get("state") == State.UNTRUSTED:
        return Problem.UNTRUSTED, str(
            _(
                "The completion report is signed by %(lead)s, but the signature cannot be "
                "confirmed as valid yet. %(advice)s"
            )
        ) % {"lead": lead.name, "advice": advice(State.UNTRUSTED)}
    return Problem.INVALID, str(_("The completion report's signature is not valid: %(state)s.")) % {
        "state": STATE_LABELS.get(first.get("state", ""), first.get("state"))
    }


def report_signature_problem(files: Iterable[Any], lead: Any) -> str:
    """Why the lead agency's completion report is not a document it validly signed, or ""."""
    return report_signature_check(files, lead)[1]


# --- what the office issues --------------------------------------------------------------------


def office_key() -> tuple[bytes, bytes | None] | None:
    """The office's PKCS#12 key and its password, from the settings (environment or files),
    never from the database; None when none is configured."""
    path = setting("SIGNING_PKCS12")
    if not path:
        return None
    try:
        data = Path(path).read_bytes()
        password = setting("SIGNING_PASSWORD")
        if not password and setting("SIGNING_PASSWORD_FILE"):
            password = Path(setting("SIGNING_PASSWORD_FILE")).read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"NHIEMVU_SIGNING_PKCS12: {exc}") from exc
    return data, password.encode() if password else None


def office_block() -> dict[str, Any] | None:
    """What the visible signature block of an issued PDF says (the office's certificate's name
    and organisation, the time), or None when no certificate is configured."""
    key = office_key()
    if key is None:
        return None
    name, organisation = signatures.pkcs12_names(*key)
    # The one clock: a replayed history (the demo, an import of past records) signs at its time.
    return {"name": name, "organisation": organisation, "at": timezone.localtime(workdays.now())}


def sign_issued(pdf: bytes, *, box: Any = None, page: int = -1, reason: str) -> tuple[bytes, bool]:
    """Sign a PDF the office issues with its certificate; unsigned (False) when none is set.
    The page already shows the block (``office_block``) where the signature field goes."""
    key = office_key()
    if key is None:
        return pdf, False
    signed = signatures.sign_pdf(
        pdf,
        key[0],
        key[1],
        reason=reason,
        location=setting("PROVINCE_NAME"),
        box=box,
        page=page,
        blank=True,
    )
    return signed, True
