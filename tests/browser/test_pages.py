"""Every page of every example in a real Chromium: screenshots, console, accessibility."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser import tools
from tests.browser.server import serve
from tests.render.site.examples import EXAMPLES

WIDTHS = (375, 1280)
SCREENSHOT_PAGES = ("index", "register", "winners")


def _pages(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.html"))


@pytest.mark.parametrize("example", EXAMPLES)
def test_pages_have_no_console_errors_under_the_sites_own_csp(
    browser: Any, sites: dict[str, Path], example: str
) -> None:
    """CSP violations, script errors and missing files (any 4xx/5xx answer) fail the test."""
    errors: list[str] = []
    with serve(sites[example]) as (base, _api):
        page = browser.new_page()
        page.on(
            "console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None
        )
        page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        page.on(
            "response", lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None
        )
        visited = []
        for name in _pages(sites[example]):
            page.goto(f"{base}/{name}", wait_until="load")
            if name == "winners.html":  # its script fetches the winners after load
                # A locator wait, not wait_for_function: that polls by eval() inside the
                # page, which the site's CSP refuses when the text is not there at once.
                status = page.locator(".winners-status").filter(has_text=re.compile(r"\S"))
                status.wait_for()
            visited.append(name)
        page.close()
    assert "index.html" in visited
    assert errors == []


@pytest.mark.parametrize("example", EXAMPLES)
def test_screenshots_at_phone_and_desktop_widths(
    browser: Any, sites: dict[str, Path], example: str, artifacts: Path
) -> None:
    pages = [p for p in SCREENSHOT_PAGES if (sites[example] / f"{p}.html").exists()]
    with serve(sites[example]) as (base, _api):
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            for name in pages:
                page.goto(f"{base}/{name}.html", wait_until="load")
                # Mobile first: nothing may stick out sideways at any width.
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name}.html scrolls sideways by {overflow}px at {width}px"
                shot = artifacts / f"{example}-{name}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
            context.close()


@pytest.mark.parametrize("example", EXAMPLES)
def test_axe_finds_no_serious_or_critical_violations(
    browser: Any, sites: dict[str, Path], example: str
) -> None:
    axe = tools.require_npm_file(tools.AXE)
    found: dict[str, list[str]] = {}
    with serve(sites[example]) as (base, _api):
        # axe is injected as a script, which the site's own CSP rightly refuses.
        context = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 800})
        context.add_init_script(path=str(axe))
        page = context.new_page()
        for name in _pages(sites[example]):
            page.goto(f"{base}/{name}", wait_until="load")
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            bad = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
                for v in result["violations"]
                if v["impact"] in {"serious", "critical"}
            ]
            if bad:
                found[name] = bad
            assert result["passes"], "axe ran no checks"
        context.close()
    assert found == {}


def test_axe_harness_reports_a_known_violation(browser: Any, tmp_path: Path) -> None:
    """The scan above can fail: an image without alt text is a critical violation."""
    axe = tools.require_npm_file(tools.AXE)
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="ru"><title>x</title><img src="x.png"></html>',
        encoding="utf-8",
    )
    with serve(tmp_path) as (base, _api):
        context = browser.new_context(bypass_csp=True)
        context.add_init_script(path=str(axe))
        page = context.new_page()
        page.goto(f"{base}/bad.html", wait_until="load")
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        context.close()
    assert ("image-alt", "critical") in {(v["id"], v["impact"]) for v in result["violations"]}
