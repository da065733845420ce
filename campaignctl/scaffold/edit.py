"""Targeted edits of scalar values in a YAML text, keeping comments and layout.

The campaign file is composed (PyYAML's node tree keeps where every scalar
starts and ends in the text) and only the characters of the edited values are
replaced; everything else - comments, blank lines, flow mappings, key order,
quoting style - stays as the author wrote it. Callers first load the file with
the bounded loader, so the text is known to be one safe, alias-free document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from campaignctl.spec.loader import escape

Scalar = str | int | float | bool
_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+:@/-]*$")
_PLAIN_TYPED = re.compile(r"^(?:[-+]?[0-9][0-9_.eE+-]*|true|false|null|~|yes|no|on|off)$", re.I)


@dataclass(frozen=True)
class Span:
    """Where a scalar value sits in the text (character offsets, end exclusive)."""

    start: int
    end: int
    line: int
    column: int
    style: str | None


def scalar_spans(text: str) -> dict[str, Span]:
    """The span of every scalar value by JSON Pointer."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    spans: dict[str, Span] = {}
    stack: list[tuple[str, Any]] = [("", root)] if root is not None else []
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend((f"{pointer}/{escape(str(k.value))}", v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(node.value))
        elif isinstance(node, yaml.ScalarNode):
            start, end = node.start_mark.index, node.end_mark.index
            if node.style in ("|", ">"):
                end = start + len(text[start:end].rstrip())
            spans[pointer] = Span(
                start, end, node.start_mark.line + 1, node.start_mark.column + 1, node.style
            )
    return spans


def _mapping(text: str, pointer: str) -> Any:
    node: Any = yaml.compose(text, Loader=yaml.SafeLoader)
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        node = {k.value: v for k, v in node.value}[key]
    if not isinstance(node, yaml.MappingNode):
        raise KeyError(f"{pointer} is not a mapping")
    return node


def render_scalar(value: Scalar, style: str | None = None) -> str:
    """``value`` as YAML text, in the original quoting style where that is safe."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style is None and _PLAIN_SAFE.match(value) and not _PLAIN_TYPED.match(value):
        return value
    if style is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}(T[0-9:.+-]+Z?)?", value):
        return value  # dates stay plain: campaign files read them as text (YAML 1.2)
    return json.dumps(value, ensure_ascii=False)


def apply_edits(text: str, edits: Mapping[str, Scalar]) -> str:
    """Replace the scalar at each pointer with its new value."""
    spans = scalar_spans(text)
    missing = [p for p in edits if p not in spans]
    if missing:
        raise KeyError(f"not scalar values in the file: {', '.join(missing)}")
    out = text
    for pointer in sorted(edits, key=lambda p: spans[p].start, reverse=True):
        span = spans[pointer]
        out = out[: span.start] + render_scalar(edits[pointer], span.style) + out[span.end :]
    return out


def insert_after(text: str, mapping: str, after_key: str, key: str, value: Scalar) -> str:
    """Add ``key: value`` to the mapping at ``mapping``, right after ``after_key``."""
    node = _mapping(text, mapping)
    for key_node, value_node in node.value:
        if key_node.value != after_key:
            continue
        entry = f"{key}: {render_scalar(value)}"
        if node.flow_style:
            end = value_node.end_mark.index
            return f"{text[:end]}, {entry}{text[end:]}"
        line_end = text.find("\n", value_node.end_mark.index)
        line_end = len(text) if line_end == -1 else line_end
        indent = " " * key_node.start_mark.column
        return f"{text[:line_end]}\n{indent}{entry}{text[line_end:]}"
    raise KeyError(f"{mapping}/{after_key} not found")
