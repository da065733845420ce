"""The narrow interface between codes and the database: batches, voids, redemptions.

Callers see rows and serial numbers only; no code string crosses this boundary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, and_, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from campaignctl.store.tables import code_batches, code_redemptions, code_voids, imported_codes


@dataclass(frozen=True)
class BatchRow:
    id: int
    name: str
    scheme: str
    first_serial: int
    count: int
    state: str
    key_version: int = 1

    @property
    def end_serial(self) -> int:
        """One past the last serial."""
        return self.first_serial + self.count

    def holds(self, serial: int) -> bool:
        return self.first_serial <= serial < self.end_serial


@dataclass(frozen=True)
class VoidRow:
    batch_id: int
    first_serial: int
    last_serial: int
    """Inclusive."""
    reason: str


def _now() -> datetime:
    return datetime.now(UTC)


class CodeStore:
    """Batches, voided serial ranges, redeemed serials and imported-code hashes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- batches ----------------------------------------------------------------

    def batches(self) -> list[BatchRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(code_batches).order_by(code_batches.c.first_serial))
            return [_batch(r) for r in rows]

    def batch(self, name: str) -> BatchRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(code_batches).where(code_batches.c.name == name)).first()
        return _batch(row) if row is not None else None

    def allocate(self, name: str, count: int, scheme: str, key_version: int = 1) -> BatchRow | None:
        """A new batch in state ``generating`` after the last serial given out so far.

        None when the name is taken. Serials are never reused, voided or not. Two
        concurrent allocations may read the same last serial; the unique constraint
        on ``first_serial`` lets one of them commit and the other tries again.
        """
        for _attempt in range(20):
            try:
                return self._allocate(name, count, scheme, key_version)
            except IntegrityError:
                continue
        raise RuntimeError("could not allocate a serial range after 20 attempts")

    def _allocate(self, name: str, count: int, scheme: str, key_version: int) -> BatchRow | None:
        with self.engine.begin() as conn:
            taken = conn.execute(select(code_batches.c.id).where(code_batches.c.name == name))
            if taken.first() is not None:
                return None
            end = conn.execute(
                select(
                    func.coalesce(func.max(code_batches.c.first_serial + code_batches.c.count), 0)
                )
            ).scalar_one()
            now = _now()
            result = conn.execute(
                insert(code_batches).values(
                    name=name,
                    scheme=scheme,
                    first_serial=int(end),
                    count=count,
                    state="generating",
                    key_version=key_version,
                    created_at=now,
                    updated_at=now,
                )
            )
            key = result.inserted_primary_key
            batch_id = int(key[0]) if key is not None else 0
        return BatchRow(batch_id, name, scheme, int(end), count, "generating", key_version)

    def set_state(self, batch_id: int, state: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(code_batches)
                .where(code_batches.c.id == batch_id)
                .values(state=state, updated_at=_now())
            )

    def discard(self, batch_id: int) -> None:
        """Forget a batch that never finished generating (nothing refers to it)."""
        with self.engine.begin() as conn:
            conn.execute(delete(imported_codes).where(imported_codes.c.batch_id == batch_id))
            conn.execute(
                delete(code_batches).where(
                    and_(code_batches.c.id == batch_id, code_batches.c.state == "generating")
                )
            )

    # -- voids --------------------------------------------------------------------

    def voids(self) -> list[VoidRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(code_voids).order_by(code_voids.c.first_serial))
            return [
                VoidRow(r.batch_id, int(r.first_serial), int(r.last_serial), r.reason) for r in rows
            ]

    def add_voids(self, batch_id: int, ranges: Sequence[tuple[int, int]], reason: str) -> None:
        """Void inclusive serial ranges of one batch, all or none."""
        now = _now()
        with self.engine.begin() as conn:
            for start in range(0, len(ranges), 5000):
                conn.execute(
                    insert(code_voids),
                    [
                        {
                            "batch_id": batch_id,
                            "first_serial": first,
                            "last_serial": last,
                            "reason": reason[:200],
                            "created_at": now,
                        }
                        for first, last in ranges[start : start + 5000]
                    ],
                )

    # -- redemptions --------------------------------------------------------------

    def redeem(self, serial: int, batch_id: int, channel: str | None = None) -> bool:
        """Record the redemption of ``serial``; False if it was redeemed before or is voided.

        Exactly once under concurrency: the serial is the primary key, so of many
        simultaneous inserts one commits and the others fail on the constraint.
        """
        voided = exists().where(
            and_(
                code_voids.c.batch_id == batch_id,
                code_voids.c.first_serial <= serial,
                code_voids.c.last_serial >= serial,
            )
        )
        batch_ok = exists().where(
            and_(
                code_batches.c.id == batch_id, code_batches.c.state.notin_(("voided", "generating"))
            )
        )
        try:
            with self.engine.begin() as conn:
                if not conn.execute(select(batch_ok & ~voided)).scalar_one():
                    return False
                conn.execute(
                    insert(code_redemptions).values(
                        serial=serial, batch_id=batch_id, redeemed_at=_now(), channel=channel
                    )
                )
        except IntegrityError:
            return False
        return True

    def is_redeemed(self, serial: int) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(code_redemptions.c.serial).where(code_redemptions.c.serial == serial)
            ).first()
        return row is not None

    def redeemed_serials(self, batch_id: int) -> list[int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(code_redemptions.c.serial).where(code_redemptions.c.batch_id == batch_id)
            )
            return [int(r.serial) for r in rows]

    # -- imported codes -------------------------------------------------------------

    def add_digests(self, batch_id: int, rows: Iterable[Sequence[tuple[bytes, int]]]) -> None:
        """Store (digest, serial) pairs, chunk by chunk, in one transaction."""
        with self.engine.begin() as conn:
            for chunk in rows:
                if chunk:
                    conn.execute(
                        insert(imported_codes),
                        [{"digest": d, "serial": s, "batch_id": batch_id} for d, s in chunk],
                    )

    def serial_of_digest(self, digest: bytes) -> int | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(imported_codes.c.serial).where(imported_codes.c.digest == digest)
            ).first()
        return int(row.serial) if row is not None else None

    def known_digests(self, digests: Sequence[bytes]) -> set[bytes]:
        return set(self.serials_of_digests(digests))

    def serials_of_digests(self, digests: Sequence[bytes]) -> dict[bytes, int]:
        found: dict[bytes, int] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(digests), 500):
                part = digests[start : start + 500]
                rows = conn.execute(
                    select(imported_codes.c.digest, imported_codes.c.serial).where(
                        imported_codes.c.digest.in_(part)
                    )
                )
                found.update((bytes(r.digest), int(r.serial)) for r in rows)
        return found


def _batch(row: object) -> BatchRow:
    r = row._mapping  # type: ignore[attr-defined]
    return BatchRow(
        id=int(r["id"]),
        name=str(r["name"]),
        scheme=str(r["scheme"]),
        first_serial=int(r["first_serial"]),
        count=int(r["count"]),
        state=str(r["state"]),
        key_version=int(r["key_version"]),
    )
