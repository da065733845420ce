"""What the dashboard and ``/metrics`` show, read from the campaign database in one place."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, func, select, update

from campaignctl.delivery.sms import sms_totals
from campaignctl.delivery.tables import sms_messages
from campaignctl.draws.tables import draw_rounds
from campaignctl.model import Campaign
from campaignctl.queue import MessageInfo, OutboxQueue, State
from campaignctl.runtime.antifraud import lock
from campaignctl.store.runtime_tables import fraud_flags, fraud_lockouts, prize_stock, registrations
from campaignctl.store.tables import code_batches, code_redemptions

HOURS = 48
OVERDUE_AFTER = timedelta(minutes=15)
"""A round not drawn this long after its moment is overdue: longer than the cloud's catch-up
timer (10 minutes) takes to retry a failed draw."""


@dataclass(frozen=True)
class Flag:
    id: int
    kind: str
    subject: str
    detail: str
    created_at: datetime


@dataclass(frozen=True)
class SmsLine:
    direction: str
    phone: str
    text: str
    segments: int
    cost_rub: Decimal
    created_at: datetime


@dataclass(frozen=True)
class Dashboard:
    campaign: str
    generated_at: datetime
    per_hour: list[tuple[datetime, int]]
    by_channel: dict[str, int]
    by_outcome: dict[str, int]
    batches: list[tuple[str, str, int, int]]
    """name, state, codes, redeemed."""
    prizes: list[tuple[str, str, int, int]]
    """id, name, total, remaining."""
    queue: dict[State, int]
    dead: list[MessageInfo]
    flags: list[Flag]
    pending_moderation: int
    sms_sent: int
    sms_segments: int
    sms_cost_rub: Decimal
    sms_recent: list[SmsLine]
    overdue_draws: list[tuple[str, datetime]]
    """Rounds whose moment passed :data:`OVERDUE_AFTER` ago and that are not drawn."""

    @property
    def registrations(self) -> int:
        return sum(self.by_channel.values())


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def per_hour(conn: Connection, now: datetime, hours: int = HOURS) -> list[tuple[datetime, int]]:
    """Registrations in each of the last ``hours`` whole hours (UTC), oldest first."""
    end = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    start = end - timedelta(hours=hours)
    counts: Counter[datetime] = Counter()
    rows = conn.execute(
        select(registrations.c.created_at).where(registrations.c.created_at >= start)
    ).scalars()
    for created in rows:
        counts[_aware(created).replace(minute=0, second=0, microsecond=0)] += 1
    return [(start + timedelta(hours=h), counts[start + timedelta(hours=h)]) for h in range(hours)]


def _grouped(conn: Connection, column: str) -> dict[str, int]:
    col = registrations.c[column]
    rows = conn.execute(select(col, func.count()).group_by(col).order_by(col))
    return {str(k): int(n) for k, n in rows}


def load_dashboard(
    campaign: Campaign, queue: OutboxQueue, *, now: datetime | None = None
) -> Dashboard:
    at = now or datetime.now(UTC)
    with queue.engine.connect() as conn:
        redeemed: dict[int, int] = {
            int(batch): int(n)
            for batch, n in conn.execute(
                select(code_redemptions.c.batch_id, func.count()).group_by(
                    code_redemptions.c.batch_id
                )
            )
        }
        batches = [
            (row.name, row.state, int(row._mapping["count"]), redeemed.get(row.id, 0))
            for row in conn.execute(select(code_batches).order_by(code_batches.c.first_serial))
        ]
        names = {p.id: p.name for p in campaign.prizes}
        prizes = [
            (row.prize_id, names.get(row.prize_id, row.prize_id), row.total, row.remaining)
            for row in conn.execute(select(prize_stock).order_by(prize_stock.c.prize_id))
        ]
        flags = [
            Flag(r.id, r.kind, r.subject, r.detail, _aware(r.created_at))
            for r in conn.execute(
                select(fraud_flags)
                .where(fraud_flags.c.resolved_at.is_(None))
                .order_by(fraud_flags.c.created_at.desc())
                .limit(50)
            )
        ]
        pending = conn.execute(
            select(func.count())
            .select_from(registrations)
            .where(registrations.c.moderation == "pending")
        ).scalar_one()
        sent, segments, cost = sms_totals(conn)
        recent = [
            SmsLine(
                r.direction,
                r.phone_masked,
                r.text,
                r.segments,
                Decimal(r.cost_kopecks) / 100,
                _aware(r.created_at),
            )
            for r in conn.execute(select(sms_messages).order_by(sms_messages.c.id.desc()).limit(10))
        ]
        hours = per_hour(conn, at)
        overdue = overdue_draws(conn, campaign, at)
        by_channel = _grouped(conn, "channel")
        by_outcome = _grouped(conn, "outcome")
    return Dashboard(
        campaign=campaign.campaign.name,
        generated_at=at,
        per_hour=hours,
        by_channel=by_channel,
        by_outcome=by_outcome,
        batches=batches,
        prizes=prizes,
        queue=queue.depth(),
        dead=queue.messages("dead", 20),
        flags=flags,
        pending_moderation=int(pending),
        sms_sent=sent,
        sms_segments=segments,
        sms_cost_rub=cost,
        sms_recent=recent,
        overdue_draws=overdue,
    )


def overdue_draws(
    conn: Connection, campaign: Campaign, now: datetime
) -> list[tuple[str, datetime]]:
    """Rounds due more than :data:`OVERDUE_AFTER` ago that are not drawn, with their moment."""
    due = {d.id: d.at for d in campaign.draws if d.at + OVERDUE_AFTER <= now}
    if not due:
        return []
    drawn = set(
        conn.execute(
            select(draw_rounds.c.id).where(
                draw_rounds.c.id.in_(list(due)), draw_rounds.c.state == "drawn"
            )
        ).scalars()
    )
    return [(round_id, at) for round_id, at in due.items() if round_id not in drawn]


def moderate(
    conn: Connection, campaign: Campaign, flag_id: int, action: str, now: datetime
) -> bool:
    """Resolve a flag: ``approve`` lifts any lockout of its subject, ``block`` locks the
    subject out until the campaign's registration period ends. False if no open flag."""
    row = conn.execute(
        select(fraud_flags.c.subject).where(
            fraud_flags.c.id == flag_id, fraud_flags.c.resolved_at.is_(None)
        )
    ).first()
    if row is None:
        return False
    subject: str = row.subject
    if action == "block":
        end = campaign.period.registration.end + timedelta(days=1)
        lock(conn, subject, datetime(end.year, end.month, end.day, tzinfo=UTC), "moderator")
    else:
        conn.execute(fraud_lockouts.delete().where(fraud_lockouts.c.subject == subject))
    conn.execute(
        update(fraud_flags)
        .where(fraud_flags.c.subject == subject, fraud_flags.c.resolved_at.is_(None))
        .values(resolved_at=now.astimezone(UTC))
    )
    return True
