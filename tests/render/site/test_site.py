"""The rendered promo site: goldens, determinism, weight, CSP rules, forms per mechanics."""

from __future__ import annotations

import dataclasses
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from campaignctl.model.channels import Branding
from campaignctl.render.site import render_site
from campaignctl.spec.validate import load_campaign
from tests.render.site.examples import EXAMPLES, RULES_FRAGMENT, campaign_file, render_example

GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_PAGES = ("index.html", "register.html")
REGEN = "make goldens (UPDATE_GOLDENS=1 .venv/bin/pytest tests/render)"
LANDING_BUDGET = 300 * 1024


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text of inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def _tags(path: Path) -> _Tags:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _inputs(path: Path) -> dict[str, dict[str, str | None]]:
    return {
        str(attrs["name"]): attrs
        for tag, attrs in _tags(path).tags
        if tag in {"input", "textarea"} and attrs.get("name")
    }


@pytest.mark.parametrize("page", GOLDEN_PAGES)
@pytest.mark.parametrize("example", EXAMPLES)
def test_pages_match_goldens(rendered: dict[str, Path], example: str, page: str) -> None:
    golden = GOLDEN / example / page
    actual = (rendered[example] / page).read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDENS"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden {golden}: run {REGEN}"
    assert actual == golden.read_text(encoding="utf-8"), f"site changed: review, then run {REGEN}"


def test_rendering_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first = render_example("receipt-draw", tmp_path / "a")
    second = render_example("receipt-draw", tmp_path / "b")
    names = [p.relative_to(tmp_path / "a") for p in first]
    assert names == [p.relative_to(tmp_path / "b") for p in second]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize("example", EXAMPLES)
def test_landing_page_weighs_under_300_kb_without_campaign_images(
    rendered: dict[str, Path], example: str
) -> None:
    site = rendered[example]
    index = site / "index.html"
    loaded = {
        attrs.get("src") or attrs.get("href")
        for tag, attrs in _tags(index).tags
        if (tag in {"script", "img"} and attrs.get("src"))
        or (tag == "link" and attrs.get("rel") == "stylesheet")
    }
    own = [site / str(ref) for ref in loaded if ref and not str(ref).startswith("media/")]
    assert {p.name for p in own} == {"site.css", "site.js"}
    total = index.stat().st_size + sum(p.stat().st_size for p in own)
    assert total < LANDING_BUDGET


@pytest.mark.parametrize("example", EXAMPLES)
def test_pages_have_no_inline_code_and_no_outside_resources(
    rendered: dict[str, Path], example: str
) -> None:
    pages = sorted(rendered[example].glob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        parsed = _tags(page)
        assert parsed.inline_scripts == [], page.name
        for tag, attrs in parsed.tags:
            assert tag != "style", page.name
            assert not [a for a in attrs if a.startswith("on") or a == "style"], (page.name, tag)
            if tag in {"script", "img", "link", "source", "iframe"}:
                ref = attrs.get("src") or attrs.get("href") or ""
                assert not re.match(r"^(https?:)?//", ref), (page.name, ref)
        assert any(
            tag == "meta"
            and attrs.get("http-equiv") == "Content-Security-Policy"
            and "default-src 'self'" in str(attrs.get("content"))
            for tag, attrs in parsed.tags
        ), page.name
    headers = (rendered[example] / "_headers").read_text(encoding="utf-8")
    assert "frame-ancestors 'none'" in headers


def test_code_form_asks_for_the_code_and_phone_only(rendered: dict[str, Path]) -> None:
    inputs = _inputs(rendered["bottle-caps"] / "register.html")
    assert list(inputs) == ["code", "phone", "consent", "age_confirmed"]
    assert all("required" in attrs for attrs in inputs.values())
    hint = (rendered["bottle-caps"] / "register.html").read_text(encoding="utf-8")
    assert "12 символов — латинские буквы и цифры, в формате XXXX-XXXX-XXXX" in hint


def test_receipt_form_takes_the_qr_string_or_a_photo(rendered: dict[str, Path]) -> None:
    page = rendered["receipt-draw"] / "register.html"
    inputs = _inputs(page)
    assert list(inputs) == [
        "receipt",
        "receipt_photo",
        "phone",
        "name",
        "email",
        "consent",
        "age_confirmed",
    ]
    assert "required" not in inputs["receipt"] and "required" not in inputs["receipt_photo"]
    assert inputs["receipt_photo"]["type"] == "file"
    [form] = [attrs for tag, attrs in _tags(page).tags if tag == "form"]
    assert form["enctype"] == "multipart/form-data"
    assert form["method"] == "post"
    assert form["action"] == "/api/v1/registrations"


def test_loyalty_form_takes_the_delivery_address(rendered: dict[str, Path]) -> None:
    inputs = _inputs(rendered["loyalty-gift"] / "register.html")
    assert list(inputs) == ["phone", "name", "address", "consent", "age_confirmed"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_consent_is_a_separate_unticked_box_linking_the_document(
    rendered: dict[str, Path], example: str
) -> None:
    page = rendered[example] / "register.html"
    consent = _inputs(page)["consent"]
    assert consent["type"] == "checkbox"
    assert "checked" not in consent
    assert 'href="consent.html"' in page.read_text(encoding="utf-8")
    text = (rendered[example] / "consent.html").read_text(encoding="utf-8")
    assert "<h1>Согласие на обработку персональных данных</h1>" in text


def test_no_age_box_without_an_age_limit(tmp_path: Path) -> None:
    campaign = load_campaign(campaign_file("bottle-caps"))
    campaign = dataclasses.replace(
        campaign, audience=dataclasses.replace(campaign.audience, min_age=0)
    )
    render_site(campaign, tmp_path)
    assert "age_confirmed" not in _inputs(tmp_path / "register.html")


def test_rules_page_embeds_the_rules_and_links_the_files(rendered: dict[str, Path]) -> None:
    text = (rendered["bottle-caps"] / "rules.html").read_text(encoding="utf-8")
    assert RULES_FRAGMENT in text
    assert 'href="../rules/rules.pdf"' in text
    assert 'href="../rules/rules.docx"' in text


def test_rules_files_can_live_elsewhere(tmp_path: Path) -> None:
    campaign = load_campaign(campaign_file("loyalty-gift"))
    render_site(campaign, tmp_path, rules_fragment=RULES_FRAGMENT, rules_href="/osen/rules")
    text = (tmp_path / "rules.html").read_text(encoding="utf-8")
    assert 'href="/osen/rules/rules.pdf"' in text
    assert 'href="/osen/rules/rules.docx"' in text


def test_winners_page_lists_every_draw_with_its_time(rendered: dict[str, Path]) -> None:
    text = (rendered["receipt-draw"] / "winners.html").read_text(encoding="utf-8")
    assert text.count('class="draw" data-draw="') == 5  # four draws and "other prizes"
    assert "5 ноября 2027 г. в 15:00</time> (UTC+7)" in text
    assert 'data-winners-src="/api/v1/winners"' in text


def test_faq_contacts_and_footer_come_from_the_campaign(rendered: dict[str, Path]) -> None:
    campaign = load_campaign(campaign_file("bottle-caps"))
    faq = (rendered["bottle-caps"] / "faq.html").read_text(encoding="utf-8")
    assert faq.count("<details>") == len(campaign.channels.site.faq)
    contacts = (rendered["bottle-caps"] / "contacts.html").read_text(encoding="utf-8")
    assert 'href="tel:88003502727"' in contacts
    footer = (rendered["bottle-caps"] / "index.html").read_text(encoding="utf-8")
    for entity in (campaign.organizer, campaign.operator):
        assert entity is not None
        assert f"ИНН {entity.inn}" in footer and f"ОГРН {entity.ogrn}" in footer
        assert entity.legal_address in footer


def test_api_elsewhere_is_named_in_the_form_and_the_policy(tmp_path: Path) -> None:
    render_example("bottle-caps", tmp_path, api_base="https://api.briz-promo.ru/")
    page = (tmp_path / "register.html").read_text(encoding="utf-8")
    assert 'action="https://api.briz-promo.ru/api/v1/registrations"' in page
    assert "connect-src &#39;self&#39; https://api.briz-promo.ru;" in page
    assert "form-action &#39;self&#39; https://api.briz-promo.ru;" in page
    winners = (tmp_path / "winners.html").read_text(encoding="utf-8")
    assert 'data-winners-src="https://api.briz-promo.ru/api/v1/winners"' in winners


def test_default_branding_needs_no_files(tmp_path: Path) -> None:
    campaign = load_campaign(campaign_file("loyalty-gift"))
    site = dataclasses.replace(campaign.channels.site, branding=Branding())
    campaign = dataclasses.replace(
        campaign,
        channels=dataclasses.replace(campaign.channels, site=site),
        prizes=tuple(dataclasses.replace(p, image=None) for p in campaign.prizes),
    )
    written = render_site(campaign, tmp_path)
    assert not [p for p in written if "media" in p.parts]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<span class="brand-word">Кофейни «Зерно»</span>' in index
    assert "<img" not in index
    css = (tmp_path / "static" / "site.css").read_text(encoding="utf-8")
    assert "--primary: #d62828;" in css


def test_a_brand_font_is_served_from_the_site(campaign_copy: Path, tmp_path: Path) -> None:
    font = campaign_copy.parent / "assets" / "brand.woff2"
    font.write_bytes(b"wOF2 stand-in")
    campaign = load_campaign(campaign_copy)
    site = campaign.channels.site
    branding = dataclasses.replace(site.branding, font="assets/brand.woff2")
    campaign = dataclasses.replace(
        campaign,
        channels=dataclasses.replace(
            campaign.channels, site=dataclasses.replace(site, branding=branding)
        ),
    )
    out = tmp_path / "site"
    render_site(campaign, out)
    css = (out / "static" / "site.css").read_text(encoding="utf-8")
    assert 'src: url("../media/assets/brand.woff2") format("woff2");' in css
    assert (out / "media" / "assets" / "brand.woff2").read_bytes() == b"wOF2 stand-in"
