"""Every page of every example is valid HTML, checked by the Nu validator (vnu) on Java."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.browser import tools


def test_every_page_is_valid_html(rendered: dict[str, Path]) -> None:
    java = tools.require_java()
    vnu = tools.require_npm_file(tools.VNU)
    pages = sorted(p for site in rendered.values() for p in site.glob("*.html"))
    assert len(pages) >= 18
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert problems == []
    assert result.returncode == 0
