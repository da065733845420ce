"""The static promo site, rendered from the campaign model.

Pages are Jinja templates in ``templates/promo_site/`` (overridable per
campaign in ``<campaign>/templates/promo_site/``); the stylesheet is a template
too (the brand colours go in), the script is copied as it is. Every asset is
local and no page carries inline script or style, so the site works offline
and under ``default-src 'self'``.

The site talks to the campaign API through two endpoints, both under
``api_base`` (same origin when empty):

- ``POST /api/v1/registrations``: JSON (or multipart when a photo is attached,
  or a plain form post without JavaScript) with the form's field names;
  ``201 {"message"}``, ``422 {"errors": {field: message}}``, ``409``/``429``
  ``{"message"}``.
- ``GET /api/v1/winners``: ``{"winners": [{"draw", "prize", "winner"}]}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.render import assets, site_view
from campaignctl.render.environment import TemplateFailed, environment, render_template
from campaignctl.render.theme import theme

GROUP = "promo_site"


class SiteWriteFailed(UserError):
    """The output folder cannot be written."""


@dataclass(frozen=True)
class Page:
    name: str
    """Template and output file name without ``.html``."""
    nav: bool = True


def _consent(campaign: Campaign) -> tuple[str, Markup | None]:
    """Where the consent link points, and the consent text when it is a local file."""
    document = campaign.personal_data.consent_document
    if document.startswith(("https://", "http://")):
        return document, None
    source = assets.require(campaign, "personal_data.consent_document", document)
    text = source.read_text(encoding="utf-8")
    if source.suffix.lower() in {".md", ".markdown"}:
        # Raw HTML in the consent file is shown as text: the page allows no inline code.
        html = MarkdownIt("commonmark", {"html": False}).render(text)
    else:
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        html = "".join(f"<p>{Markup.escape(p)}</p>\n" for p in paragraphs)
    return "consent.html", Markup(html)  # noqa: S704 - rendered by markdown-it with html off


def _collect_assets(
    campaign: Campaign,
) -> tuple[dict[str, assets.Asset | None], dict[str, assets.Asset]]:
    branding = campaign.channels.site.branding
    base = "channels.site.branding"
    brand = {
        "logo": assets.collect(campaign, f"{base}.logo", branding.logo),
        "hero": assets.collect(campaign, f"{base}.hero_image", branding.hero_image),
        "font": assets.collect(campaign, f"{base}.font", branding.font),
    }
    prizes = {}
    for index, prize in enumerate(campaign.prizes):
        image = assets.collect(campaign, f"prizes[{index}].image", prize.image)
        if image is not None:
            prizes[prize.id] = image
    return brand, prizes


def _pages(form: site_view.FormView | None, faq: bool, consent_page: bool) -> tuple[Page, ...]:
    pages = [Page("index", nav=False)]
    if form is not None:
        pages.append(Page("register"))
    pages += [Page("winners")]
    if faq:
        pages.append(Page("faq"))
    pages += [Page("contacts"), Page("rules")]
    if consent_page:
        pages.append(Page("consent", nav=False))
    return tuple(pages)


def _write(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise SiteWriteFailed(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="choose an output folder you can write to",
            path=path,
        ) from None
    return path


def _raw_source(env: jinja2.Environment, name: str) -> str:
    """A file from the template search path, not rendered (the script)."""
    assert env.loader is not None  # noqa: S101 - environment() always sets a loader
    try:
        source, _, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        raise TemplateFailed(f"template not found: {name}") from None
    return source


def render_site(
    campaign: Campaign,
    out: Path,
    *,
    api_base: str = "",
    rules_fragment: str = "",
    rules_href: str = "../rules",
) -> list[Path]:
    """Write the promo site into ``out``; returns the files written, sorted.

    ``api_base`` is the campaign API's base URL ("" for the site's own origin).
    ``rules_fragment`` is the rules document's HTML body, embedded as trusted
    markup in the rules page; ``rules_href`` is where ``rules.pdf`` and
    ``rules.docx`` sit relative to the site.
    """
    api_base = api_base.rstrip("/")
    brand, prize_images = _collect_assets(campaign)
    consent_href, consent_html = _consent(campaign)
    form = site_view.form_view(campaign, api_base)
    site = campaign.channels.site
    pages = _pages(form, bool(site.faq), consent_html is not None)
    context: dict[str, object] = {
        "c": campaign,
        "theme": theme(site.branding),
        "logo": brand["logo"],
        "hero": brand["hero"],
        "font": brand["font"],
        "mechanic": site_view.primary_mechanic(campaign),
        "prize_groups": site_view.prize_groups(campaign, prize_images),
        "draws": site_view.draw_views(campaign),
        "form": form,
        "contacts": site_view.contacts(campaign),
        "consent_href": consent_href,
        "consent_html": consent_html,
        "csp": site_view.content_security_policy(api_base),
        "winners_src": f"{api_base}/api/v1/winners",
        "rules_html": Markup(rules_fragment),  # noqa: S704 - our own rules renderer's output
        "rules_pdf": f"{rules_href}/rules.pdf",
        "rules_docx": f"{rules_href}/rules.docx",
        "pages": pages,
    }
    env = environment(GROUP, campaign.folder)
    written = [
        _write(
            out / f"{page.name}.html",
            render_template(env, f"{page.name}.html", page=page.name, **context),
        )
        for page in pages
    ]
    written.append(
        _write(out / "static" / "site.css", render_template(env, "static/site.css", **context))
    )
    written.append(_write(out / "static" / "site.js", _raw_source(env, "static/site.js")))
    written.append(_write(out / "_headers", render_template(env, "_headers", **context)))
    try:
        written += assets.copy([*(a for a in brand.values() if a), *prize_images.values()], out)
    except OSError as exc:
        raise SiteWriteFailed(f"cannot copy assets into {out}: {exc}", path=out) from None
    return sorted(written)
