"""JSON Schema validation of campaign data, with messages written for people."""

from __future__ import annotations

import difflib
import json
import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from campaignctl.resources import schema_path
from campaignctl.spec.findings import Finding
from campaignctl.spec.loader import escape

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")

_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    date.fromisoformat(value)
    return True


@_FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATETIME.match(value):
        raise ValueError("expected date and time with offset, e.g. 2027-06-07T12:00:00+03:00")
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@_FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    if isinstance(value, str):
        uuid.UUID(value)
    return True


@cache
def campaign_schema() -> dict[str, Any]:
    with schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def is_slug(text: str) -> bool:
    """Whether ``text`` is a valid ``campaign.slug`` (the schema's own pattern)."""
    return re.fullmatch(campaign_schema()["$defs"]["slug"]["pattern"], text) is not None


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(campaign_schema(), format_checker=_FORMATS)


_JSON_TYPES = {
    dict: "a mapping",
    list: "a list",
    str: "a string",
    bool: "true/false",
    int: "an integer",
    float: "a number",
    type(None): "nothing (null)",
}


def _kind(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(schema: Any) -> str | None:
    """The description of a sub-schema, following local $refs."""
    for _ in range(5):
        if not isinstance(schema, dict):
            return None
        if "description" in schema:
            return str(schema["description"])
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            return None
        schema = campaign_schema()["$defs"].get(ref.removeprefix("#/$defs/"))
    return None


def _allowed(schema: Any, depth: int = 0) -> set[str]:
    """Field names a mapping may have, following local $refs and allOf parts."""
    if not isinstance(schema, dict) or depth > 5:
        return set()
    names = set(schema.get("properties", {}))
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        names |= _allowed(campaign_schema()["$defs"].get(ref.removeprefix("#/$defs/")), depth + 1)
    for part in schema.get("allOf", []):
        names |= _allowed(part, depth + 1)
    return names


def _pointer(parts: Any) -> str:
    return "".join(f"/{escape(str(p))}" for p in parts)


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The most specific errors under combinators (anyOf, allOf via if/then, $ref)."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        # Report the branch that got furthest rather than a wall of alternatives.
        best = jsonschema.exceptions.best_match(error.context)
        if best is not None and best.validator != "required":
            yield from _leaves(best)
            return
        yield error
        return
    yield error


def _finding(error: ValidationError) -> Finding:
    pointer = _pointer(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    description = _describe(schema)
    validator = error.validator
    value = error.instance
    if validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "?"
        sub = schema.get("properties", {}).get(name, {})
        return Finding(
            pointer, "error", f"missing required field '{name}'", _describe(sub), "schema.required"
        )
    if validator in ("additionalProperties", "unevaluatedProperties"):
        allowed = sorted(_allowed(schema))
        extra = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        name = extra[0] if extra else "?"
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
        return Finding(
            f"{pointer}/{escape(name)}",
            "error",
            f"unknown field '{name}'",
            hint,
            "schema.unknown-field",
            at_key=True,
        )
    if validator == "type":
        expected: Any = error.validator_value
        names = [str(n) for n in expected] if isinstance(expected, list) else [str(expected)]
        return Finding(
            pointer,
            "error",
            f"expected {' or '.join(names)}, found {_kind(value)} {_show(value)}",
            description,
            "schema.type",
        )
    if validator == "enum":
        values: Any = error.validator_value
        options = ", ".join(_show(v) for v in values)
        return Finding(
            pointer, "error", f"{_show(value)} is not one of: {options}", description, "schema.enum"
        )
    if validator == "const":
        return Finding(
            pointer,
            "error",
            f"must be {_show(error.validator_value)}, found {_show(value)}",
            description,
            "schema.const",
        )
    if validator == "pattern":
        return Finding(
            pointer,
            "error",
            f"{_show(value)} does not have the expected format",
            description,
            "schema.pattern",
        )
    if validator == "format":
        cause = str(error.cause) if error.cause else f"not a valid {error.validator_value}"
        return Finding(pointer, "error", f"{_show(value)}: {cause}", description, "schema.format")
    bounds = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "greater than",
        "exclusiveMaximum": "less than",
    }
    if validator in bounds:
        return Finding(
            pointer,
            "error",
            f"{_show(value)} is out of range: must be {bounds[str(validator)]} "
            f"{error.validator_value}",
            description,
            "schema.range",
        )
    sizes = {
        "minItems": "at least {} item(s)",
        "maxItems": "at most {} item(s)",
        "minLength": "at least {} character(s)",
        "maxLength": "at most {} character(s)",
        "minProperties": "at least {} field(s)",
    }
    if validator in sizes:
        need = sizes[str(validator)].format(error.validator_value)
        return Finding(pointer, "error", f"must have {need}", description, "schema.size")
    if validator == "uniqueItems":
        return Finding(pointer, "error", "items must be unique", description, "schema.unique")
    if validator in ("anyOf", "oneOf"):
        branches: Any = error.validator_value
        required = [str(req) for sub in branches for req in sub.get("required", [])]
        if required:
            return Finding(
                pointer,
                "error",
                f"needs at least one of: {', '.join(required)}",
                description,
                "schema.any-of",
            )
    return Finding(pointer, "error", error.message, description, f"schema.{validator}")


def schema_findings(data: Any) -> list[Finding]:
    findings: list[Finding] = []
    for error in _validator().iter_errors(data):
        for leaf in _leaves(error):
            findings.append(_finding(leaf))
    return findings
