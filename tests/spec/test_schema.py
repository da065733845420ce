"""The schema itself: valid, documented, its examples pass, defaults match the model."""

from __future__ import annotations

import dataclasses
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from campaignctl.model import Campaign
from campaignctl.spec.schema import campaign_schema
from campaignctl.spec.validate import check_file

SCHEMA = campaign_schema()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target = SCHEMA["$defs"][node["$ref"].removeprefix("#/$defs/")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    for part in node.get("allOf", []):
        if "$ref" in part:
            base = _resolve(part)
            node = {
                **node,
                "properties": {**base.get("properties", {}), **node.get("properties", {})},
            }
    return node


def _properties(node: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    node = _resolve(node)
    found = []
    for name, prop in node.get("properties", {}).items():
        resolved = _resolve(prop)
        found.append((f"{path}.{name}", resolved))
        found += _properties(resolved, f"{path}.{name}")
        items = resolved.get("items")
        if isinstance(items, dict):
            found += _properties(items, f"{path}.{name}[]")
    return found


def test_schema_is_valid_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(
    ("path", "prop"), _properties(SCHEMA), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_property_is_described(path: str, prop: dict[str, Any]) -> None:
    assert prop.get("description"), f"{path} has no description"


def test_schema_examples_validate(tmp_path: Path) -> None:
    assert SCHEMA["examples"]
    for i, example in enumerate(SCHEMA["examples"]):
        path = tmp_path / f"example{i}.yaml"
        path.write_text(yaml.safe_dump(example, allow_unicode=True), encoding="utf-8")
        report = check_file(path)
        assert report.ok, [d.render() for d in report.errors]


def _dataclass_of(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        for arg in typing.get_args(hint):
            if arg is not type(None):
                return _dataclass_of(arg)
    if origin is tuple:
        return _dataclass_of(typing.get_args(hint)[0])
    return hint if dataclasses.is_dataclass(hint) else None


def _field_default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _normal(value: Any) -> Any:
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return Decimal(str(value))
    if isinstance(value, list | tuple):
        return tuple(_normal(v) for v in value)
    return value


def _defaults(node: dict[str, Any], cls: Any, path: str) -> list[tuple[str, Any, Any]]:
    node = _resolve(node)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    pairs = []
    for name, raw in node.get("properties", {}).items():
        if name not in fields:
            continue
        prop = _resolve(raw)
        if "default" in prop:
            pairs.append((f"{path}.{name}", prop["default"], _field_default(fields[name])))
        nested = _dataclass_of(hints[name])
        if nested is not None:
            sub = prop.get("items", prop) if prop.get("type") == "array" else prop
            pairs += _defaults(sub, nested, f"{path}.{name}")
    return pairs


DEFAULTS = _defaults(SCHEMA, Campaign, "")


def test_defaults_found() -> None:
    assert len(DEFAULTS) > 30


@pytest.mark.parametrize(
    ("path", "schema_default", "model_default"), DEFAULTS, ids=[p for p, _, _ in DEFAULTS]
)
def test_schema_default_matches_model(path: str, schema_default: Any, model_default: Any) -> None:
    assert _normal(schema_default) == _normal(model_default), path


def test_every_schema_field_is_in_the_model() -> None:
    hints = typing.get_type_hints(Campaign)
    names = {n for n in SCHEMA["properties"] if n != "$schema"}
    assert names <= set(hints)
