from __future__ import annotations

import random

import numpy as np
import pytest

from campaignctl.codes.codec import KeyedCodec
from campaignctl.model.codes import DEFAULT_ALPHABET
from tests.codes.conftest import KEY


@pytest.fixture(scope="module")
def codec() -> KeyedCodec:
    return KeyedCodec(KEY, DEFAULT_ALPHABET, 10)


@pytest.mark.slow
def test_million_codes_unique_and_all_decode(codec: KeyedCodec) -> None:
    count = 1_000_000
    chars = codec.encode_range(0, count)
    assert chars.shape == (count, 11)
    rows = chars.view(np.dtype((np.void, 11))).ravel()
    assert np.unique(rows).size == count
    serials, ok = codec.decode_many(chars)
    assert ok.all()
    assert (serials == np.arange(count, dtype=np.uint64)).all()
    # The scalar path (what `check` and the runtime use) agrees on a sample.
    for i in range(0, count, 9973):
        text = bytes(chars[i]).decode()
        assert codec.encode(i) == text
        assert codec.decode(text).serial == i


def test_every_single_substitution_and_swap_is_a_typo(codec: KeyedCodec) -> None:
    for serial in (0, 1, 77_777):
        code = codec.encode(serial)
        for i in range(len(code)):
            for ch in DEFAULT_ALPHABET:
                if ch != code[i]:
                    wrong = code[:i] + ch + code[i + 1 :]
                    assert codec.decode(wrong).failure == "typo", wrong
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                wrong = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                assert codec.decode(wrong).failure == "typo", wrong


def test_random_strings_do_not_decode_to_issued_serials(codec: KeyedCodec) -> None:
    rng = random.Random(7)
    issued = 1_000_000
    failures = {"typo": 0, "serial": 0}
    for _ in range(20_000):
        text = "".join(rng.choice(DEFAULT_ALPHABET) for _ in range(11))
        decoded = codec.decode(text)
        if decoded.serial is None:
            assert decoded.failure == "typo"
            failures["typo"] += 1
        else:
            assert decoded.serial >= issued  # 1e6 of 1.1e15: a hit would be a bug
            failures["serial"] += 1
    # about 1/32 of random strings pass the check character
    assert 400 < failures["serial"] < 900


def test_without_check_character_every_string_decodes() -> None:
    codec = KeyedCodec(KEY, DEFAULT_ALPHABET, 8, check_character=False)
    assert codec.width == 8
    code = codec.encode(42)
    assert codec.decode(code).serial == 42
    assert codec.decode(code[::-1]).serial != 42


@pytest.mark.parametrize(
    ("text", "failure"),
    [("", "malformed"), ("ABC", "malformed"), ("2345678901O", "malformed")],
)
def test_malformed_input(codec: KeyedCodec, text: str, failure: str) -> None:
    assert codec.decode(text).failure == failure


def test_input_is_normalised_before_decoding(codec: KeyedCodec) -> None:
    code = codec.encode(31337)
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:]} "
    assert codec.decode(typed).serial == 31337


def test_decode_many_flags_foreign_characters_and_typos(codec: KeyedCodec) -> None:
    chars = codec.encode_range(0, 3).copy()
    chars[1, 0] = ord("0")  # not in the alphabet
    chars[2, 4] = ord("A") if chars[2, 4] != ord("A") else ord("B")
    _serials, ok = codec.decode_many(chars)
    assert ok.tolist() == [True, False, False]
