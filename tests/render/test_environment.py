"""The Jinja environment: strict, overridable per campaign, clear errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from campaignctl.render.environment import TemplateFailed, environment, render_template


def _override(folder: Path, name: str, text: str) -> None:
    path = folder / "templates" / "testgroup" / name
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")


def test_campaign_override_is_used(tmp_path: Path) -> None:
    _override(tmp_path, "hello.txt", "Привет, {{ name }}! {{ day | ru_date }}")
    env = environment("testgroup", tmp_path)
    assert (
        render_template(env, "hello.txt", name="мир", day=date(2027, 1, 2))
        == "Привет, мир! 2 января 2027 г."
    )


def test_undefined_names_fail(tmp_path: Path) -> None:
    _override(tmp_path, "bad.txt", "{{ missing }}")
    with pytest.raises(TemplateFailed, match="undefined"):
        render_template(environment("testgroup", tmp_path), "bad.txt")


def test_syntax_error_names_the_file(tmp_path: Path) -> None:
    _override(tmp_path, "broken.html", "{% if %}")
    with pytest.raises(TemplateFailed, match=r"broken.html:1"):
        render_template(environment("testgroup", tmp_path), "broken.html")


def test_html_is_autoescaped(tmp_path: Path) -> None:
    _override(tmp_path, "page.html", "<p>{{ text }}</p>")
    out = render_template(environment("testgroup", tmp_path), "page.html", text="<script>")
    assert out == "<p>&lt;script&gt;</p>"
