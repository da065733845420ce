"""Limits per phone, IP and device, failed-attempt budgets with lockout, and flags for moderators.

Counters live in the database (``fraud_counters``), so they hold across
processes and Cloud Function instances. A counter is keyed by subject
(``ip:203.0.113.5``, ``phone:<keyed hash>``, ``device:<fingerprint>``) and
window (``d:2027-06-10`` in the campaign's time zone, ``h:2027-06-10T14``).
Counting writes inside the caller's transaction, so a registration and its
counts commit together. :meth:`Guard.admit` counts first and refuses when a new
count passes its limit; the caller's transaction (or savepoint) rolls back with
the refusal, so a refused request adds nothing. On SQLite and PostgreSQL all of a
request's counters move in one upsert that returns the new counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Literal

from sqlalchemy import (
    Connection,
    DateTime,
    Integer,
    String,
    TextualSelect,
    bindparam,
    column,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from campaignctl.model.policy import AntiFraud
from campaignctl.store.runtime_tables import fraud_counters, fraud_flags, fraud_lockouts
from campaignctl.store.upsert import has_returning_upsert

Window = Literal["day", "hour"]


@dataclass(frozen=True)
class Subjects:
    """Who is asking: a phone (keyed hash, hex), a client address, a device fingerprint."""

    phone: str | None = None
    ip: str | None = None
    device: str | None = None

    def subjects(self) -> list[str]:
        return [
            f"{kind}:{value}"
            for kind, value in (("phone", self.phone), ("ip", self.ip), ("device", self.device))
            if value
        ]


class Throttled(Exception):
    """A limit is hit: answer 429 with ``Retry-After: retry_after`` seconds."""

    def __init__(self, reason: Literal["blocked", "limit_reached"], retry_after: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = max(1, retry_after)


def _window(now: datetime, window: Window) -> tuple[str, datetime]:
    """The window's key and its end (exclusive), for ``now`` in the campaign's zone."""
    hour = 0 if window == "day" else now.hour
    return _window_from(now.year, now.month, now.day, hour, now.fold, now.tzinfo, window)


@lru_cache(maxsize=256)
def _window_from(
    year: int, month: int, day: int, hour: int, fold: int, zone: tzinfo | None, window: Window
) -> tuple[str, datetime]:
    # Every request of an hour asks for the same windows: formatting them (strftime)
    # cost more than the rest of the check. The start is ``now`` with the smaller
    # fields zeroed, as ``now.replace`` would give (same zone, same fold).
    start = datetime(year, month, day, hour, tzinfo=zone, fold=fold)
    if window == "day":
        return f"d:{start:%Y-%m-%d}", start + timedelta(days=1)
    return f"h:{start:%Y-%m-%dT%H}", start + timedelta(hours=1)


class Guard:
    def __init__(self, policy: AntiFraud) -> None:
        self.policy = policy

    def _limits(self, subjects: Subjects) -> list[tuple[str, Window, int]]:
        p = self.policy
        limits: list[tuple[str, Window, int]] = []
        if subjects.phone:
            limits.append((f"phone:{subjects.phone}", "day", p.max_attempts_per_phone_per_day))
        if subjects.ip:
            limits.append((f"ip:{subjects.ip}", "hour", p.max_attempts_per_ip_per_hour))
        if subjects.device:
            # The spec has no separate device limit: a device gets a phone's budget.
            limits.append((f"device:{subjects.device}", "day", p.max_attempts_per_phone_per_day))
        return limits

    def windows(self, subjects: Subjects, now: datetime) -> list[tuple[str, str, datetime, int]]:
        """``(subject, window key, window end, limit)`` for every limited subject of a request."""
        out = []
        for subject, window, limit in self._limits(subjects):
            key, end = _window(now, window)
            out.append((subject, key, end, limit))
        return out

    def _failure_budgets(self, subjects: Subjects) -> list[str]:
        return [f"fail:{key}" for key in subjects.subjects()]

    # ``now`` is aware, in the campaign's time zone: windows are its days and hours.

    def check(self, conn: Connection, subjects: Subjects, now: datetime) -> None:
        """Raise :class:`Throttled` if any subject is locked out or over a limit."""
        keys = subjects.subjects()
        if keys:
            locked = conn.execute(
                select(fraud_lockouts.c.locked_until).where(
                    fraud_lockouts.c.subject.in_(keys),
                    fraud_lockouts.c.locked_until > now.astimezone(UTC),
                )
            ).all()
            if locked:
                until = max(utc(r.locked_until) for r in locked)
                raise Throttled("blocked", int((until - now).total_seconds()) + 1)
        for subject, window, limit in self._limits(subjects):
            key, end = _window(now, window)
            if _count(conn, subject, key) >= limit:
                raise Throttled("limit_reached", int((end - now).total_seconds()) + 1)

    def admit(self, conn: Connection, subjects: Subjects, now: datetime) -> None:
        """:meth:`check` and :meth:`count_attempt` in one statement: count, then refuse if over.

        Raises :class:`Throttled` after counting; the caller must roll back (its
        transaction or savepoint) so the refused attempt is not kept.
        """
        limits = self._limits(subjects)
        if not limits or not has_returning_upsert(conn):
            self.check(conn, subjects, now)
            self.count_attempt(conn, subjects, now)
            return
        # The limited subjects are exactly the request's subjects (phone, IP, device).
        rows: dict[str, object] = {"now": now.astimezone(UTC)}
        windows = self.windows(subjects, now)
        for i, (subject, key, end, _limit) in enumerate(windows):
            rows |= {f"s{i}": subject, f"k{i}": key, f"e{i}": end.astimezone(UTC)}
        counts: dict[tuple[str, str], int] = {}
        locked: datetime | None = None
        # Positional: ``Row.count`` is the tuple method, not the column.
        for subject, key, count, until in conn.execute(admit_statement(len(limits)), rows):
            counts[(subject, key)] = int(count)
            locked = until
        refuse_over(windows, counts, locked, now)

    def count_attempt(self, conn: Connection, subjects: Subjects, now: datetime) -> None:
        for subject, window, _limit in self._limits(subjects):
            key, end = _window(now, window)
            _bump(conn, subject, key, end.astimezone(UTC))

    def count_failure(self, conn: Connection, subjects: Subjects, now: datetime) -> None:
        """One more failed attempt; a subject that spends its daily budget is locked out."""
        key, end = _window(now, "day")
        budget = self.policy.max_failed_per_ip_per_day
        for subject in self._failure_budgets(subjects):
            if _bump(conn, subject, key, end.astimezone(UTC)) >= budget:
                locked = subject.removeprefix("fail:")
                until = now + timedelta(minutes=self.policy.lockout_minutes)
                lock(conn, locked, until.astimezone(UTC), "failed_attempts")
                flag(conn, "failed_attempts", locked, f"{budget} failed attempts on {key[2:]}", now)


def refuse_over(
    windows: list[tuple[str, str, datetime, int]],
    counts: dict[tuple[str, str], int],
    locked: datetime | None,
    now: datetime,
) -> None:
    """Raise :class:`Throttled` for a running lockout or a new count over its limit."""
    if locked is not None:
        raise Throttled("blocked", int((utc(locked) - now).total_seconds()) + 1)
    for subject, key, end, limit in windows:
        if counts[(subject, key)] > limit:
            raise Throttled("limit_reached", int((end - now).total_seconds()) + 1)


def lock(conn: Connection, subject: str, until: datetime, reason: str) -> None:
    with conn.begin_nested():
        conn.execute(delete(fraud_lockouts).where(fraud_lockouts.c.subject == subject))
        conn.execute(
            insert(fraud_lockouts).values(subject=subject, locked_until=until, reason=reason)
        )


def flag(conn: Connection, kind: str, subject: str, detail: str, now: datetime) -> None:
    """Record a suspicious pattern for moderators, once per subject, kind and day."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    seen = conn.execute(
        select(fraud_flags.c.id).where(
            fraud_flags.c.kind == kind,
            fraud_flags.c.subject == subject,
            fraud_flags.c.created_at >= day,
        )
    ).first()
    if seen is None:
        conn.execute(
            insert(fraud_flags).values(
                kind=kind, subject=subject, detail=detail, created_at=now.astimezone(UTC)
            )
        )


def purge_expired(conn: Connection, now: datetime) -> int:
    now = now.astimezone(UTC)
    gone = conn.execute(delete(fraud_counters).where(fraud_counters.c.expires_at < now)).rowcount
    conn.execute(delete(fraud_lockouts).where(fraud_lockouts.c.locked_until < now))
    return int(gone)


def utc(value: datetime) -> datetime:
    """A database datetime as aware UTC (SQLite and MariaDB hand back naive UTC values)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_ADMIT: dict[int, TextualSelect] = {}


def admit_statement(n: int) -> TextualSelect:
    """One statement adding one to ``n`` counters (created at 1), returning the new counts
    and the latest running lockout of those subjects.

    Plain SQL, the same on SQLite and PostgreSQL: SQLAlchemy cannot cache the
    compiled form of an ``on_conflict_do_update`` construct whose ``SET`` holds an
    expression, and compiling it anew took a fifth of a registration's time.
    Built once per size and reused, so its cache key is computed once.
    """
    found = _ADMIT.get(n)
    if found is None:
        rows = ", ".join(f"(:s{i}, :k{i}, 1, :e{i})" for i in range(n))
        subjects = ", ".join(f":s{i}" for i in range(n))
        found = _ADMIT[n] = (
            text(
                f"INSERT INTO fraud_counters (subject, period_key, count, expires_at) VALUES {rows} "  # noqa: S608 - placeholders only
                "ON CONFLICT (subject, period_key) DO UPDATE SET count = fraud_counters.count + 1 "
                "RETURNING subject, period_key, count, (SELECT max(locked_until) FROM fraud_lockouts "
                f"WHERE subject IN ({subjects}) AND locked_until > :now) AS locked"
            )
            .bindparams(
                bindparam("now", type_=fraud_lockouts.c.locked_until.type),
                *(bindparam(f"e{i}", type_=fraud_counters.c.expires_at.type) for i in range(n)),
            )
            .columns(
                column("subject", String),
                column("period_key", String),
                column("count", Integer),
                column("locked", DateTime(timezone=True)),
            )
        )
    return found


def _count(conn: Connection, subject: str, key: str) -> int:
    value = conn.execute(
        select(fraud_counters.c.count).where(
            fraud_counters.c.subject == subject, fraud_counters.c.period_key == key
        )
    ).scalar()
    return int(value or 0)


def _bump(conn: Connection, subject: str, key: str, expires: datetime) -> int:
    """Add one to a counter (created at 1); returns the new count."""
    where = (fraud_counters.c.subject == subject) & (fraud_counters.c.period_key == key)
    for _attempt in range(3):
        if conn.execute(
            update(fraud_counters).where(where).values(count=fraud_counters.c.count + 1)
        ).rowcount:
            break
        try:
            with conn.begin_nested():
                conn.execute(
                    insert(fraud_counters).values(
                        subject=subject, period_key=key, count=1, expires_at=expires
                    )
                )
            break
        except IntegrityError:  # created by a concurrent request: update it
            continue
    return _count(conn, subject, key)
