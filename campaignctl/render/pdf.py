"""HTML to a print-ready PDF with WeasyPrint (A4 and page numbers come from the @page CSS)."""

from __future__ import annotations

from datetime import datetime

from weasyprint import HTML


def html_to_pdf(html: str, *, created: datetime) -> bytes:
    """The PDF of ``html``; byte-identical for the same input.

    The creation date comes from the caller (the campaign), never the clock,
    and the file identifier is the hash of the PDF's own content.
    """
    document = HTML(string=html).render()
    document.metadata.created = created.isoformat()
    document.metadata.modified = created.isoformat()
    pdf: bytes = document.write_pdf(pdf_identifier=True)
    return pdf
