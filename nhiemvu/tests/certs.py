"""Certificates made in the test: a root CA, an intermediate and signers (issue 17). Nothing
here is a real key; the point is a chain the verifier must follow, and the ways it can fail."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSPHRASE = b"mat-khau-thu"


def _name(
    cn: str, org: str = "", *, units: tuple[str, ...] = (), codes: tuple[str, ...] = ()
) -> x509.Name:
    """A subject: C, O, each OU, each code (an ``"MST:…"`` code as the UID the Vietnamese CAs
    write, any other as organizationIdentifier), then CN."""
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    parts += [x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit) for unit in units]
    parts += [
        x509.NameAttribute(
            NameOID.USER_ID if code.startswith("MST:") else NameOID.ORGANIZATION_IDENTIFIER, code
        )
        for code in codes
    ]
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(parts)


@dataclass
class Issued:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _issue(
    subject: x509.Name,
    issuer: Issued | None,
    *,
    ca: bool,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=not ca,
            content_commitment=not ca,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Issued(key, cert)


@dataclass
class Chain:
    root: Issued
    intermediate: Issued

    def signer(
        self,
        cn: str,
        org: str,
        *,
        expired: bool = False,
        units: tuple[str, ...] = (),
        codes: tuple[str, ...] = (),
    ) -> Issued:
        now = dt.datetime.now(dt.UTC)
        if expired:
            start, end = now - dt.timedelta(days=400), now - dt.timedelta(days=30)
        else:
            # Wide enough for the tests that travel back to early 2026.
            start, end = now - dt.timedelta(days=3 * 365), now + dt.timedelta(days=365)
        subject = _name(cn, org, units=units, codes=codes)
        return _issue(subject, self.intermediate, ca=False, not_before=start, not_after=end)

    def pkcs12(self, who: Issued) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"signer",
            who.key,
            who.cert,
            [self.intermediate.cert, self.root.cert],
            serialization.BestAvailableEncryption(PASSPHRASE),
        )


def chain(name: str = "CA thử nghiệm") -> Chain:
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(days=3650), now + dt.timedelta(days=3650)
    root = _issue(_name(f"{name} gốc"), None, ca=True, not_before=start, not_after=end)
    middle = _issue(_name(f"{name} trung gian"), root, ca=True, not_before=start, not_after=end)
    return Chain(root, middle)


def blank_pdf(text: str = "Báo cáo") -> bytes:
    """A one-page PDF to sign (pypdf, already a dependency)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
