"""The JSON text of stored messages and of answers (campaignctl.jsontext)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from campaignctl import jsontext


def test_stored_text_has_sorted_keys_at_every_level_and_utf8() -> None:
    value = {"b": [{"z": 1, "a": "Анна"}], "a": None, "3": True}
    text = jsontext.sorted_text(value)
    # What json.dumps gives with sorted keys, no spaces and no \u escapes.
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert text == expected
    assert jsontext.sorted_bytes(value) == expected.encode("utf-8")
    assert json.loads(text) == {"a": None, "b": [{"a": "Анна", "z": 1}], "3": True}
    assert jsontext.sorted_text({2: "b", 1: "a"}) == '{"1":"a","2":"b"}'  # as json.dumps


def test_answers_keep_their_key_order() -> None:
    value = {"outcome": "draw_entry", "message": "Код принят!", "points": 0}
    assert jsontext.answer_bytes(value) == json.dumps(
        value, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


@pytest.mark.parametrize("value", [{"at": {1, 2}}, {"x": object()}, {"n": 2**70}])
def test_what_json_cannot_hold_is_a_type_error(value: object) -> None:
    with pytest.raises(TypeError):
        jsontext.sorted_bytes(value)
    with pytest.raises(TypeError):
        jsontext.answer_bytes(value)


def test_a_datetime_or_dataclass_is_refused_as_json_dumps_refuses_it() -> None:
    # A stored message must not quietly gain a value in a format of orjson's own.
    with pytest.raises(TypeError):
        jsontext.sorted_bytes({"at": datetime(2027, 6, 10, tzinfo=UTC)})
    with pytest.raises(TypeError):
        jsontext.answer_bytes({"at": _Point(1, 2)})


@dataclass
class _Point:
    x: int
    y: int
