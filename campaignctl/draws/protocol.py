"""The draw itself and its protocol: a pure function of rules, entries and seed.

Prize lines are drawn in the order the spec lists them, each prize unit one
pick; then the reserve winners, ``reserve_winners`` per prize line, ranked, in
the same order. Reserves come from the entries still in play, so nobody is
both a winner and a reserve beyond the per-person limit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from campaignctl.draws.entries import EntryList
from campaignctl.draws.errors import NoEligibleEntries, ProtocolInvalid
from campaignctl.draws.sampling import Sampler
from campaignctl.draws.seed import commitment
from campaignctl.draws.stream import DrawStream

FORMAT = "campaignctl-draw-protocol/1"
ALGORITHM = "hmac-sha256-stream/weighted-without-replacement/v1"

WinKind = Literal["winner", "reserve"]


@dataclass(frozen=True)
class PrizeLine:
    prize: str
    name: str
    value_rub: Decimal
    quantity: int


@dataclass(frozen=True)
class DrawRules:
    prizes: tuple[PrizeLine, ...]
    reserve_winners: int = 0
    max_wins_per_person: int = 1


@dataclass(frozen=True)
class Pick:
    prize: str
    kind: WinKind
    rank: int
    """Place among the units of this prize (winners) or reserve rank (reserves), from 1."""
    entry_id: str
    person: str


@dataclass(frozen=True)
class RoundInfo:
    """What the protocol says about the round; none of it changes the result."""

    campaign: str
    campaign_name: str
    organizer: str
    round: str
    round_name: str
    scheduled_at: str
    entries_start: str
    entries_end: str


@dataclass(frozen=True)
class Protocol:
    info: RoundInfo
    rules: DrawRules
    commitment: str
    committed_at: str
    seed: str
    """The revealed seed, hex."""
    entries_file: str
    entries_sha256: str
    entries_count: int
    total_weight: int
    persons: int
    drawn_at: str
    picks: tuple[Pick, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    """Display labels of the picked entries (masked phones); not part of the draw."""

    def as_json(self) -> dict[str, Any]:
        rules = asdict(self.rules)
        for line in rules["prizes"]:
            line["value_rub"] = str(line["value_rub"])
        return {
            "format": FORMAT,
            "algorithm": ALGORITHM,
            **asdict(self.info),
            "rules": rules,
            "commitment": {"sha256": self.commitment, "committed_at": self.committed_at},
            "seed": self.seed,
            "entries": {
                "file": self.entries_file,
                "sha256": self.entries_sha256,
                "count": self.entries_count,
                "total_weight": self.total_weight,
                "persons": self.persons,
            },
            "drawn_at": self.drawn_at,
            "picks": [{**asdict(p), "label": self.labels.get(p.entry_id)} for p in self.picks],
        }

    def write(self, path: Path) -> None:
        text = json.dumps(self.as_json(), ensure_ascii=False, indent=2)
        path.write_text(text + "\n", encoding="utf-8")

    def winners(self) -> tuple[Pick, ...]:
        return tuple(p for p in self.picks if p.kind == "winner")

    def reserves(self) -> tuple[Pick, ...]:
        return tuple(p for p in self.picks if p.kind == "reserve")


def draw(rules: DrawRules, entries: EntryList, seed: bytes) -> tuple[Pick, ...]:
    """The picks of a draw: deterministic in (rules, entries, seed)."""
    if not entries.entries:
        raise NoEligibleEntries("the round has no eligible entries")
    stream = DrawStream(seed, entries.sha256())
    sampler = Sampler(
        [e.weight for e in entries.entries],
        [e.person for e in entries.entries],
        rules.max_wins_per_person,
        stream,
    )
    plan: list[tuple[WinKind, PrizeLine, int]] = [
        *(("winner", line, line.quantity) for line in rules.prizes),
        *(("reserve", line, rules.reserve_winners) for line in rules.prizes),
    ]
    picks: list[Pick] = []
    for kind, line, count in plan:
        for rank in range(1, count + 1):
            index = sampler.pick()
            if index is None:
                break
            entry = entries.entries[index]
            picks.append(Pick(line.prize, kind, rank, entry.id, entry.person))
    return tuple(picks)


def run(
    info: RoundInfo,
    rules: DrawRules,
    entries: EntryList,
    seed: bytes,
    *,
    committed_at: str,
    drawn_at: str,
    entries_file: str = "entries.csv",
    labels: Mapping[str, str] | None = None,
) -> Protocol:
    """Draw and wrap the result in a protocol."""
    picks = draw(rules, entries, seed)
    return Protocol(
        info=info,
        rules=rules,
        commitment=commitment(seed),
        committed_at=committed_at,
        seed=seed.hex(),
        entries_file=entries_file,
        entries_sha256=entries.sha256(),
        entries_count=len(entries),
        total_weight=entries.total_weight,
        persons=entries.persons,
        drawn_at=drawn_at,
        picks=picks,
        labels={p.entry_id: labels[p.entry_id] for p in picks if labels and p.entry_id in labels},
    )


def load_protocol(path: Path) -> Protocol:
    """A protocol from its JSON; :class:`ProtocolInvalid` naming the field otherwise."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProtocolInvalid(f"cannot read the protocol: {exc.strerror}", path=path) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolInvalid(f"the protocol is not valid JSON: {exc}", path=path) from None
    try:
        return _from_json(raw)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise ProtocolInvalid(
            f"the protocol is malformed ({type(exc).__name__}: {exc})",
            hint=f"expected a {FORMAT} file written by 'campaignctl draw'",
            path=path,
        ) from None


def _from_json(raw: dict[str, Any]) -> Protocol:
    if raw["format"] != FORMAT:
        raise ValueError(f"format is {raw['format']!r}, expected {FORMAT!r}")
    if raw["algorithm"] != ALGORITHM:
        raise ValueError(f"unknown algorithm {raw['algorithm']!r}")
    info = RoundInfo(**{k: str(raw[k]) for k in RoundInfo.__dataclass_fields__})
    r = raw["rules"]
    rules = DrawRules(
        prizes=tuple(
            PrizeLine(str(p["prize"]), str(p["name"]), Decimal(p["value_rub"]), int(p["quantity"]))
            for p in r["prizes"]
        ),
        reserve_winners=int(r["reserve_winners"]),
        max_wins_per_person=int(r["max_wins_per_person"]),
    )
    if rules.max_wins_per_person < 1 or rules.reserve_winners < 0:
        raise ValueError("max_wins_per_person must be >= 1 and reserve_winners >= 0")
    picks = tuple(
        Pick(str(p["prize"]), p["kind"], int(p["rank"]), str(p["entry_id"]), str(p["person"]))
        for p in raw["picks"]
    )
    labels = {str(p["entry_id"]): str(p["label"]) for p in raw["picks"] if p.get("label")}
    e = raw["entries"]
    return Protocol(
        info=info,
        rules=rules,
        commitment=str(raw["commitment"]["sha256"]),
        committed_at=str(raw["commitment"]["committed_at"]),
        seed=str(raw["seed"]),
        entries_file=str(e["file"]),
        entries_sha256=str(e["sha256"]),
        entries_count=int(e["count"]),
        total_weight=int(e["total_weight"]),
        persons=int(e["persons"]),
        drawn_at=str(raw["drawn_at"]),
        picks=picks,
        labels=labels,
    )
