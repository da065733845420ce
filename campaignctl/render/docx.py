"""The rules HTML as a Word document for lawyers' review (python-docx).

The DOCX is built from the rendered HTML rather than from a second template,
so a custom rules template changes the Word file too. Only the small set of
elements the rules templates use is understood: h1-h3, p, ul/ol/li, table,
strong/b, em/i, br and ``<mark class="lawyer">``, which becomes a highlighted
run with a Word comment carrying the note, where reviewers expect it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

REVIEWER = "campaignctl"
_SKIP = {"head", "style", "script", "title"}
# Collapse layout whitespace but keep no-break spaces (numbers are grouped with them).
_SPACE = re.compile(r"[ \t\r\n]+")
_VOID = {"br", "meta", "link", "img", "hr", "input"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID:
            self._stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip(" ")


class _Writer:
    def __init__(self, doc: DocxDocument, created: datetime) -> None:
        self.doc = doc
        self.created = created

    def block(self, node: Node) -> None:
        tag = node.tag
        if tag in _SKIP:
            return
        if tag == "h1":
            self.doc.add_heading(_clean(node.text()), 0)
        elif tag in ("h2", "h3"):
            self.doc.add_heading(_clean(node.text()), 1 if tag == "h2" else 2)
        elif tag == "p":
            self.paragraph(node)
        elif tag in ("ul", "ol"):
            self.items(node)
        elif tag == "table":
            self.table(node)
        else:
            for child in node.children:
                if isinstance(child, Node):
                    self.block(child)

    def paragraph(self, node: Node) -> None:
        paragraph = self.doc.add_paragraph()
        centered = "subtitle" in node.attrs.get("class", "")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centered else WD_ALIGN_PARAGRAPH.JUSTIFY
        self.inline(paragraph, node, bold=False, italic=False)
        _rstrip(paragraph)

    def items(self, node: Node) -> None:
        style = "List Bullet" if node.tag == "ul" else "List Number"
        for item in node.children:
            if isinstance(item, Node) and item.tag == "li":
                paragraph = self.doc.add_paragraph(style=style)
                self.inline(paragraph, item, bold=False, italic=False)
                _rstrip(paragraph)

    def inline(self, paragraph: Paragraph, node: Node, *, bold: bool, italic: bool) -> None:
        for child in node.children:
            if isinstance(child, str):
                text = _SPACE.sub(" ", child)
                if not paragraph.runs:
                    text = text.lstrip(" ")
                if text:
                    run = paragraph.add_run(text)
                    run.bold, run.italic = bold or None, italic or None
            elif child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag == "mark" and "lawyer" in child.attrs.get("class", ""):
                run = paragraph.add_run(_clean(child.text()))
                run.bold = True
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                comment = self.doc.add_comment(
                    run, text=child.attrs.get("data-note", ""), author=REVIEWER, initials="CC"
                )
                # python-docx stamps comments with now(); the campaign's date keeps re-renders identical.
                comment._comment_elm.date = self.created.astimezone(UTC)
            else:
                self.inline(
                    paragraph,
                    child,
                    bold=bold or child.tag in ("strong", "b", "th"),
                    italic=italic or child.tag in ("em", "i"),
                )

    def table(self, node: Node) -> None:
        rows = _descendants(node, "tr")
        if not rows:
            return
        width = max(len([c for c in r.children if isinstance(c, Node)]) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, row in enumerate(rows):
            cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
            for k, cell in enumerate(cells):
                paragraph = table.cell(r, k).paragraphs[0]
                if "n" in cell.attrs.get("class", "").split():
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self.inline(paragraph, cell, bold=cell.tag == "th", italic=False)
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _rstrip(paragraph: Paragraph) -> None:
    """Drop the layout whitespace at the end of a paragraph (and runs left empty by it)."""
    while paragraph.runs:
        last = paragraph.runs[-1]
        last.text = last.text.rstrip(" ")
        if last.text:
            return
        last._r.getparent().remove(last._r)


def _descendants(node: Node, tag: str) -> list[Node]:
    found = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                found.append(child)
            else:
                found += _descendants(child, tag)
    return found


def _field(paragraph: Paragraph, instruction: str) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(18)
    section.top_margin, section.bottom_margin = Mm(20), Mm(22)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    run_props = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    run_props.append(lang)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Страница ")
    _field(footer, "PAGE")
    footer.add_run(" из ")
    _field(footer, "NUMPAGES")


def _fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the package with one fixed timestamp per entry: zip headers otherwise carry now()."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def html_to_docx(html: str, *, title: str, author: str, created: datetime) -> bytes:
    """The DOCX of ``html``; byte-identical for the same input and ``created``."""
    doc = Document()
    _setup(doc)
    _Writer(doc, created).block(parse_html(html))
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.language = "ru-RU"
    props.created = props.modified = props.last_printed = created.astimezone(UTC).replace(
        tzinfo=None
    )
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue(), created)
