from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from campaignctl.draws import Protocol, run
from campaignctl.draws.document import protocol_html, write_documents
from tests.draws.helpers import INFO, entries, rules, seed_of


def _protocol() -> Protocol:
    pool = entries(10)
    return run(
        INFO,
        rules(1, 20, reserve=1),
        pool,
        seed_of(2),
        committed_at="2027-06-01T10:00:00+03:00",
        drawn_at="2027-06-17T12:00:00+03:00",
        labels={"r00003": "+7 916 ***-**-03"},
    )


def test_html_names_the_round_hashes_winners_and_signature_lines() -> None:
    protocol = _protocol()
    html = protocol_html(protocol)
    assert "Протокол розыгрыша призов" in html
    assert "Розыгрыш 1-й недели" in html
    assert protocol.commitment in html and protocol.seed in html
    assert protocol.entries_sha256 in html
    assert "Председатель комиссии" in html and html.count("подпись") == 3
    assert "17 июня 2027 г. в 12:00" in html
    for pick in protocol.picks:
        assert pick.entry_id in html
    # 21 prizes, 10 entries: the shortfall is stated, not hidden
    assert "Не разыграно из-за недостатка заявок: Приз 1 — 11 шт." in html
    assert "campaignctl draw verify protocol.json" in html


def test_pdf_holds_the_same_text(tmp_path: Path) -> None:
    html_path, pdf_path = write_documents(_protocol(), tmp_path, stem="week-01")
    assert html_path.name == "week-01.html"
    pages = PdfReader(io.BytesIO(pdf_path.read_bytes())).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Протокол розыгрыша призов" in text
    assert "Председатель комиссии" in text
    assert "campaignctl draw verify week-01.json" in text
