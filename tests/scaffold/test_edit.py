"""In-place YAML edits keep everything but the edited values."""

from __future__ import annotations

import pytest

from campaignctl.scaffold.edit import apply_edits, insert_after, render_scalar

TEXT = """\
# top comment
campaign:
  slug: old-slug   # keep me
  name: >-
    Folded name
    over lines
period: {start: 2027-05-01, end: "2027-09-30"}
list:
  - 'quoted'
  - 42
"""


def test_edits_touch_only_their_values() -> None:
    out = apply_edits(
        TEXT,
        {
            "/campaign/slug": "new-slug",
            "/period/start": "2028-04-29",
            "/period/end": "2028-09-28",
            "/list/0": "it's",
            "/list/1": 43,
            "/campaign/name": "Новое: имя",
        },
    )
    assert (
        out
        == """\
# top comment
campaign:
  slug: new-slug   # keep me
  name: "Новое: имя"
period: {start: 2028-04-29, end: "2028-09-28"}
list:
  - 'it''s'
  - 43
"""
    )


def test_unknown_pointer_is_refused() -> None:
    with pytest.raises(KeyError):
        apply_edits(TEXT, {"/campaign/nope": "x"})


def test_insert_after_block_and_flow() -> None:
    out = insert_after(TEXT, "/campaign", "slug", "id", "0b5e7a52")
    assert "  slug: old-slug   # keep me\n  id: 0b5e7a52\n  name: >-" in out
    flow = insert_after("c: {slug: a}\n", "/c", "slug", "id", "x1")
    assert flow == "c: {slug: a, id: x1}\n"


@pytest.mark.parametrize(
    ("value", "style", "text"),
    [
        ("2027-05-01", None, "2027-05-01"),
        ("2027-05-01T12:00:00+03:00", None, "2027-05-01T12:00:00+03:00"),
        ("yes", None, '"yes"'),
        ("123", None, '"123"'),
        ("a: b", None, '"a: b"'),
        ("x", '"', '"x"'),
        (True, None, "true"),
        (2.5, None, "2.5"),
    ],
)
def test_render_scalar(value: str | bool | float, style: str | None, text: str) -> None:
    assert render_scalar(value, style) == text
