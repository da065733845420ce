"""Commit to a round's seed and draw it against the state database.

``commit_round`` makes and seals the seed and stores its public commitment
(shown on the site's winners data before the entries close). ``draw_round``
collects the eligible entries, reveals the seed, draws, writes the published
files (entries.csv, protocol.json, protocol.html, protocol.pdf) and records
the winners, all or nothing: a failed draw leaves no files and no winners.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from campaignctl.codes.keys import subkey
from campaignctl.draws import hooks
from campaignctl.draws.book import (
    RoundRow,
    WinnerRow,
    add_commitment,
    add_winners,
    get_round,
    mark_drawn,
)
from campaignctl.draws.document import write_documents
from campaignctl.draws.eligibility import eligible_entries
from campaignctl.draws.errors import NoEligibleEntries, RoundAlreadyDrawn
from campaignctl.draws.protocol import Protocol, run
from campaignctl.draws.rounds import find_round, round_info, round_rules
from campaignctl.draws.seed import commitment, new_seed
from campaignctl.model import Campaign
from campaignctl.runtime.phones import mask_phone
from campaignctl.runtime.sealing import Sealer, ensure_sealer
from campaignctl.state import database_url
from campaignctl.store import open_engine, upgrade
from campaignctl.store.runtime_tables import participants

Clock = Callable[[], datetime]
PUBLISHED_DIR = "draws"
"""Published draw files live in ``<campaign folder>/draws/<round>/``."""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Committed:
    round: str
    commitment: str
    committed_at: datetime
    new: bool


@dataclass(frozen=True)
class Drawn:
    protocol: Protocol
    folder: Path
    files: tuple[Path, ...]


def _seed_context(round_id: str) -> bytes:
    return f"draw-seed:{round_id}".encode()


def person_key(campaign: Campaign) -> bytes:
    """The key behind the published person ids; derived from the campaign key ring."""
    sealer = ensure_sealer(campaign.folder)
    return subkey(sealer.hash_key, "draws/person/v1")


def _open(campaign: Campaign, url: str | None) -> Engine:
    engine = open_engine(url or database_url(campaign.folder))
    upgrade(engine)
    return engine


def _commit(conn: Connection, sealer: Sealer, round_id: str, now: datetime) -> RoundRow:
    seed = new_seed()
    sealed = sealer.seal(seed.hex(), context=_seed_context(round_id))
    add_commitment(conn, round_id, commitment(seed), sealed, now)
    row = get_round(conn, round_id)
    assert row is not None  # noqa: S101 - just inserted in this transaction
    return row


def commit_round(
    campaign: Campaign, round_name: str, *, url: str | None = None, clock: Clock = _now
) -> Committed:
    """Commit to a fresh seed for the round; an existing commitment is kept and returned."""
    draw = find_round(campaign, round_name)
    sealer = ensure_sealer(campaign.folder)
    engine = _open(campaign, url)
    try:
        with engine.begin() as conn:
            row = get_round(conn, draw.id)
            if row is not None and row.state == "drawn":
                raise _already(campaign, row)
            new = row is None
            if row is None:
                row = _commit(conn, sealer, draw.id, clock())
    finally:
        engine.dispose()
    return Committed(draw.id, row.commitment, row.committed_at, new)


def _already(campaign: Campaign, row: RoundRow) -> RoundAlreadyDrawn:
    when = row.drawn_at.isoformat() if row.drawn_at else "earlier"
    return RoundAlreadyDrawn(
        f"round {row.id} was drawn already ({when}); a round is drawn once",
        hint=f"its protocol: {row.protocol}; to check it run 'campaignctl draw verify "
        f"{row.protocol}'",
        path=campaign.source,
    )


def published_folder(campaign: Campaign, round_id: str) -> Path:
    return campaign.folder / PUBLISHED_DIR / round_id


def _labels(conn: Connection, sealer: Sealer, ids: set[int]) -> dict[int, str]:
    rows = conn.execute(
        select(participants.c.id, participants.c.phone_sealed).where(participants.c.id.in_(ids))
    )
    return {int(r.id): mask_phone(sealer.open(bytes(r.phone_sealed))) for r in rows}


def draw_round(
    campaign: Campaign, round_name: str, *, url: str | None = None, clock: Clock = _now
) -> Drawn:
    """Draw the round once; see the module docstring for what is written."""
    draw = find_round(campaign, round_name)
    target = published_folder(campaign, draw.id)
    sealer = ensure_sealer(campaign.folder)
    key = subkey(sealer.hash_key, "draws/person/v1")
    engine = _open(campaign, url)
    staging: Path | None = None
    try:
        with engine.begin() as conn:
            row = get_round(conn, draw.id)
            if row is not None and row.state == "drawn":
                raise _already(campaign, row)
            if target.exists():
                raise RoundAlreadyDrawn(
                    f"{target} exists: round {draw.id} was drawn before (with another database?)",
                    hint="move the folder away only if that draw was never published",
                    path=campaign.source,
                )
            entries, owners = eligible_entries(conn, campaign, draw, key)
            if not entries.entries:
                raise NoEligibleEntries(
                    f"round {draw.id} has no eligible entries (window "
                    f"{draw.entries.start}..{draw.entries.end}); nothing was drawn or written",
                    hint="check the entries window, moderation of receipts and voided batches",
                    path=campaign.source,
                )
            now = clock()
            if row is None:
                row = _commit(conn, sealer, draw.id, now)
            seed = bytes.fromhex(sealer.open(row.seed_sealed, context=_seed_context(draw.id)))
            drawn = run(
                round_info(campaign, draw),
                round_rules(campaign, draw),
                entries,
                seed,
                committed_at=row.committed_at.astimezone(draw.at.tzinfo).isoformat(),
                drawn_at=now.astimezone(draw.at.tzinfo).isoformat(),
            )
            masked = _labels(conn, sealer, {owners[p.entry_id] for p in drawn.picks})
            protocol = replace(
                drawn, labels={p.entry_id: masked[owners[p.entry_id]] for p in drawn.picks}
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{draw.id}.partial-", dir=target.parent))
            entries.write(staging / protocol.entries_file)
            protocol.write(staging / "protocol.json")
            write_documents(protocol, staging)
            relative = str((target / "protocol.json").relative_to(campaign.folder))
            mark_drawn(
                conn,
                draw.id,
                entries_sha256=protocol.entries_sha256,
                entries_count=protocol.entries_count,
                seed=protocol.seed,
                protocol=relative,
                now=now,
            )
            rows = [
                WinnerRow(
                    round_id=draw.id,
                    prize_id=p.prize,
                    kind=p.kind,
                    rank=p.rank,
                    registration_id=p.entry_id,
                    participant_id=owners[p.entry_id],
                    person=p.person,
                    phone_masked=masked[owners[p.entry_id]],
                    value_kopecks=_kopecks(campaign, p.prize),
                    claim_state="drawn" if p.kind == "winner" else "reserve",
                )
                for p in protocol.picks
            ]
            add_winners(conn, rows, now)
            # The delivery part registers the CRM winner update as a plugin.
            from campaignctl.runtime import plugins  # noqa: PLC0415 - avoids an import cycle

            plugins.install()
            for hook in hooks.AFTER_DRAW:
                hook(conn, campaign, protocol)
            staging.rename(target)
            staging = None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        engine.dispose()
    return Drawn(protocol, target, tuple(sorted(target.iterdir())))


def _kopecks(campaign: Campaign, prize_id: str) -> int:
    prize = campaign.prize(prize_id)
    value = prize.value_rub if prize is not None else Decimal(0)
    return int(value * 100)
