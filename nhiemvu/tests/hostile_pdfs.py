"""Hostile PDFs made in the test (issue 24): files an agency could upload that cost a verifier
minutes, built here so the suite proves every parser keeps to its budget. Nothing is real.

- ``same_name_chain(n)``: a signature whose CMS carries ``n`` certificates with one subject and
  issuer name and no key identifiers (the path search tries every ordering: n!);
- ``many_fields(n)``: ``n`` filled signature fields (each points to one real signature);
- ``many_updates(n)``: a signed file followed by ``n`` incremental updates;
- ``malformed()``: signature dictionaries that lie (no /Contents, garbage DER, a /ByteRange past
  the end, /V that is not a dictionary);
- ``many_pages(n)``: an ``n``-page PDF written directly (pypdf would take seconds).
"""

from __future__ import annotations

import datetime as dt
import re

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from nhiemvu.lib import signatures
from nhiemvu.tests import certs


def _bare(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    signer_key: ec.EllipticCurvePrivateKey,
    *,
    ca: bool,
) -> x509.Certificate:
    """A certificate without subject or authority key identifiers: only names link it."""
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=30))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(signer_key, hashes.SHA256())
    )


def same_name_chain(n: int) -> bytes:
    """A signed one-page PDF whose CMS holds ``n`` CA certificates all named "CA Trùng Tên",
    each issued by that same name, and a signer issued by it."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, "CA Trùng Tên"),
        ]
    )
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(n)]
    cas = [_bare(name, name, keys[i], keys[(i + 1) % n], ca=True) for i in range(n)]
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Tài chính"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Người Ký Thử"),
        ]
    )
    signer = _bare(signer_name, name, signer_key, keys[0], ca=False)
    p12 = pkcs12.serialize_key_and_certificates(
        b"signer", signer_key, signer, cas, serialization.BestAvailableEncryption(certs.PASSPHRASE)
    )
    return signatures.sign_pdf(
        certs.blank_pdf("Báo cáo"), p12, certs.PASSPHRASE, reason="Báo cáo", location="Gia Lai"
    )


CHAIN = certs.chain("CA Thử Độc Hại")
SIGNER = CHAIN.signer("Nguyễn Văn Thử", "Sở Tài chính")


def signed() -> bytes:
    return signatures.sign_pdf(
        certs.blank_pdf("Báo cáo"),
        CHAIN.pkcs12(SIGNER),
        certs.PASSPHRASE,
        reason="Báo cáo",
        location="Gia Lai",
    )


# --- raw incremental updates: written by hand, so that 400 of them take milliseconds ----------


def _tail(data: bytes) -> tuple[int, int, bytes]:
    """The last cross-reference offset, the next free object number and the trailer's /Root."""
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    # Anchored at a line start: a signature's zero-padded /Contents is a long run of digits.
    numbers = [int(m) for m in re.findall(rb"(?m)^(\d+) 0 obj", data)]
    sizes = [int(m) for m in re.findall(rb"/Size (\d+)", data)]
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    return startxref, max([*numbers, *sizes]) + 1, root


def _append(data: bytes, objects: dict[int, bytes]) -> bytes:
    """One incremental update holding ``objects`` (number -> body), with a classic xref table."""
    prev, size, root = _tail(data)
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for number, offset in sorted(offsets.items()):
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    size = max(size, max(objects) + 1)
    out += b"trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        prev,
        xref,
    )
    return bytes(out)


def many_updates(n: int) -> bytes:
    """A signed file, then ``n`` updates each adding an object (as a form-filling tool might)."""
    data = signed()
    _prev, size, _root = _tail(data)
    for i in range(n):
        data = _append(data, {size + i: b"<< /Nota (cap nhat %d) >>" % i})
    return data


def _sig_ref(data: bytes) -> bytes:
    """The reference of the (first) signature dictionary: the object with /ByteRange."""
    match = re.search(rb"(\d+) 0 obj\s*<<(?:(?!endobj).)*?/ByteRange", data, re.S)
    assert match, "no signature dictionary"
    return match.group(1) + b" 0 R"


def _acroform(data: bytes) -> tuple[int, bytes]:
    """The object number and body of the catalog, to give it a new /AcroForm."""
    root = re.findall(rb"/Root (\d+) \d+ R", data)[-1]
    bodies = re.findall(rb"\n" + root + rb" 0 obj\s*(<<.*?>>)\s*endobj", data, re.S)
    return int(root), bodies[-1]


def _with_fields(data: bytes, fields: list[bytes]) -> bytes:
    """``data`` with its catalog's /AcroForm replaced by one listing ``fields`` (bodies)."""
    _prev, size, _root = _tail(data)
    objects = {size + i: body for i, body in enumerate(fields)}
    refs = b" ".join(b"%d 0 R" % number for number in objects)
    root, catalog = _acroform(data)
    catalog = re.sub(rb"/AcroForm\s*(<<.*?>>|\d+ \d+ R)", b"", catalog, flags=re.S)
    objects[root] = catalog[:-2] + b" /AcroForm << /Fields [" + refs + b"] /SigFlags 3 >> >>"
    return _append(data, objects)


def many_fields(n: int) -> bytes:
    """``n`` filled signature fields, each pointing to the one real signature."""
    data = signed()
    sig = _sig_ref(data)
    fields = [
        b"<< /FT /Sig /T (f%d) /V %s /Type /Annot /Subtype /Widget /Rect [0 0 0 0] >>" % (i, sig)
        for i in range(n)
    ]
    return _with_fields(data, fields)


def malformed() -> dict[str, bytes]:
    """Signature dictionaries that lie, each in its own file."""
    base = certs.blank_pdf("Báo cáo")
    lies = {
        "no_contents": b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached"
        b" /ByteRange [0 10 20 10] >>",
        "garbage_der": b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached"
        b" /ByteRange [0 10 20 10] /Contents <3082ffff0102030405> >>",
        "byterange_past_end": b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter"
        b" /adbe.pkcs7.detached /ByteRange [0 999999999 -5 99999999999] /Contents <00> >>",
        "not_a_dictionary": b"[ /Sig 1 2 3 ]",
    }
    out = {}
    for name, body in lies.items():
        _prev, size, _root = _tail(base)
        field = b"<< /FT /Sig /T (x) /V %d 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] >>"
        data = _append(base, {size: body})
        out[name] = _with_fields(data, [field % size])
    return out


def many_pages(n: int) -> bytes:
    """An ``n``-page PDF: one content-less page object per page, one flat page tree."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = [0] * (n + 3)
    offsets[1] = len(out)
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(n))
    offsets[2] = len(out)
    out += b"2 0 obj\n<< /Type /Pages /Count %d /Kids [%s] >>\nendobj\n" % (n, kids)
    for i in range(n):
        offsets[i + 3] = len(out)
        out += b"%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n" % (
            i + 3
        )
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (n + 3)
    for offset in offsets[1:]:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n + 3, xref)
    return bytes(out)
