"""HTML to DOCX: the elements the rules templates use, lawyer marks as comments, fixed dates."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone

import docx
from docx.enum.text import WD_COLOR_INDEX

from campaignctl.render.docx import html_to_docx

CREATED = datetime(2027, 6, 7, tzinfo=timezone(timedelta(hours=3)))
HTML = """<!DOCTYPE html><html><head><title>x</title><style>p {}</style></head><body>
<article><h1>Правила</h1>
<h2>1. Общие положения</h2>
<p>1.1. Текст с <strong>жирным</strong> и   лишними
   пробелами, сумма 4\u00a0000 руб. <mark class="lawyer" data-note="проверить срок">[ЮРИСТ: проверить] проверить срок</mark></p>
<ul><li>первый;</li><li>второй.</li></ul>
<table><thead><tr><th>Приз</th><th>Шт.</th></tr></thead><tbody><tr><td>Самокат</td><td class="n">12</td></tr></tbody></table>
</article></body></html>"""


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_structure() -> None:
    document = _open(html_to_docx(HTML, title="T", author="A", created=CREATED))
    styles = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert styles[0] == ("Title", "Правила")
    assert ("Heading 1", "1. Общие положения") in styles
    body = next(p for p in document.paragraphs if p.text.startswith("1.1."))
    assert body.text.startswith("1.1. Текст с жирным и лишними пробелами, сумма 4\u00a0000 руб. ")
    assert next(r.text for r in body.runs if r.bold) == "жирным"
    mark = body.runs[-1]
    assert mark.font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert [(p.style.name if p.style else "", p.text) for p in document.paragraphs[3:5]] == [
        ("List Bullet", "первый;"),
        ("List Bullet", "второй."),
    ]
    [table] = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Приз", "Шт."],
        ["Самокат", "12"],
    ]
    [comment] = list(document.comments)
    assert comment.text == "проверить срок"
    assert comment.timestamp == CREATED
    assert "x" not in [p.text for p in document.paragraphs]  # <title> and <style> are skipped


def test_deterministic_package() -> None:
    first = html_to_docx(HTML, title="T", author="A", created=CREATED)
    assert first == html_to_docx(HTML, title="T", author="A", created=CREATED)
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {i.date_time for i in package.infolist()} == {(2027, 6, 7, 0, 0, 0)}
    props = _open(first).core_properties
    assert (props.title, props.author) == ("T", "A")
