"""The verifier on the cases an office meets (issue 17): a valid signature, one changed after
signing, an untrusted or expired certificate, two signatures, an update appended after the
signature, a malformed signature; and the office's own signature read by the same verifier."""

from __future__ import annotations

import io

from nhiemvu.lib import signatures
from nhiemvu.lib.signatures import State
from nhiemvu.tests import certs

CHAIN = certs.chain()
AGENCY = CHAIN.signer("Nguyễn Văn A", "Sở Tài chính")


def signed(pdf: bytes | None = None, who: certs.Issued = AGENCY, field: str = "ChuKySo") -> bytes:
    return signatures.sign_pdf(
        pdf or certs.blank_pdf(),
        CHAIN.pkcs12(who),
        certs.PASSPHRASE,
        reason="Báo cáo kết quả",
        location="Gia Lai",
        field_name=field,
    )


def test_a_valid_signature_names_its_signer_and_organisation() -> None:
    result = signatures.verify(signed(), [CHAIN.root.pem])
    (verdict,) = result.signatures
    assert verdict.state == State.VALID
    assert (verdict.signer, verdict.organisation) == ("Nguyễn Văn A", "Sở Tài chính")
    assert verdict.intact and verdict.whole_file and verdict.trusted and verdict.valid_at_signing
    assert verdict.revocation == "not_checked"  # the server was not allowed to ask the CA
    assert verdict.signed_at


def test_an_unsigned_pdf_has_no_signature() -> None:
    result = signatures.verify(certs.blank_pdf(), [CHAIN.root.pem])
    assert (result.signed, result.error) == (False, "")


def test_changed_after_signing_is_not_intact() -> None:
    data = bytearray(signed())
    # A byte of the signed revision (its title, inside the signed range) changed.
    at = data.index(b"/Title")
    data[at + 8] = (data[at + 8] + 1) % 256
    (verdict,) = signatures.verify(bytes(data), [CHAIN.root.pem]).signatures
    assert (verdict.state, verdict.intact) == (State.BROKEN, False)
    assert verdict.signer == "Nguyễn Văn A"  # who it claims, shown beside "không nguyên vẹn"


def test_a_root_the_province_does_not_trust() -> None:
    (verdict,) = signatures.verify(signed(), []).signatures
    assert (verdict.state, verdict.trusted, verdict.intact) == (State.UNTRUSTED, False, True)
    other = certs.chain("CA khác")
    (verdict,) = signatures.verify(signed(), [other.root.pem]).signatures
    assert verdict.state == State.UNTRUSTED


def test_an_expired_certificate_was_not_valid_at_signing() -> None:
    old = CHAIN.signer("Trần Văn B", "Sở Xây dựng", expired=True)
    (verdict,) = signatures.verify(signed(who=old), [CHAIN.root.pem]).signatures
    assert (verdict.state, verdict.valid_at_signing) == (State.EXPIRED, False)


def test_two_signatures_are_both_read() -> None:
    head = CHAIN.signer("Lê Thị C", "Sở Tài chính")
    twice = signed(signed(), who=head, field="ChuKySo2")
    first, second = signatures.verify(twice, [CHAIN.root.pem]).signatures
    assert (first.signer, second.signer) == ("Nguyễn Văn A", "Lê Thị C")
    assert first.state == second.state == State.VALID
    assert (first.whole_file, second.whole_file) == (False, True)  # a signature came after


def test_content_appended_after_the_signature_is_flagged() -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed()))
    # A line of text drawn on the signed page, in an update appended after the signature.
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (Da sua) Tj ET")
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    (verdict,) = signatures.verify(out.getvalue(), [CHAIN.root.pem]).signatures
    assert verdict.intact and not verdict.whole_file
    assert (verdict.state, verdict.changed_after) == (State.CHANGED, True)


def test_a_malformed_signature_is_reported_not_raised() -> None:
    data = signed()
    start = data.index(b"/Contents <") + len(b"/Contents <")
    broken = data[:start] + b"0" * 200 + data[start + 200 :]
    result = signatures.verify(broken, [CHAIN.root.pem])
    assert result.error.startswith("ValueError") and not result.signed
    garbage = signatures.verify(b"%PDF-1.7\n garbage", [CHAIN.root.pem])
    assert garbage.error and not garbage.signed
