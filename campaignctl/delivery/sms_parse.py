"""Read a code out of an SMS, the way people actually type it.

``cola 7kq4-m2xd 9fha``, ``КОЛА 7KQ4M2XD9FHA``, ``7КQ4 М2XD 9FНА`` and
``COLA7KQ4M2XD9FHA`` all carry the same code: case, spaces, dashes and
Cyrillic letters that look like Latin ones do not matter (the codes alphabet's
own normalisation, :meth:`campaignctl.codes.alphabet.Alphabet.normalise`). The
campaign's keyword is optional in front of the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaignctl.codes.alphabet import Alphabet
from campaignctl.model import Campaign
from campaignctl.model.codes import DEFAULT_ALPHABET

# Latin twins of Cyrillic capitals, to compare a keyword typed in either script.
_TWINS = str.maketrans("АВЕКМНОРСТХУ", "ABEKMHOPCTXY")


@dataclass(frozen=True)
class ParsedSms:
    code: str | None
    """The normalised code candidate; None when the message holds nothing to check."""
    keyword: bool
    """Whether the message started with the campaign's keyword."""


def _fold(text: str) -> str:
    return text.upper().translate(_TWINS)


class SmsParser:
    def __init__(self, alphabet: str, code_length: int, keyword: str | None) -> None:
        self.alphabet = Alphabet(alphabet)
        self.code_length = code_length
        self.keyword = _fold(keyword) if keyword else None

    @classmethod
    def for_campaign(cls, campaign: Campaign) -> SmsParser:
        codes = campaign.codes
        sms = campaign.channels.sms
        keyword = sms.keyword if sms is not None else None
        if codes is None:
            return cls(DEFAULT_ALPHABET, 0, keyword)
        return cls(codes.alphabet, codes.length + (1 if codes.check_character else 0), keyword)

    def parse(self, text: str) -> ParsedSms:
        words = text.split()
        seen = False
        if self.keyword and words:
            first = _fold(words[0]).strip(".,:;!")
            if first == self.keyword:
                words, seen = words[1:], True
            elif first.startswith(self.keyword) and self._fits(first[len(self.keyword) :]):
                words, seen = [words[0][len(self.keyword) :], *words[1:]], True
        candidate = self.alphabet.normalise(" ".join(words)).strip(".,:;!")
        return ParsedSms(candidate or None, seen)

    def _fits(self, rest: str) -> bool:
        norm = self.alphabet.normalise(rest)
        return len(norm) == self.code_length and self.alphabet.digits(norm) is not None
