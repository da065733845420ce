"""The campaign report in a real headless Chromium: renders, shows its charts, no console errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from campaignctl.reports.build import report
from tests.browser import tools
from tests.draws.seeding import drawn_bottle_caps


def test_final_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    seeder = drawn_bottle_caps(tmp_path)
    seeder.engine.dispose()
    written = report(seeder.campaign, final=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto((written.folder / "report.html").as_uri())
    assert page.locator("h1").inner_text().startswith("Итоговый отчет")
    assert page.locator("figure svg").count() >= 6
    box = page.locator("figure svg").first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.locator("table#draws, h2#draws").count() == 1
    artifacts = tools.ARTIFACTS / "report"
    artifacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artifacts / "final-report.png"), full_page=True)
    page.close()
    assert problems == []
