"""The line-aware loader: positions, YAML 1.2 scalars, and bounds on hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaignctl.errors import SpecInvalid
from campaignctl.spec.loader import MAX_BYTES, Position, load_document


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return load_document(path)


def _rule(tmp_path: Path, data: bytes) -> tuple[str, int]:
    path = tmp_path / "c.yaml"
    path.write_bytes(data)
    with pytest.raises(SpecInvalid) as caught:
        load_document(path)
    diagnostic = caught.value.diagnostics[0]
    return diagnostic.rule, diagnostic.line


def test_positions_of_values_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("a:\n  b: 1\n  list:\n    - x\n    - {y: 2}\n", encoding="utf-8")
    doc = load_document(path)
    assert doc.data == {"a": {"b": 1, "list": ["x", {"y": 2}]}}
    assert doc.values["/a/b"] == Position(2, 6)
    assert doc.keys["/a/b"] == Position(2, 3)
    assert doc.values["/a/list/1/y"] == Position(5, 11)
    assert doc.locate("/a/list/7/z") == doc.values["/a/list"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("on", "on"),
        ("No", "No"),
        ("true", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("2027-05-01", "2027-05-01"),
        ("10:00", "10:00"),
        ("012", 12),
        ("0x1F", 31),
        ("0o17", 15),
        ("1.5e3", 1500.0),
        ("'42'", "42"),
        ('"true"', "true"),
        ("!!str 5", "5"),
        ("+7 495 123-45-67", "+7 495 123-45-67"),
    ],
)
def test_yaml_12_scalars(tmp_path: Path, text: str, expected: object) -> None:
    doc = _load(tmp_path, f"v: {text}\n")
    assert doc.data == {"v": expected}  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", [".nan", ".inf", "-.Inf", "1e400"])
def test_non_finite_numbers_are_refused(tmp_path: Path, text: str) -> None:
    assert _rule(tmp_path, f"a: 1\nv: {text}\n".encode()) == ("yaml.number", 2)


def test_anchors_and_aliases_are_allowed_within_bounds(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("data", "rule", "line"),
    [
        (b"a: 1\na: 2\n", "yaml.duplicate-key", 2),
        (b"a:\n  b: 1\n  b: 1\n", "yaml.duplicate-key", 3),
        (b"? [1]\n: x\n", "yaml.key", 1),
        (b"a: !!binary aGk=\n", "yaml.tag", 1),
        (b"a: [1, 2\n", "yaml.syntax", 2),
        (b"a: 1\n\tb: 2\n", "yaml.syntax", 2),
        (b"a: \x07\n", "yaml.syntax", 1),
        (b"\xff\xfe\x00a", "file.binary", 1),
        (b"ok: 1\nname: \xcf\xf0\xe8\n", "file.encoding", 2),
        (b"", "file.empty", 1),
        (b"---\n...\n", "file.empty", 1),
        (b"- 1\n", "file.root", 1),
        (b"a: 1\n---\nb: 2\n", "yaml.documents", 2),
    ],
)
def test_rejects_with_line(tmp_path: Path, data: bytes, rule: str, line: int) -> None:
    assert _rule(tmp_path, data) == (rule, line)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(SpecInvalid, match="error"):
        load_document(tmp_path / "absent.yaml")
    with pytest.raises(SpecInvalid) as caught:
        load_document(tmp_path)
    assert caught.value.diagnostics[0].rule == "file.read"


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    line = b"key_%08d: " + b"x" * 80 + b"\n"
    with path.open("wb") as handle:
        for i in range(20 * 1024 * 1024 // len(line) + 1):
            handle.write(line.replace(b"%08d", b"%08d" % i))
    assert path.stat().st_size > 20 * 1024 * 1024 > MAX_BYTES
    with pytest.raises(SpecInvalid) as caught:
        load_document(path)
    assert caught.value.diagnostics[0].rule == "file.size"
    assert "MiB" in caught.value.diagnostics[0].message


def test_depth_bound_does_not_recurse(tmp_path: Path) -> None:
    assert _rule(tmp_path, b"a: " + b"[" * 200_000 + b"]" * 200_000) == ("yaml.depth", 1)
    assert _rule(tmp_path, b"a: " + b"{b: " * 60 + b"1" + b"}" * 60) == ("yaml.depth", 1)
