"""What reading signatures costs per upload (issue 17): a ~1 MB PDF signed once and twice,
verified as an upload is (no revocation fetching), and the office's signing of a letter.

    .venv/bin/python bench/signatures.py [--repeat 20]

Prints the file sizes and the median milliseconds of each step.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")


def one_megabyte_pdf() -> bytes:
    """Ten pages and a 1 MB embedded scan (incompressible bytes), like a scanned signed report."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(10):
        writer.add_blank_page(width=595, height=842)
    writer.add_attachment("scan.bin", os.urandom(1_000_000))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def median_ms(step, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from importlib.metadata import version

    from nhiemvu.lib import signatures
    from nhiemvu.tests import certs

    chain = certs.chain()
    agency = chain.signer("Nguyễn Văn A", "Sở Tài chính")
    head = chain.signer("Lê Thị B", "Sở Tài chính")
    roots = [chain.root.pem]
    plain = one_megabyte_pdf()

    def sign(data: bytes, who: certs.Issued, field: str) -> bytes:
        return signatures.sign_pdf(
            data, chain.pkcs12(who), certs.PASSPHRASE, reason="b", location="c", field_name=field
        )

    once = sign(plain, agency, "ChuKySo")
    twice = sign(once, head, "ChuKySo2")
    assert [v.state for v in signatures.verify(twice, roots).signatures] == ["valid", "valid"]
    print(f"pyHanko {version('pyhanko')}, pyhanko-certvalidator {version('pyhanko-certvalidator')}")
    for label, data in (("unsigned", plain), ("signed once", once), ("signed twice", twice)):
        took = median_ms(lambda data=data: signatures.verify(data, roots), args.repeat)
        print(f"verify {label:13} {len(data) / 1e6:5.2f} MB  {took:7.1f} ms")
    took = median_ms(lambda: sign(plain, agency, "X"), max(3, args.repeat // 4))
    print(f"sign   {'(office key)':13} {len(plain) / 1e6:5.2f} MB  {took:7.1f} ms")


if __name__ == "__main__":
    main()
