"""What a stored file's digital signatures mean to the people deciding (issue 17): the words a
clerk reads, and whether an agency's report is signed by the agency itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nhiemvu.lib.signatures import State, advice
from nhiemvu.orgs.matching import names_org

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
    pdfs = [f for f in files if f.content_type == "application/pdf"]
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


# --- what the office issues ------------------------------------------------------------------


def office_key() -> tuple[bytes, bytes | None] | None:
    """The office's PKCS#12 key and its password, from the settings (environment or files),
    never from the database; None when none is configured."""
    from pathlib import Path

    from django.core.exceptions import ImproperlyConfigured

    from nhiemvu.conf import setting

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
    from django.utils import timezone

    from nhiemvu.lib import signatures, workdays

    key = office_key()
    if key is None:
        return None
    name, organisation = signatures.pkcs12_names(*key)
    # The one clock: a replayed history (the demo, an import of past records) signs at its time.
    return {"name": name, "organisation": organisation, "at": timezone.localtime(workdays.now())}


def sign_issued(pdf: bytes, *, box: Any = None, page: int = -1, reason: str) -> tuple[bytes, bool]:
    """Sign a PDF the office issues with its certificate; unsigned (False) when none is set.
    The page already shows the block (``office_block``) where the signature field goes."""
    from nhiemvu.lib import signatures

    key = office_key()
    if key is None:
        return pdf, False
    signed = signatures.sign_pdf(
        pdf,
        key[0],
        key[1],
        reason=reason,
        location=settings.NHIEMVU["PROVINCE_NAME"],
        box=box,
        page=page,
        blank=True,
    )
    return signed, True
