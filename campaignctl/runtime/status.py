"""What ``campaignctl status`` reports: registrations, codes redeemed, queue depth."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, inspect, select

from campaignctl.store.runtime_tables import registrations
from campaignctl.store.tables import code_batches, code_redemptions


@dataclass(frozen=True)
class Stats:
    total: int = 0
    today: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    redeemed_by_batch: dict[str, int] = field(default_factory=dict)
    queue: dict[str, int] = field(default_factory=dict)
    """Outbox messages by state (pending, in_flight, delivered, dead), once the outbox exists."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def stats(engine: Engine, day_start: datetime) -> Stats:
    """Counts from the state database; ``day_start`` is today's midnight in the campaign's zone."""
    names = set(inspect(engine).get_table_names())
    if "registrations" not in names:
        return Stats()
    r = registrations.c
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(registrations)).scalar_one()
        today = conn.execute(
            select(func.count()).where(r.created_at >= day_start.astimezone(UTC))
        ).scalar_one()
        by_channel = _pairs(conn.execute(select(r.channel, func.count()).group_by(r.channel)))
        by_outcome = _pairs(conn.execute(select(r.outcome, func.count()).group_by(r.outcome)))
        redeemed = _pairs(
            conn.execute(
                select(code_batches.c.name, func.count())
                .join(code_redemptions, code_redemptions.c.batch_id == code_batches.c.id)
                .group_by(code_batches.c.name)
            )
        )
        queue: dict[str, int] = {}
        if "outbox" in names:
            from campaignctl.queue.tables import outbox  # noqa: PLC0415 - the delivery part's table

            queue = _pairs(
                conn.execute(select(outbox.c.state, func.count()).group_by(outbox.c.state))
            )
    return Stats(int(total), int(today), by_channel, by_outcome, redeemed, queue)


def _pairs(rows: Iterable[Any]) -> dict[str, int]:
    return {str(row[0]): int(row[1]) for row in rows}
