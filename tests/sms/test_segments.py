"""SMS segment counting at the limits of both encodings."""

from __future__ import annotations

import pytest

from campaignctl.sms.segments import count, encoding_of


@pytest.mark.parametrize(
    ("text", "encoding", "units", "parts"),
    [
        ("", "GSM-7", 0, 1),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),
        ("€" * 81, "GSM-7", 162, 2),
        # 152 septets then an escape pair: the pair moves to part two.
        ("a" * 152 + "€" + "a" * 10, "GSM-7", 164, 2),
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),
        ("я" * 70, "UCS-2", 70, 1),
        ("я" * 71, "UCS-2", 71, 2),
        ("я" * 134, "UCS-2", 134, 2),
        ("я" * 135, "UCS-2", 135, 3),
        # One Cyrillic letter makes the whole Latin text UCS-2.
        ("Code " + "a" * 64 + "ж", "UCS-2", 70, 1),
        # A surrogate pair is two units and never split between parts.
        ("я" * 66 + "😀" + "я" * 5, "UCS-2", 73, 2),
        ("я" * 68 + "😀", "UCS-2", 70, 1),
        ("я" * 69 + "😀", "UCS-2", 71, 2),
    ],
)
def test_count(text: str, encoding: str, units: int, parts: int) -> None:
    result = count(text)
    assert (result.encoding, result.units, result.parts) == (encoding, units, parts)
    assert result.characters == len(text)


def test_rouble_sign_and_guillemets_are_not_gsm7() -> None:
    assert encoding_of("100 ₽") == "UCS-2"
    assert encoding_of("«Бриз»") == "UCS-2"
    assert encoding_of("Price: 100 EUR [ok]") == "GSM-7"


def test_limits_follow_the_encoding() -> None:
    assert (count("a").single_limit, count("a").part_limit) == (160, 153)
    assert (count("я").single_limit, count("я").part_limit) == (70, 67)
