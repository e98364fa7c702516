"""HTML to PDF (WeasyPrint) for what the office issues and the reports: the page, and where its
signature block stands so `lib.signatures.sign_pdf` can put the signature there. A PDF module,
not a signature one: rendering needs no certificate.
"""

from __future__ import annotations

from typing import Any

SIGNATURE_SIZE = (220, 70)  # points: the visible block (name, organisation, time)
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF counts 72 points


def render_pdf(html: str, base_url: str, anchor: str = "chu-ky") -> tuple[bytes, Any, int]:
    """An HTML page as PDF (WeasyPrint), with the rectangle where the element ``anchor`` stands
    (the signature's place between the signer's title and name), for ``sign_pdf``."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url).render()
    box, page_index = None, -1
    for index, page in enumerate(document.pages):
        if anchor in page.anchors:
            # The element's rectangle, top-left origin in CSS pixels; PDF counts from the
            # bottom in points. The block is at most SIGNATURE_SIZE, centred in the element.
            x1, y1, x2, y2 = page.anchors[anchor]
            width = min(SIGNATURE_SIZE[0], (x2 - x1) * PX_TO_PT)
            height = min(SIGNATURE_SIZE[1], (y2 - y1) * PX_TO_PT) or SIGNATURE_SIZE[1]
            left = (x1 + x2) / 2 * PX_TO_PT - width / 2
            top = (page.height - y1) * PX_TO_PT
            box = (int(left), int(top - height), int(left + width), int(top))
            page_index = index
    return document.write_pdf(), box, page_index
