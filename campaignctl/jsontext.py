"""JSON text for what the runtime writes on every registration: messages and answers.

A registration encodes JSON three times (the CRM request it queues, that
message's outbox row, the answer), and the standard library's encoder was a
tenth of a registration's CPU; orjson writes the same JSON in a tenth of the
time. The output is compact UTF-8 (no ``\\uXXXX`` escapes for Cyrillic), as the
API's answers always were; stored messages used to carry spaces after ``,`` and
``:``, and both kinds read back alike. Everything else (reports, exports, the
CLI's ``--json``) keeps :mod:`json`: it runs once, and its output is read by people.
"""

from __future__ import annotations

from typing import Any

import orjson

# Like json.dumps: int keys become strings; datetimes and dataclasses are refused
# (orjson would write them, in a format no reader of ours expects).
_STRICT = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)
_SORTED = _STRICT | orjson.OPT_SORT_KEYS


def sorted_bytes(value: Any) -> bytes:
    """``value`` as JSON with sorted keys (one text per value: what is sealed and stored).

    Raises :class:`TypeError` for what JSON cannot hold, as :func:`json.dumps` does.
    """
    return _dumps(value, _SORTED)


def sorted_text(value: Any) -> str:
    """:func:`sorted_bytes` as a string."""
    return sorted_bytes(value).decode("utf-8")


def answer_bytes(value: Any) -> bytes:
    """``value`` as JSON in its own key order: an HTTP answer's body."""
    return _dumps(value, _STRICT)


def _dumps(value: Any, option: int) -> bytes:
    try:
        return orjson.dumps(value, option=option)
    except orjson.JSONEncodeError as exc:
        raise TypeError(str(exc)) from exc
