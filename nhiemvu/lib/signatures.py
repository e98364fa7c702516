"""Digital signatures in PDF files (issue 17): judge the ones an agency sends, sign what the
office issues. pyHanko does the cryptography, the certificate paths and the difference analysis
of incremental updates; this module turns its verdict into the few facts a clerk decides on.

Pure: no Django model. The trust roots are the province's (administrators upload them; none by
default), passed in as certificate bytes (PEM or DER).

What a verdict says, in the order a person asks it:
- who signed: the certificate's common name and organisation;
- when: the signing time the signature reports (a claim, not a timestamp authority's proof);
- intact: the signed bytes are unchanged and the signature is mathematically valid;
- whole file: nothing was appended after it, or only what a signature workflow adds (further
  signatures, form filling); otherwise "changed after signing";
- trusted: the certificate chains to one of the province's trust roots;
- valid at signing: the certificate (and its chain) was within its validity then;
- revocation: "not_checked" unless the server may fetch OCSP/CRL (often offline), then what the
  CA said, or "not_checked" when it could not be reached.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import itertools
import logging
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Budget:
    """How much work one file's signatures may cost (issue 24). A 13 KB file whose signature
    carried 8 certificates of one name held a worker for minutes (the path search tries every
    ordering); 3,000 signature fields took 26 s, 400 incremental updates 21 s. Past a bound the
    verdict is "too complex", never a longer wait. The defaults pass every real signature seen:
    a signer, one or two intermediates and a root, a few signatures, a few updates."""

    max_certs: int = 10  # certificates taken from one signature's CMS, after de-duplication
    max_cert_bytes: int = 64 * 1024  # their total DER size (a certificate is 1-2 KB)
    max_same_name: int = 3  # certificates sharing one subject name (a CA renewed with a new key)
    max_fields: int = 10  # filled signature fields read; the rest are not opened
    max_revisions: int = 50  # incremental updates the difference analysis walks
    max_objects: int = 2000  # objects written by the updates after the first revision
    timeout: float = 5.0  # seconds of wall clock for the whole file, enforced by killing


class State:
    VALID = "valid"
    CHANGED = "changed"  # intact when signed, but content was changed in a later update
    BROKEN = "broken"  # the signed bytes no longer match: not intact
    UNTRUSTED = "untrusted"  # no path to a trusted root
    EXPIRED = "expired"  # the certificate was not valid at signing time
    REVOKED = "revoked"
    UNREADABLE = "unreadable"  # the signature could not be read at all
    # Not checked: the file or the signature exceeds the Budget (max 12 characters: the column).
    TOO_COMPLEX = "too_complex"


# What must be done about a verdict, where someone can do something (issue 27): an unknown
# issuer waits for an administrator to trust its authority; a clerk cannot fix it.
UNTRUSTED_ADVICE = gettext_noop(
    "The authority that issued the certificate is not among the province's trusted "
    "certification authorities: an administrator adds its root certificate under Administration "
    "→ Trusted certification authorities."
)


def advice(state: str) -> str:
    """The step a verdict of ``state`` waits for, in the active language, or "" (the one text
    the pages, the confirm form and the API give)."""
    from django.utils.translation import gettext

    return gettext(UNTRUSTED_ADVICE) if state == State.UNTRUSTED else ""


@dataclass
class Verdict:
    state: str
    signer: str = ""
    organisation: str = ""
    signed_at: str | None = None  # ISO 8601, as stored in JSON
    # The certificate's organisation value by value (each O and OU) and its codes (the
    # organizationIdentifier, the UID's "MST:…"/"MNS:…"): what orgs.matching compares to an
    # agency's names and codes, by identity (never a substring of the joined `organisation`).
    organisation_names: list[str] = field(default_factory=list)
    organisation_codes: list[str] = field(default_factory=list)
    intact: bool = False
    whole_file: bool = False
    changed_after: bool = False
    trusted: bool = False
    valid_at_signing: bool = False
    revocation: str = "not_checked"  # good, revoked, not_checked
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Result:
    """Every signature of a file, or why the file's signatures could not be read."""

    signatures: list[Verdict] = field(default_factory=list)
    error: str = ""

    @property
    def signed(self) -> bool:
        return bool(self.signatures)


def _certificates(blobs: Sequence[bytes]) -> list[Any]:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    out = []
    for blob in blobs:
        try:
            if pem.detect(blob):
                for _kind, _headers, der in pem.unarmor(blob, multiple=True):
                    out.append(asn1_x509.Certificate.load(der))
            else:
                out.append(asn1_x509.Certificate.load(blob))
        except ValueError:
            log.warning("a trust root could not be read as a certificate; skipped")
    return out


def _names(cert: Any) -> tuple[str, str]:
    subject = cert.subject.native
    org = subject.get("organization_name") or subject.get("organizational_unit_name") or ""
    if isinstance(org, list):
        org = ", ".join(org)
    name = subject.get("common_name") or ""
    if isinstance(name, list):
        name = ", ".join(name)
    return str(name), str(org)


def _organisation_identity(cert: Any) -> tuple[list[str], list[str]]:
    """Each O and OU value of a certificate's subject, and its organisation codes
    (organizationIdentifier, and every UID: the Vietnamese CAs write "MST:<tax code>" there)."""
    subject = cert.subject.native

    def values(key: str) -> list[str]:
        value = subject.get(key) or []
        return [str(v) for v in (value if isinstance(value, list) else [value]) if v]

    names = values("organization_name") + values("organizational_unit_name")
    return names, values("organization_identifier") + values("user_id")


def _valid_on(cert: Any, moment: dt.datetime | None) -> bool:
    if moment is None:
        return False
    validity = cert["tbs_certificate"]["validity"]
    return bool(validity["not_before"].native <= moment <= validity["not_after"].native)


def _revocation(revoked: bool, fetched: bool, trusted: bool) -> str:
    if revoked:
        return "revoked"
    # Soft-fail: a trusted path after fetching means the CA answered, or gave no address; with
    # fetching off (the default, servers are often offline) nothing was asked.
    return "good" if fetched and trusted else "not_checked"


def _off_loop[T](function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """pyHanko's synchronous calls run their own event loop (asyncio.run), which fails inside a
    thread already running one (an async view, a browser-test driver): run them beside it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def verify(
    data: bytes,
    trust_roots: Sequence[bytes],
    *,
    fetch_revocation: bool = False,
    budget: Budget | None = None,
) -> Result:
    """The signatures of a PDF and how each stands, within ``budget``. Never raises: a malformed
    file or signature gives its verdict ("unreadable") or the result's error; a file past the
    budget gives "too complex".

    The work runs in a child process killed at ``budget.timeout``: pyHanko's path search and
    difference analysis are pure-Python loops that no thread can interrupt, and a request
    thread stuck in them held a web worker for minutes. The child is forked from a server
    process that has pyHanko imported already (multiprocessing's "forkserver", started once per
    web process): a clean single-threaded parent, so no lock held by another request thread is
    inherited, and a start measured in milliseconds (bench/signatures.py)."""
    budget = budget or Budget()
    receive, send = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_child,
        args=(send, data, list(trust_roots), fetch_revocation, budget),
        name="nhiemvu-signatures",
    )
    try:
        child.start()
        send.close()
        if receive.poll(budget.timeout):
            result: Result = receive.recv()
        else:
            log.warning("signature check stopped after %s s", budget.timeout)
            result = _too_complex(f"timeout {budget.timeout:g} s")
    except EOFError:  # the child died without an answer (out of memory, a crash in C)
        result = Result(error="the signature check ended without an answer")
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    return result


def _child(send: Any, data: bytes, roots: list[bytes], fetch: bool, budget: Budget) -> None:
    # Below the web threads: while hostile files burn their time limit, pages still answer.
    os.nice(10)
    # pyHanko logs every failed path with a traceback: the verdict carries the fact instead.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    try:
        result = _verify(data, roots, fetch_revocation=fetch, budget=budget)
    except Exception as exc:  # _verify never raises by design; the parent must still hear
        result = Result(error=f"{type(exc).__name__}: {exc}"[:300])
    send.send(result)
    send.close()


# The modules the child needs, imported once in the fork server rather than in every child.
# "__main__" first: a child whose server has not imported the parent's main script imports it
# itself (multiprocessing's "prepare"); with Django set up at a script's top level that cost
# 7 s a child. Every entry point (manage.py, gunicorn, pytest) guards its main code.
_PRELOAD = [
    "__main__",
    "nhiemvu.lib.signatures",
    "pyhanko.pdf_utils.reader",
    "pyhanko.sign.fields",
    "pyhanko.sign.validation",
    "pyhanko_certvalidator",
]
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(_PRELOAD)


def start_checker() -> None:
    """Start the fork server and wait until it has its imports (a web process at boot), rather
    than make the first upload wait for them: a child's start waits for the server, outside
    the time limit but inside the request."""
    verify(b"", [])


def _too_complex(why: str, signer: str = "", organisation: str = "") -> Result:
    return Result([_too_complex_verdict(why, signer, organisation)])


def _too_complex_verdict(why: str, signer: str = "", organisation: str = "") -> Verdict:
    return Verdict(State.TOO_COMPLEX, signer=signer, organisation=organisation, detail=why)


def _fields(reader: Any, budget: Budget) -> list[tuple[str, Any]]:
    """The first ``max_fields`` filled signature fields, one per signature dictionary: the
    fields after them are never opened (3,000 fields all read cost 26 s)."""
    from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields

    known = {member.value for member in SigSeedSubFilter}
    seen: set[Any] = set()
    out = []
    for name, value, sig_field in itertools.islice(
        enumerate_sig_fields(reader, filled_status=True), budget.max_fields
    ):
        # The field's /V as written: an indirect reference names the signature dictionary.
        raw = sig_field.get_object().raw_get("/V")
        ref = getattr(raw, "reference", None) or id(value)
        if ref in seen:  # many fields may point to one signature: check it once
            continue
        seen.add(ref)
        # As pyHanko's own listing: a signature of an unknown kind is not one it can check.
        if value.get_object().get("/SubFilter") in known:
            out.append((name, sig_field))
    return out


def _file_too_complex(reader: Any, budget: Budget) -> str:
    """Why the file's updates are past the budget (the difference analysis walks every update
    and every object it writes), or ""."""
    xrefs = reader.xrefs
    revisions = xrefs.total_revisions
    if revisions > budget.max_revisions:
        return f"{revisions} updates > {budget.max_revisions}"
    objects = 0
    for revision in range(1, revisions):
        objects += len(xrefs.explicit_refs_in_revision(revision))
        if objects > budget.max_objects:
            return f"> {budget.max_objects} objects in updates"
    return ""


def _certificates_too_many(sig: Any, budget: Budget) -> str:
    """Why the certificates a signature carries are past the budget, or "". Counted once per
    distinct (subject, key); certificates sharing a name are what make the path search try
    every ordering, so a name may appear only a few times."""
    distinct = {}
    for cert in sig.other_embedded_certs:
        distinct[(cert.subject.dump(), cert.public_key.dump())] = cert
    if len(distinct) > budget.max_certs:
        return f"{len(distinct)} certificates > {budget.max_certs}"
    size = sum(len(cert.dump()) for cert in distinct.values())
    if size > budget.max_cert_bytes:
        return f"{size} bytes of certificates > {budget.max_cert_bytes}"
    names = Counter(subject for subject, _key in distinct)
    if names and max(names.values()) > budget.max_same_name:
        return f"{max(names.values())} certificates of one name > {budget.max_same_name}"
    return ""


def _verify(
    data: bytes, trust_roots: Sequence[bytes], *, fetch_revocation: bool, budget: Budget
) -> Result:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        fields = _fields(reader, budget)
        embedded = [EmbeddedPdfSignature(reader, f, name) for name, f in fields]
        embedded.sort(key=lambda e: e.signed_revision)  # signing order, as pyHanko lists them
        why = _file_too_complex(reader, budget) if embedded else ""
    except Exception as exc:  # any parse error is a fact about the file, not a crash
        return Result(error=f"{type(exc).__name__}: {exc}"[:300])
    roots = _certificates(trust_roots)
    # Government CAs set digitalSignature, nonRepudiation or both on signing certificates.
    usage = KeyUsageConstraints(
        key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
    )
    verdicts = []
    for sig in embedded:
        try:
            cert = sig.signer_cert
            signer, organisation = _names(cert)
            organisation_names, organisation_codes = _organisation_identity(cert)
            too_many = why or _certificates_too_many(sig, budget)
            if too_many:
                verdicts.append(_too_complex_verdict(too_many, signer, organisation))
                continue
            moment = sig.self_reported_timestamp
            context = ValidationContext(
                trust_roots=roots,
                # Checked as of the reported signing time: "was it valid when it was signed".
                moment=moment,
                allow_fetching=fetch_revocation,
                revocation_mode="soft-fail",
            )
            status = validate_pdf_signature(sig, context, key_usage_settings=usage)
        except Exception as exc:  # a malformed signature dictionary: say so
            verdicts.append(Verdict(State.UNREADABLE, detail=f"{type(exc).__name__}: {exc}"[:300]))
            continue
        level = status.modification_level
        changed = level is not None and level not in (
            ModificationLevel.NONE,
            ModificationLevel.LTA_UPDATES,
            ModificationLevel.FORM_FILLING,
        )
        intact = bool(status.intact and status.valid)
        problem = status.trust_problem_indic
        indic = str(getattr(problem, "name", problem or ""))  # an enum member, or None
        revoked = status.revocation_details is not None or "REVOKED" in indic
        valid_then = _valid_on(cert, moment)
        if not intact:
            state = State.BROKEN
        elif changed:
            state = State.CHANGED
        elif revoked:
            state = State.REVOKED
        elif not valid_then:
            state = State.EXPIRED
        elif not status.trusted:
            state = State.UNTRUSTED
        else:
            state = State.VALID
        verdicts.append(
            Verdict(
                state=state,
                signer=signer,
                organisation=organisation,
                organisation_names=organisation_names,
                organisation_codes=organisation_codes,
                signed_at=moment.isoformat() if moment else None,
                intact=intact,
                whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                changed_after=changed,
                trusted=bool(status.trusted),
                valid_at_signing=valid_then,
                revocation=_revocation(revoked, fetch_revocation, bool(status.trusted)),
                detail=indic,
            )
        )
    return Result(verdicts)


# Bottom right of an A4 page, in PDF points: where Decree 30 puts the signature when the
# document gives no mark of its own.
DEFAULT_BOX = (330, 60, 560, 140)


def _blank_stamp() -> Any:
    """The widget draws nothing: the visible block (signer, organisation, time) is part of the
    page, typeset with the document's own font where the widget lies (lib.pdf's anchor).
    pyHanko's own stamp text, even with an embedded font, came out with broken letter spacing
    in common readers; the page's text does not."""
    from pyhanko import stamp

    return stamp.TextStampStyle(stamp_text=" ", border_width=0, background=None)


def pkcs12_names(pkcs12: bytes, passphrase: bytes | None) -> tuple[str, str]:
    """The signer's name and organisation in a PKCS#12 key, for the visible block."""
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12

    _key, cert, _others = p12.load_key_and_certificates(pkcs12, passphrase)
    if cert is None:
        raise ValueError("the PKCS#12 file holds no certificate")
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return _names(asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)))


def sign_pdf(*args: Any, **kwargs: Any) -> bytes:
    """Sign a PDF with a PKCS#12 key (``_sign_pdf``), beside any running event loop."""
    return _off_loop(_sign_pdf, *args, **kwargs)


def _sign_pdf(
    data: bytes,
    pkcs12: bytes,
    passphrase: bytes | None,
    *,
    reason: str,
    location: str,
    box: tuple[int, int, int, int] | None = None,
    page: int = -1,
    field_name: str = "ChuKySo",
    blank: bool = False,
) -> bytes:
    """Sign a PDF with a PKCS#12 key, with a visible signature block on the last page (by
    default where Decree 30 puts the signature: bottom right). Raises ValueError when the key
    cannot be read."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=passphrase)
    if signer is None:
        raise ValueError("the PKCS#12 file could not be read")
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(field_name=field_name, reason=reason, location=location)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=_blank_stamp() if blank else None,
        new_field_spec=fields.SigFieldSpec(field_name, on_page=page, box=box or DEFAULT_BOX),
    )
    out = pdf_signer.sign_pdf(writer)
    return out.getvalue()
