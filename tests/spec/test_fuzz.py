"""Mutated campaigns never make validation raise anything but diagnostics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaignctl.errors import SpecInvalid
from campaignctl.spec.loader import load_document
from campaignctl.spec.validate import check_document, check_file

BASE_PATH = Path(__file__).parent / "fixtures" / "base.yaml"
BASE_TEXT = BASE_PATH.read_text(encoding="utf-8")
BASE = yaml.safe_load(BASE_TEXT)

_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["2027-02-30", "2027-05-01", "2027-09-05T12:00:00+03:00", "8-800-555-35-35"]),
)
_value = st.recursive(
    _leaf,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*prefix, index))
    return found


PATHS = _paths(BASE)[1:]


def _mutate(data: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    else:
        parent[last] = value
    return data


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(PATHS), st.sampled_from(["set", "delete", "add"]), _value),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_data_only_yields_diagnostics(tmp_path: Path, mutations: list[Any]) -> None:
    data = yaml.safe_load(BASE_TEXT)
    for path, action, value in mutations:
        try:
            data = _mutate(data, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    text = yaml.safe_dump(data, allow_unicode=True)
    target = tmp_path / "fuzz.yaml"
    target.write_text(text, encoding="utf-8")
    report = check_file(target)  # must not raise
    assert report.ok == (report.campaign is not None)
    for diagnostic in report.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.column >= 1
        assert diagnostic.message


@settings(max_examples=300, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(BASE_TEXT)), junk=st.binary(max_size=12))
def test_mangled_bytes_only_yield_diagnostics(cut: int, junk: bytes) -> None:
    raw = BASE_TEXT.encode("utf-8")
    mangled = raw[:cut] + junk + raw[cut + len(junk) :]
    try:
        doc = load_document(BASE_PATH, mangled)
    except Exception as exc:  # the point is to classify every exception
        assert isinstance(exc, SpecInvalid), repr(exc)
        return
    report = check_document(doc)
    assert report.ok == (report.campaign is not None)
