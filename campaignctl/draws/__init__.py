"""Verifiable prize draws: commit to a seed, draw from canonical entries, publish a protocol.

The flow: :func:`seed.new_seed` and its :func:`seed.commitment` (published
before the entries close) -> the eligible entries as an :class:`EntryList`
(canonical, hashed, publishable) -> :func:`protocol.run` (a pure function of
rules, entries and seed) -> the protocol JSON, HTML and PDF ->
:func:`verify.verify` re-runs it from the published files.
"""

from __future__ import annotations

from campaignctl.draws.entries import Entry, EntryList, parse_entries, person_id, read_entries
from campaignctl.draws.errors import (
    DrawError,
    EntriesInvalid,
    NoEligibleEntries,
    ProtocolInvalid,
    RoundAlreadyDrawn,
    VerificationFailed,
)
from campaignctl.draws.protocol import (
    DrawRules,
    Pick,
    PrizeLine,
    Protocol,
    RoundInfo,
    draw,
    load_protocol,
    run,
)
from campaignctl.draws.seed import commitment, new_seed
from campaignctl.draws.verify import Verified, verify

__all__ = [
    "DrawError",
    "DrawRules",
    "EntriesInvalid",
    "Entry",
    "EntryList",
    "NoEligibleEntries",
    "Pick",
    "PrizeLine",
    "Protocol",
    "ProtocolInvalid",
    "RoundAlreadyDrawn",
    "RoundInfo",
    "VerificationFailed",
    "Verified",
    "commitment",
    "draw",
    "load_protocol",
    "new_seed",
    "parse_entries",
    "person_id",
    "read_entries",
    "run",
    "verify",
]
