from __future__ import annotations

import pytest

from campaignctl.codes.alphabet import Alphabet, group
from campaignctl.model.codes import DEFAULT_ALPHABET


def test_normalise_upper_cases_and_drops_separators() -> None:
    a = Alphabet(DEFAULT_ALPHABET)
    assert a.normalise(" abcd-efgh jk\u2013lm ") == "ABCDEFGHJKLM"


def test_cyrillic_twins_become_latin() -> None:
    a = Alphabet(DEFAULT_ALPHABET)
    assert a.normalise("АВЕКМНРСТХУ") == "ABEKMHPCTXY"  # all Cyrillic
    assert a.normalise("авекм") == "ABEKM"


def test_default_alphabet_maps_no_lookalikes() -> None:
    # The default alphabet has neither 0 nor O, neither 1 nor I: guessing which was
    # meant could turn a typo into another code, so they stay foreign.
    a = Alphabet(DEFAULT_ALPHABET)
    assert a.normalise("0O1I") == "0O1I"
    assert a.digits("0O1I") is None
    assert a.normalise("25SZ8B") == "25SZ8B"  # both of each pair are in the alphabet


def test_lookalike_mapped_to_the_one_member_present() -> None:
    digits = Alphabet("0123456789")
    assert digits.normalise("O1I2Z5S8B") == "011225588"
    assert digits.normalise("о") == "0"  # Cyrillic о -> Latin O -> 0
    letters = Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert letters.normalise("01") == "OI"


def test_digits_round_trip_and_foreign_characters() -> None:
    a = Alphabet(DEFAULT_ALPHABET)
    digits = a.digits("2Z")
    assert digits == [0, 31]
    assert a.spell(digits) == "2Z"
    assert a.digits("2!") is None


@pytest.mark.parametrize("chars", ["AA", "A", "abc", "ЖЗ"])
def test_bad_alphabets_are_refused(chars: str) -> None:
    with pytest.raises(ValueError, match="alphabet"):
        Alphabet(chars)


def test_group() -> None:
    assert group("ABCDEFGHJK", 4) == "ABCD-EFGH-JK"
    assert group("ABCDEFGH", 4) == "ABCD-EFGH"
    assert group("ABCD", 0) == "ABCD"
