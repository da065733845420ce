"""The rules document: 38-FZ art. 9 items, the NDFL cash part, lawyer marks, PDF and DOCX."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pypdf

from campaignctl.model import Campaign
from campaignctl.render.rules import LAWYER_MARK, lawyer_notes, rules_fragment
from tests.render.legal import cash_part, grouped, organizer_names, plain, rub

SECTIONS = [
    "Общие положения",
    "Сроки проведения Акции",
    "Участники Акции",
    "Призовой фонд Акции",
    "Порядок участия в Акции",
    "Порядок определения обладателей призов",
    "Порядок, место и сроки получения призов",
    "Налогообложение",
    "Персональные данные",
    "Прочие условия",
]


def _ru_date(day: object) -> str:
    months = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    return f"{day.day} {months.split()[day.month - 1]} {day.year} г."  # type: ignore[attr-defined]


def _text(built: Path) -> str:
    return plain((built / "rules" / "rules.html").read_text(encoding="utf-8"))


def test_art9_items_with_values_from_the_yaml(example: Campaign, built: Path) -> None:
    text = _text(built)
    org = example.organizer
    assert org.legal_name in text
    for value in (org.inn, org.ogrn, org.legal_address, org.email):
        assert value in text
    if example.operator is not None:
        assert example.operator.legal_name in text
    period = example.period
    assert f"с {_ru_date(period.start)} по {_ru_date(period.end)}" in text
    assert f"по 23:59:59 {_ru_date(period.registration.end)}" in text
    assert f"до {_ru_date(period.claim_deadline)} включительно" in text
    assert example.rules.url in text
    total = sum(p.quantity for p in example.prizes)
    assert f"Итого {grouped(total)}" in text
    for prize in example.prizes:
        row = re.search(
            re.escape(plain(prize.name)) + r".{0,400}?" + re.escape(rub(prize.value_rub)), text
        )
        assert row, f"prize row for {prize.id}"
        assert f" {grouped(prize.quantity)} {rub(prize.value_rub)}" in text, prize.id
    claim = example.rules.claim
    for part in (claim.place, claim.procedure, claim.deadline):
        assert plain(part) in text
    assert example.territory.description in text


def test_sections_in_order(built: Path) -> None:
    text = _text(built)
    positions = [text.index(f"{n}. {title}") for n, title in enumerate(SECTIONS, 1)]
    assert positions == sorted(positions)


def test_ndfl_cash_part_equals_the_formula(example: Campaign, built: Path) -> None:
    text = _text(built)
    taxable = [p for p in example.prizes if p.value_rub > 4000]
    for prize in taxable:
        expected = cash_part(prize.value_rub)
        assert prize.cash_part_rub == expected
        assert f"{plain(prize.name)} {rub(prize.value_rub)} {rub(expected)}" in text, prize.id
    if taxable:
        assert "C = 0,35 × (V − 4 000) / 0,65" in text
        assert "п. 4 ст. 226 НК РФ" in text
    else:
        assert "не превышает 4 000 руб." in text


def test_lawyer_marks(example: Campaign, built: Path) -> None:
    html = (built / "rules" / "rules.html").read_text(encoding="utf-8")
    notes = lawyer_notes(html)
    assert len(notes) >= 5
    assert html.count(LAWYER_MARK) == len(notes)
    assert "mark.lawyer" in html  # highlighted by the print CSS
    if any(p.taxable for p in example.prizes):
        assert any("п. 4 ст. 226" in note and "50 %" in note for note in notes)


def test_personal_data_section(example: Campaign, built: Path) -> None:
    text = _text(built)
    pd = example.personal_data
    assert f"в течение {pd.retention_days} дней" in text
    assert "отдельно от иных документов" in text
    assert "ч. 5 ст. 18" in text


def test_draw_method_is_verifiable(example: Campaign, built: Path) -> None:
    text = _text(built)
    if not example.draws:
        assert "SHA-256" not in text
        return
    assert "хеш SHA-256" in text
    assert "повторить вычисление" in text
    for draw in example.draws:
        assert (draw.name or draw.id) in text


def test_fragment_is_the_document_body(example: Campaign, built: Path) -> None:
    fragment = rules_fragment(example)
    document = (built / "rules" / "rules.html").read_text(encoding="utf-8")
    assert fragment.lstrip().startswith("<article")
    assert "<html" not in fragment
    assert fragment.strip() in document


def test_pdf_opens_with_page_numbers(example: Campaign, built: Path) -> None:
    reader = pypdf.PdfReader(io.BytesIO((built / "rules" / "rules.pdf").read_bytes()))
    pages = len(reader.pages)
    assert 3 <= pages <= 12
    first = reader.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    last = reader.pages[-1].extract_text()
    assert f"Страница {pages} из {pages}" in last
    assert any(name in plain(reader.pages[0].extract_text()) for name in organizer_names(example))
    assert reader.metadata is not None
    assert reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.date() == example.period.start


def test_docx_opens_with_headings_and_comments(example: Campaign, built: Path) -> None:
    document = docx.Document(str(built / "rules" / "rules.docx"))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert [h.split(". ", 1)[1] for h in headings] == SECTIONS
    html = (built / "rules" / "rules.html").read_text(encoding="utf-8")
    comments = list(document.comments)
    assert [c.text for c in comments] == lawyer_notes(html)
    assert document.core_properties.created is not None
    assert document.core_properties.created.date() <= example.period.start
    body = " ".join(p.text for p in document.paragraphs)
    assert example.organizer.legal_name in body
