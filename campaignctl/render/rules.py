"""The rules of the promotion: HTML (and its body fragment for the site), PDF and DOCX.

One template (``templates/rules_doc/fragment.html``) holds the text; the PDF
is that HTML printed by WeasyPrint, the DOCX is built from the same HTML, so
the three never disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from campaignctl.model import Campaign
from campaignctl.render.context import base_context, published_at
from campaignctl.render.environment import environment, render_template

GROUP = "rules_doc"
LAWYER_MARK = "[ЮРИСТ: проверить]"
_LAWYER_NOTE = re.compile(r'<mark class="lawyer" data-note="([^"]*)">')


def _render(campaign: Campaign, template: str) -> str:
    env = environment(GROUP, campaign.folder)
    context = base_context(campaign)
    context["published"] = published_at(campaign).isoformat()
    return render_template(env, template, **context)


def rules_fragment(campaign: Campaign) -> str:
    """The rules as an ``<article>`` to embed in the promo site's rules page."""
    return _render(campaign, "fragment.html")


def rules_html(campaign: Campaign) -> str:
    """The rules as a standalone, printable HTML document."""
    return _render(campaign, "document.html")


def lawyer_notes(html: str) -> list[str]:
    """The places marked for a lawyer's review, in document order."""
    return _LAWYER_NOTE.findall(html)


def render_rules(campaign: Campaign, out: Path) -> list[Path]:
    """Write rules.html, rules.pdf and rules.docx into ``out``."""
    # WeasyPrint and python-docx take ~0.5 s to import: only when rendering, so
    # every other command starts fast.
    from campaignctl.render.docx import html_to_docx  # noqa: PLC0415
    from campaignctl.render.pdf import html_to_pdf  # noqa: PLC0415

    html = rules_html(campaign)
    out.mkdir(parents=True, exist_ok=True)
    created = published_at(campaign)
    title = f"Правила акции «{campaign.campaign.name}»"
    files = {
        "rules.html": html.encode("utf-8"),
        "rules.pdf": html_to_pdf(html, created=created),
        "rules.docx": html_to_docx(
            html, title=title, author=campaign.organizer.legal_name, created=created
        ),
    }
    written = []
    for name, data in files.items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written
