"""A bounded, line-aware YAML loader for campaign files.

PyYAML's event stream is read iteratively (no recursion, so deep nesting cannot
overflow the stack) and turned into plain JSON-like data while the line and
column of every key and value are recorded by JSON Pointer. Scalars follow the
YAML 1.2 core schema: ``yes``/``no``/``on`` stay strings, ``2027-05-01`` stays a
string for the schema's ``format: date`` check, ``10:00`` is not a number.

Hostile input is bounded: file size, nesting depth, expanded node count (alias
bombs) and anchors; duplicate keys, merge keys and unknown tags are rejected.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from campaignctl.errors import Diagnostic, SpecInvalid

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 48
MAX_NODES = 100_000
MAX_ANCHORS = 200

_Parser: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")

_CORE_TAG = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Document:
    """Parsed campaign data with the source position of every value and key."""

    path: Path
    data: Any
    values: dict[str, Position] = field(default_factory=dict)
    keys: dict[str, Position] = field(default_factory=dict)

    def locate(self, pointer: str, *, key: bool = False) -> Position:
        """Position of ``pointer``, or of its nearest located ancestor."""
        table = self.keys if key else self.values
        probe = pointer
        while True:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            if not probe:
                return Position(1, 1)
            probe = probe.rsplit("/", 1)[0]


def escape(token: str) -> str:
    """Escape one JSON Pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


class _Abort(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str | None, rule: str) -> None:
        super().__init__(message)
        self.diagnostic = (line, column, message, hint, rule)


def _mark(event: Any) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1)


def _scalar(event: Any) -> Any:
    value: str = event.value
    tag: str | None = event.tag
    plain = event.implicit[0] and not event.style
    if tag in (None, "!") and not plain:
        return value
    if tag not in (None, "!"):
        short = tag.removeprefix(_CORE_TAG)
        if short == "str":
            return value
        if short not in ("int", "float", "bool", "null"):
            pos = _mark(event)
            raise _Abort(
                pos.line,
                pos.column,
                f"unsupported YAML tag {tag!r}",
                "campaign files use plain values: strings, numbers, true/false, lists, mappings",
                "yaml.tag",
            )
    return _resolve_plain(value)


def _resolve_plain(value: str) -> Any:
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT10.match(value):
        return int(value)
    if _INT8.match(value):
        return int(value[2:], 8)
    if _INT16.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    pointer: str
    anchor: str | None
    nodes_at_start: int
    pending_key: str | None = None
    key_position: Position | None = None


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.root: Any = None
        self.documents = 0

    def _abort(self, event: Any, message: str, hint: str | None, rule: str) -> _Abort:
        pos = _mark(event)
        return _Abort(pos.line, pos.column, message, hint, rule)

    def _count(self, event: Any, amount: int) -> None:
        self.nodes += amount
        if self.nodes > MAX_NODES:
            raise self._abort(
                event,
                f"the document expands to more than {MAX_NODES:,} values",
                "aliases (*name) that multiply anchors (&name) look like an alias bomb; "
                "write the values out",
                "yaml.size",
            )

    def _child_pointer(self, event: Any) -> str:
        """Pointer of the value that ``event`` starts, once it is known to be a value."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if isinstance(top.container, list):
            return f"{top.pointer}/{len(top.container)}"
        return f"{top.pointer}/{escape(top.pending_key or '')}"

    def _expects_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and isinstance(top.container, dict) and top.pending_key is None

    def _place(self, event: Any, value: Any, pointer: str) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            return
        top.container[top.pending_key or ""] = value
        top.pending_key = None

    def _remember(self, anchor: str | None, value: Any, size: int, event: Any) -> None:
        if anchor is None:
            return
        if len(self.anchors) >= MAX_ANCHORS:
            raise self._abort(event, f"more than {MAX_ANCHORS} anchors", None, "yaml.size")
        self.anchors[anchor] = (value, size)

    def _key(self, event: Any) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise self._abort(
                event,
                "mapping keys must be plain strings",
                "a list or mapping cannot be used as a key",
                "yaml.key",
            )
        top = self.stack[-1]
        key = _scalar(event)
        if key == "<<" and event.implicit[0]:
            raise self._abort(
                event, "merge keys (<<) are not supported", "write the values out", "yaml.merge"
            )
        if not isinstance(key, str):
            key = event.value
            if event.style is None and key in ("", "~", "null"):
                raise self._abort(event, "a mapping key is empty", None, "yaml.key")
        if not isinstance(top.container, dict):  # pragma: no cover - guarded by _expects_key
            raise TypeError("a key outside a mapping")
        pointer = f"{top.pointer}/{escape(key)}"
        if key in top.container or pointer in self.doc.keys:
            first = self.doc.keys.get(pointer)
            where = f" (first defined on line {first.line})" if first else ""
            raise self._abort(
                event,
                f"duplicate key {key!r}{where}",
                "each key may appear once in a mapping; remove or merge the duplicate",
                "yaml.duplicate-key",
            )
        top.pending_key = key
        self.doc.keys[pointer] = _mark(event)

    def feed(self, event: Any) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self._abort(
                    event,
                    "more than one YAML document in the file",
                    "a campaign file holds exactly one document; remove the extra '---'",
                    "yaml.documents",
                )
            return
        if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent | yaml.DocumentEndEvent):
            return
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = self.stack.pop()
            size = self.nodes - frame.nodes_at_start
            self._remember(frame.anchor, frame.container, size, event)
            self._place(event, frame.container, frame.pointer)
            return
        if self._expects_key():
            self._key(event)
            return
        pointer = self._child_pointer(event)
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise self._abort(event, f"unknown alias *{event.anchor}", None, "yaml.alias")
            value, size = self.anchors[event.anchor]
            self._count(event, size)
            self.doc.values[pointer] = _mark(event)
            self._place(event, value, pointer)
            return
        self._count(event, 1)
        self.doc.values[pointer] = _mark(event)
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar(event)
            if isinstance(value, float) and not math.isfinite(value):
                raise self._abort(
                    event,
                    f"{event.value!r} is not a finite number",
                    "campaign values are ordinary numbers; quote it if it is text",
                    "yaml.number",
                )
            self._remember(event.anchor, value, 1, event)
            self._place(event, value, pointer)
            return
        if len(self.stack) >= MAX_DEPTH:
            raise self._abort(
                event,
                f"nesting deeper than {MAX_DEPTH} levels",
                "campaign files are a few levels deep; check for runaway brackets",
                "yaml.depth",
            )
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        self.stack.append(_Frame(container, pointer, event.anchor, self.nodes))


def _events(text: str) -> Iterator[Any]:
    return yaml.parse(text, Loader=_Parser)


def _fail(path: Path, line: int, column: int, message: str, hint: str | None, rule: str) -> None:
    diagnostic = Diagnostic(str(path), line, column, "", "error", message, hint, rule)
    raise SpecInvalid(path, [diagnostic])


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        _fail(
            path,
            line,
            column,
            "binary data (NUL byte)",
            "expected a UTF-8 YAML text file",
            "file.binary",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        _fail(
            path,
            line,
            column,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8; Windows-1251 files must be converted",
            "file.encoding",
        )
    raise AssertionError("unreachable")  # pragma: no cover


def read_bytes(path: Path) -> bytes:
    """Read a campaign file, refusing anything too large to be one."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            _fail(
                path,
                1,
                1,
                "is a folder, not a campaign file",
                "pass the campaign.yaml inside it",
                "file.read",
            )
        if size > MAX_BYTES:
            _fail(
                path,
                1,
                1,
                f"file is {size / 1024 / 1024:.1f} MiB; campaign files are limited to "
                f"{MAX_BYTES // 1024 // 1024} MiB",
                "code lists and data belong in separate files, not in campaign.yaml",
                "file.size",
            )
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        _fail(path, 1, 1, "file not found", None, "file.read")
    except PermissionError:
        _fail(path, 1, 1, "permission denied", "check the file's permissions", "file.read")
    except OSError as exc:
        _fail(path, 1, 1, f"cannot read the file: {exc.strerror}", None, "file.read")
    raise AssertionError("unreachable")  # pragma: no cover


def load_document(path: Path, raw: bytes | None = None) -> Document:
    """Parse ``path`` (or ``raw`` bytes said to come from it) into a :class:`Document`."""
    text = _decode(path, read_bytes(path) if raw is None else raw)
    if len(text.encode("utf-8")) > MAX_BYTES:
        _fail(path, 1, 1, "file too large", None, "file.size")
    doc = Document(path=path, data=None)
    builder = _Builder(doc)
    try:
        for event in _events(text):
            builder.feed(event)
    except _Abort as abort:
        _fail(path, *abort.diagnostic)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        _fail(
            path,
            line,
            column,
            f"YAML syntax error: {problem}{context}",
            "check indentation and quoting around this point",
            "yaml.syntax",
        )
    except yaml.YAMLError as exc:
        _fail(path, 1, 1, f"YAML error: {exc}", None, "yaml.syntax")
    if builder.documents == 0 or builder.root is None:
        _fail(
            path,
            1,
            1,
            "the file is empty",
            "a campaign file is a mapping; start from an example in examples/",
            "file.empty",
        )
    if not isinstance(builder.root, dict):
        kind = (
            "a list" if isinstance(builder.root, list) else f"a single value ({builder.root!r:.40})"
        )
        _fail(
            path,
            1,
            1,
            f"the top level must be a mapping of settings, found {kind}",
            "start with 'campaign:' and the other sections as keys",
            "file.root",
        )
    doc.data = builder.root
    return doc
