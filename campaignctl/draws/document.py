"""The printable protocol of a draw (Russian HTML and PDF) with the commission's signatures.

Rendered from the protocol alone, so it can be reprinted from an archive.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

from campaignctl.draws.protocol import ALGORITHM, Protocol
from campaignctl.render.environment import environment, render_template

GROUP = "draw_protocol"


def protocol_html(protocol: Protocol, *, json_name: str = "protocol.json") -> str:
    won = Counter(p.prize for p in protocol.winners())
    unawarded = [
        (line.prize, line.quantity - won[line.prize])
        for line in protocol.rules.prizes
        if won[line.prize] < line.quantity
    ]
    env = environment(GROUP)
    return render_template(
        env,
        "protocol.html",
        p=protocol,
        names={line.prize: line.name for line in protocol.rules.prizes},
        drawn_at=datetime.fromisoformat(protocol.drawn_at),
        committed_at=datetime.fromisoformat(protocol.committed_at),
        entries_start=date.fromisoformat(protocol.info.entries_start),
        entries_end=date.fromisoformat(protocol.info.entries_end),
        unawarded=unawarded,
        algorithm=ALGORITHM,
        json_name=json_name,
    )


def write_documents(protocol: Protocol, folder: Path, *, stem: str = "protocol") -> list[Path]:
    """Write ``<stem>.html`` and ``<stem>.pdf`` into ``folder``."""
    from campaignctl.render.pdf import html_to_pdf  # noqa: PLC0415 - WeasyPrint imports slowly

    html = protocol_html(protocol, json_name=f"{stem}.json")
    html_path = folder / f"{stem}.html"
    pdf_path = folder / f"{stem}.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(html_to_pdf(html, created=datetime.fromisoformat(protocol.drawn_at)))
    return [html_path, pdf_path]
