"""Registering a code or a receipt: one transaction that commits everything or nothing.

In that transaction: the anti-fraud check and counts, the code redemption (its
serial is a primary key) or the receipt key (unique), the participant, the
prize claim (conditional UPDATE on the stock), the registration row and every
:data:`campaignctl.runtime.hooks.AFTER_REGISTRATION` hook (e.g. the delivery
outbox). Of many concurrent registrations of one code exactly one commits.

How that transaction runs depends on the engine. On SQLite (one writer at a
time) it is a unit of :class:`~campaignctl.runtime.commits.GroupCommit`: a
savepoint inside a transaction shared with the other registrations queued at
that moment, answered once that transaction has committed. On PostgreSQL and
MariaDB each registration has its own transaction, run concurrently.

The hot path uses statements built once at import (a reused statement keeps
its SQLAlchemy cache key, so it is neither rebuilt nor recompiled per request)
and as few round trips as the checks allow: one upsert for the anti-fraud
counters, one ``INSERT ... SELECT`` that redeems a serial only if its batch is
live and the serial not voided.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal, TypedDict

from sqlalchemy import (
    Connection,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.concurrency import run_in_threadpool

from campaignctl.codes.book import Verdict
from campaignctl.codes.keys import subkey
from campaignctl.crm.record import RegistrationRecord
from campaignctl.model.campaign import Campaign
from campaignctl.model.prizes import Prize
from campaignctl.registration import Outcome
from campaignctl.runtime import hooks, messages, sqlite_codes
from campaignctl.runtime.antifraud import Guard, Subjects, Throttled, flag
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.form import Submission
from campaignctl.runtime.ids import new_id
from campaignctl.runtime.mechanics import instant_win, receipts, tiers
from campaignctl.runtime.participants import find_or_create
from campaignctl.runtime.photos import photo_key, save_photo
from campaignctl.runtime.sqlite_path import Savepoint, driver_cursor, is_sqlite
from campaignctl.runtime.statements import (
    INSERT_RECEIPT,
    INSERT_REGISTRATION,
    PRIZES_WON,
    REDEEM,
    REDEEM_RETURNING,
    REGISTERED_SINCE,
)
from campaignctl.runtime.stock import claim
from campaignctl.store import BatchRow

Status = Literal[201, 409, 422, 429]
log = logging.getLogger(__name__)

DEADLOCK_RETRIES = 8


@dataclass(frozen=True)
class Result:
    status: Status
    outcome: Outcome
    message: str
    registration_id: str | None = None
    prize: Prize | None = None
    draw_entries: int = 0
    points: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    retry_after: int | None = None


@dataclass(frozen=True)
class _Ahead:
    """A code registration's parts settled before the transaction (:meth:`RegistrationService._ahead`)."""

    reg_id: str
    at: datetime
    prize: Prize | None
    """The instant prize the code would win; the transaction still checks stock and limits."""
    writes: hooks.PreparedWrites | None = None


class _DailyLimit(Exception):
    pass


class _Voided(Exception):
    pass


def mask_code(code: str) -> str:
    """``7KQ4M2XD9FHA`` → ``7KQ4-****-9FHA``: recognisable, not redeemable."""
    return f"{code[:4]}-****-{code[-4:]}" if len(code) >= 10 else "****"


class RegistrationService:
    def __init__(self, ctx: RuntimeContext) -> None:
        self.ctx = ctx
        self.guard = Guard(ctx.campaign.anti_fraud)
        self._serial_key: bytes | None = None
        self._prizes: tuple[Campaign, tuple[Prize, ...]] | None = None

    # -- public -----------------------------------------------------------------

    def register(
        self, sub: Submission, *, ip: str | None = None, device: str | None = None
    ) -> Result:
        """Register ``sub``; the answer is given once everything it wrote is committed."""
        step = self._prepare(sub, ip, device)
        if isinstance(step, Result):
            return step
        try:
            group = self.ctx.group_commit()
            result = group.run(step.work) if group is not None else self._alone(step.work)
        except Exception as exc:
            return step.refused(exc)
        if step.committed is not None:
            step.committed()
        return result

    async def register_async(
        self, sub: Submission, *, ip: str | None = None, device: str | None = None
    ) -> Result:
        """:meth:`register` for a coroutine: a code on SQLite waits for its batch on the
        event loop; anything that may block (a captcha check, a receipt photo, another
        engine's transaction) runs in the thread pool."""
        group = self.ctx.group_commit()
        if group is None or self.ctx.captcha is not None or sub.photo is not None:
            return await run_in_threadpool(self.register, sub, ip=ip, device=device)
        step = self._prepare(sub, ip, device)
        if isinstance(step, Result):
            return step
        try:
            result = await group.run_async(step.work)
        except Exception as exc:
            return step.refused(exc)
        if step.committed is not None:
            step.committed()
        return result

    def _prepare(self, sub: Submission, ip: str | None, device: str | None) -> Result | _Step:
        ctx = self.ctx
        now = ctx.local_now()
        if now.date() not in ctx.campaign.period.registration:
            return Result(422, "outside_period", messages.outside(ctx.campaign), errors={})
        if ctx.captcha is not None and not ctx.captcha.verify(sub.captcha_token or "", ip):
            return Result(422, "blocked", messages.CAPTCHA, errors={"captcha": messages.CAPTCHA})
        digest = ctx.sealer.digest(sub.phone)
        subjects = Subjects(digest.hex()[:32], ip, device)
        if sub.code is not None and ctx.campaign.mechanics.codes is not None:
            return self._code_step(sub, subjects, digest, now)
        return self._receipt_step(sub, subjects, digest, now)

    def _alone(self, work: Callable[[Connection], Result]) -> Result:
        """``work`` in a transaction of its own (engines with concurrent writers)."""
        for attempt in range(DEADLOCK_RETRIES):
            try:
                with self.ctx.engine.begin() as conn:
                    return work(conn)
            except OperationalError:
                # InnoDB resolves a deadlock between concurrent inserts of one key
                # by rolling back a whole transaction (savepoints included): run
                # it again; the retry sees the winner's row and answers 409.
                if attempt == DEADLOCK_RETRIES - 1:
                    raise
                time.sleep(0.005 * (attempt + 1) * (1 + secrets.randbelow(4)))
        raise AssertionError("not reached")  # pragma: no cover

    # -- codes ------------------------------------------------------------------

    def _code_step(
        self, sub: Submission, subjects: Subjects, digest: bytes, now: datetime
    ) -> _Step:
        ledger = self.ctx.ledger
        assert sub.code is not None  # noqa: S101 - checked by the caller
        # Validate before the transaction: reloading the batch book opens its own
        # connection, which on SQLite would wait for the write lock this one holds.
        verdict = ledger.validate(sub.code) if ledger is not None else None
        batch = (
            ledger.book.find(verdict.serial)
            if ledger is not None and verdict is not None and verdict.serial is not None
            else None
        )

        ahead = (
            self._ahead(sub, verdict, now)
            if verdict is not None
            and verdict.ok
            and batch is not None
            and self.ctx.group_commit() is not None
            else None
        )

        def work(conn: Connection) -> Result:
            if is_sqlite(conn):
                return self._code_on_sqlite(conn, sub, subjects, digest, verdict, batch, now, ahead)
            self.guard.admit(conn, subjects, now)
            if verdict is not None and verdict.ok and batch is not None:
                try:
                    with conn.begin_nested():
                        return self._redeem(conn, sub, subjects, digest, verdict, batch, now)
                except _Voided:
                    pass
                except IntegrityError:
                    return Result(409, "already_registered", messages.ALREADY_CODE)
                except _DailyLimit:
                    flag(conn, "many_codes", f"phone:{subjects.phone}", "daily code limit", now)
                    return Result(
                        429, "limit_reached", messages.CODES_PER_DAY, retry_after=_to_midnight(now)
                    )
            # Malformed, mistyped, never issued or voided: one answer for all, so
            # the API tells a guesser nothing.
            self.guard.count_failure(conn, subjects, now)
            return Result(
                422, "not_a_code", messages.NOT_A_CODE, errors={"code": messages.NOT_A_CODE}
            )

        return _Step(work, _refused)

    def _redeem(
        self,
        conn: Connection,
        sub: Submission,
        subjects: Subjects,
        digest: bytes,
        verdict: Verdict,
        batch: BatchRow,
        now: datetime,
    ) -> Result:
        serial = verdict.serial
        assert serial is not None  # noqa: S101
        at = now.astimezone(UTC)
        params = {"serial": serial, "batch_id": batch.id, "at": at, "channel": sub.channel}
        # psycopg reports no row count for INSERT ... SELECT: ask for the row back.
        if conn.dialect.insert_returning:
            redeemed = conn.execute(REDEEM_RETURNING, params).first() is not None
        else:
            redeemed = conn.execute(REDEEM, params).rowcount == 1
        if not redeemed:
            raise _Voided  # voided since the batch book was loaded
        person, created = find_or_create(
            conn, self.ctx.sealer, sub.phone, now, sub.details, digest=digest
        )
        codes = self.ctx.campaign.mechanics.codes
        assert codes is not None  # noqa: S101
        today = 0 if created else self._registered_today(conn, person, now)
        if today >= codes.max_codes_per_day:
            raise _DailyLimit
        prize = self._instant_prize(conn, person, serial)
        tier = tiers.tier_on(self.ctx.campaign.mechanics, now.date())
        entries = tiers.entries(codes.draw_entries_per_code, tier)
        points = codes.points_per_code
        outcome: Outcome = "instant_win" if prize is not None else "draw_entry"
        reg_id = new_id()
        conn.execute(
            INSERT_REGISTRATION,
            {
                "id": reg_id,
                "participant_id": person,
                "channel": sub.channel,
                "mechanic": "code",
                "code_serial": serial,
                "code_batch": verdict.batch,
                "receipt_key": None,
                "outcome": outcome,
                "prize_id": prize.id if prize else None,
                "draw_entries": entries,
                "points": points,
                "tier": tier.name if tier else None,
                "ip": subjects.ip,
                "device": subjects.device,
                "moderation": "none",
                "created_at": at,
            },
        )
        record = RegistrationRecord(
            id=reg_id,
            campaign=self.ctx.campaign.slug,
            registered_at=at,
            channel=sub.channel,
            phone=sub.phone,
            outcome=outcome,
            code_serial=serial,
            code_masked=mask_code(verdict.code),
            prize=prize.id if prize else None,
            **_details(sub),
        )
        hooks.after_registration(conn, self.ctx.campaign, record)
        text = messages.won(prize) if prize else messages.entered(entries, points)
        return Result(201, outcome, text, reg_id, prize, entries, points)

    def _code_on_sqlite(
        self,
        conn: Connection,
        sub: Submission,
        subjects: Subjects,
        digest: bytes,
        verdict: Verdict | None,
        batch: BatchRow | None,
        now: datetime,
        ahead: _Ahead | None = None,
    ) -> Result:
        """The ``work`` above on the driver's cursor (:mod:`~campaignctl.runtime.sqlite_codes`).

        Same answers, no savepoint on the way to a ``201``: the reads come first, the
        redemption is the first write (a duplicate serial fails that statement alone,
        a voided one inserts nothing), and only a phone already at its daily limit
        redeems inside a savepoint that is rolled back.
        """
        cur = driver_cursor(conn)
        sqlite_codes.admit(cur, self.guard, subjects, now)
        codes = self.ctx.campaign.mechanics.codes
        if verdict is not None and verdict.ok and batch is not None and codes is not None:
            serial = verdict.serial
            assert serial is not None  # noqa: S101
            at = now.astimezone(UTC)
            person = sqlite_codes.person(cur, digest)
            midnight = now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
            today = 0 if person is None else sqlite_codes.registered_since(cur, person, midnight)
            try:
                if today >= codes.max_codes_per_day:
                    with Savepoint(cur, "daily_limit"):
                        if sqlite_codes.redeem(cur, serial, batch.id, at, sub.channel):
                            raise _DailyLimit
                    redeemed = False
                else:
                    redeemed = sqlite_codes.redeem(cur, serial, batch.id, at, sub.channel)
            except sqlite3.IntegrityError:
                return Result(409, "already_registered", messages.ALREADY_CODE)
            except _DailyLimit:
                flag(conn, "many_codes", f"phone:{subjects.phone}", "daily code limit", now)
                return Result(
                    429, "limit_reached", messages.CODES_PER_DAY, retry_after=_to_midnight(now)
                )
            if redeemed:
                if person is None:
                    person = sqlite_codes.create_person(
                        cur, self.ctx.sealer, digest, sub.phone, sub.details, at
                    )
                return self._registered(
                    conn, cur, sub, subjects, verdict, serial, person, now, ahead
                )
        self.guard.count_failure(conn, subjects, now)
        return Result(422, "not_a_code", messages.NOT_A_CODE, errors={"code": messages.NOT_A_CODE})

    def _ahead(self, sub: Submission, verdict: Verdict, now: datetime) -> _Ahead:
        """What a code registration can settle before the writer's turn: its id and time,
        the instant prize it would win, and the hooks' messages for that outcome."""
        assert verdict.serial is not None  # noqa: S101 - a valid verdict has a serial
        at = now.astimezone(UTC)
        reg_id = new_id()
        prize = self._instant_candidate(verdict.serial)
        record = self._code_record(sub, verdict, reg_id, at, prize)
        return _Ahead(
            reg_id, at, prize, hooks.prepare_after_registration(self.ctx.campaign, record)
        )

    def _code_record(
        self, sub: Submission, verdict: Verdict, reg_id: str, at: datetime, prize: Prize | None
    ) -> RegistrationRecord:
        return RegistrationRecord(
            id=reg_id,
            campaign=self.ctx.campaign.slug,
            registered_at=at,
            channel=sub.channel,
            phone=sub.phone,
            outcome="instant_win" if prize is not None else "draw_entry",
            code_serial=verdict.serial,
            code_masked=mask_code(verdict.code),
            prize=prize.id if prize else None,
            **_details(sub),
        )

    def _registered(
        self,
        conn: Connection,
        cur: sqlite3.Cursor,
        sub: Submission,
        subjects: Subjects,
        verdict: Verdict,
        serial: int,
        person: int,
        now: datetime,
        ahead: _Ahead | None,
    ) -> Result:
        """The registration row and its hooks, with what :meth:`_ahead` settled (the
        hooks' messages are used if the outcome is the one they were made for)."""
        codes = self.ctx.campaign.mechanics.codes
        assert codes is not None  # noqa: S101
        if ahead is None:
            ahead = _Ahead(new_id(), now.astimezone(UTC), self._instant_candidate(serial))
        prize = self._claim_on(cur, person, ahead.prize)
        tier = tiers.tier_on(self.ctx.campaign.mechanics, now.date())
        entries = tiers.entries(codes.draw_entries_per_code, tier)
        outcome: Outcome = "instant_win" if prize is not None else "draw_entry"
        sqlite_codes.insert_registration(
            cur,
            {
                "id": ahead.reg_id,
                "participant_id": person,
                "channel": sub.channel,
                "mechanic": "code",
                "code_serial": serial,
                "code_batch": verdict.batch,
                "receipt_key": None,
                "outcome": outcome,
                "prize_id": prize.id if prize else None,
                "draw_entries": entries,
                "points": codes.points_per_code,
                "tier": tier.name if tier else None,
                "ip": subjects.ip,
                "device": subjects.device,
                "moderation": "none",
                "created_at": ahead.at,
            },
        )
        if ahead.writes is not None and prize is ahead.prize:
            record = ahead.writes.record  # made from these same parts by _ahead
        else:
            record = self._code_record(sub, verdict, ahead.reg_id, ahead.at, prize)
        hooks.after_registration(conn, self.ctx.campaign, record, ahead.writes)
        text = messages.won(prize) if prize else messages.entered(entries, codes.points_per_code)
        return Result(201, outcome, text, ahead.reg_id, prize, entries, codes.points_per_code)

    def _instant_candidate(self, serial: int | None) -> Prize | None:
        """The prize this registration wins if the stock and the person's limit allow (no
        database): fixed by ``serial`` in ``serial`` mode, else (or without a serial) drawn."""
        prizes = self._instant_prizes()
        if not prizes:
            return None
        if serial is not None and self.ctx.settings.instant_win == "serial":
            return instant_win.by_serial(prizes, self._key(), serial)
        return instant_win.at_random(prizes)

    def _claim_on(self, cur: sqlite3.Cursor, person: int, prize: Prize | None) -> Prize | None:
        """:meth:`_instant_prize`'s checks and claim on the driver's cursor."""
        if prize is None:
            return None
        limit = prize.per_person_limit
        if limit is not None and sqlite_codes.prizes_won(cur, person, prize.id) >= limit:
            return None
        return prize if sqlite_codes.claim(cur, prize.id) else None

    def _registered_today(self, conn: Connection, person: int, now: datetime) -> int:
        start = now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
        return int(conn.execute(REGISTERED_SINCE, {"person": person, "since": start}).scalar_one())

    def _instant_prize(self, conn: Connection, person: int, serial: int | None) -> Prize | None:
        prize = self._instant_candidate(serial)
        if prize is None:
            return None
        if prize.per_person_limit is not None:
            won = conn.execute(PRIZES_WON, {"person": person, "prize": prize.id}).scalar_one()
            if won >= prize.per_person_limit:
                return None
        return prize if claim(conn, prize.id) else None

    def _key(self) -> bytes:
        if self._serial_key is None:
            # Derived from the sealing key: fixed for the campaign, never stored.
            self._serial_key = subkey(self.ctx.sealer.hash_key, "runtime/instant-win/v1")
        return self._serial_key

    def _instant_prizes(self) -> tuple[Prize, ...]:
        """:func:`instant_win.instant_prizes` of the context's campaign, computed once per
        campaign object."""
        campaign = self.ctx.campaign
        cached = self._prizes
        if cached is None or cached[0] is not campaign:
            cached = self._prizes = (campaign, instant_win.instant_prizes(campaign))
        return cached[1]

    # -- receipts ---------------------------------------------------------------

    def _keep_photo(self, sub: Submission, reg_id: str) -> tuple[Path | None, str | None]:
        """The local file of the photo (saved now) and the reference the receipt stores:
        that file's path, or the bucket key the photo is put under after the commit."""
        settings = self.ctx.settings
        if sub.photo is None:
            return None, None
        if settings.photo_put is not None:
            return None, photo_key(reg_id, sub.photo)
        if settings.uploads_dir is not None:
            path = save_photo(settings.uploads_dir, reg_id, sub.photo)
            return path, str(path)
        return None, None

    def _receipt_step(
        self, sub: Submission, subjects: Subjects, digest: bytes, now: datetime
    ) -> Result | _Step:
        campaign = self.ctx.campaign
        rules = campaign.mechanics.receipts
        if rules is None:
            return Result(
                422, "not_a_code", messages.NOT_A_CODE, errors={"code": messages.NOT_A_CODE}
            )
        parsed: receipts.Receipt | None = None
        if sub.receipt_qr is not None:
            try:
                parsed = receipts.parse_qr(sub.receipt_qr, self.ctx.zone)
                period = campaign.period.purchase or campaign.period.registration
                receipts.check(parsed, rules, period)
            except receipts.ReceiptProblem as exc:
                problem = str(exc)

                def rejected(conn: Connection) -> Result:
                    self.guard.admit(conn, subjects, now)
                    self.guard.count_failure(conn, subjects, now)
                    return Result(422, "receipt_rejected", problem, errors={"receipt": problem})

                return _Step(rejected, _refused)
        # Stores can only be checked on the photo; a photo alone needs a person to read it.
        pending = parsed is None or bool(rules.eligible_stores)
        reg_id = new_id()
        photo_path, photo_ref = self._keep_photo(sub, reg_id)
        put, photo = self.ctx.settings.photo_put, sub.photo
        tier = tiers.tier_on(campaign.mechanics, now.date())
        entries = tiers.entries(rules.draw_entries_per_receipt, tier)
        at = now.astimezone(UTC)

        def work(conn: Connection) -> Result:
            self.guard.admit(conn, subjects, now)
            person, created = find_or_create(
                conn, self.ctx.sealer, sub.phone, now, sub.details, digest=digest
            )
            today = 0 if created else self._registered_today(conn, person, now)
            if today >= rules.max_receipts_per_day:
                raise _DailyLimit
            prize = None if pending else self._instant_prize(conn, person, None)
            outcome: Outcome = (
                "instant_win"
                if prize is not None
                else "receipt_pending"
                if pending
                else "receipt_accepted"
            )
            conn.execute(
                INSERT_REGISTRATION,
                {
                    "id": reg_id,
                    "participant_id": person,
                    "channel": sub.channel,
                    "mechanic": "receipt",
                    "code_serial": None,
                    "code_batch": None,
                    "receipt_key": parsed.key if parsed else None,
                    "outcome": outcome,
                    "prize_id": prize.id if prize else None,
                    "draw_entries": entries,
                    "points": 0,
                    "tier": tier.name if tier else None,
                    "ip": subjects.ip,
                    "device": subjects.device,
                    "moderation": "pending" if pending else "none",
                    "created_at": at,
                },
            )
            conn.execute(
                INSERT_RECEIPT,
                {
                    "registration_id": reg_id,
                    "qr": sub.receipt_qr,
                    "total_kopecks": parsed.total_kopecks if parsed else None,
                    "purchased_at": parsed.purchased_at.astimezone(UTC) if parsed else None,
                    "photo_path": photo_ref,
                    "moderation": "pending" if pending else "none",
                    "note": None,
                },
            )
            record = RegistrationRecord(
                id=reg_id,
                campaign=campaign.slug,
                registered_at=at,
                channel=sub.channel,
                phone=sub.phone,
                outcome=outcome,
                receipt=parsed.ids if parsed else None,
                prize=prize.id if prize else None,
                **_details(sub),
            )
            hooks.after_registration(conn, campaign, record)
            text = messages.won(prize) if prize else messages.receipt(pending)
            return Result(201, outcome, text, reg_id, prize, entries, 0)

        def refused(exc: Exception) -> Result:
            # Everything the unit wrote was rolled back: the photo goes too.
            if isinstance(exc, IntegrityError | _DailyLimit | Throttled) and photo_path is not None:
                photo_path.unlink(missing_ok=True)
            if isinstance(exc, IntegrityError):
                return Result(409, "already_registered", messages.ALREADY_RECEIPT)
            if isinstance(exc, _DailyLimit):
                return Result(
                    429, "limit_reached", messages.CODES_PER_DAY, retry_after=_to_midnight(now)
                )
            return _refused(exc)

        def committed() -> None:
            # Only after the commit: the http account may put, never delete, so a
            # refused registration must leave nothing in the bucket.
            if put is None or photo is None or photo_ref is None:
                return
            try:
                put(photo_ref, photo.data)
            except Exception:
                log.exception("receipt photo of %s not stored under %s", reg_id, photo_ref)

        return _Step(work, refused, committed)


@dataclass(frozen=True)
class _Step:
    """A registration's transaction body, how to answer what it may raise, and what to do
    once it is committed."""

    work: Callable[[Connection], Result]
    refused: Callable[[Exception], Result]
    committed: Callable[[], None] | None = None


def _refused(exc: Exception) -> Result:
    """A limit or a lockout refused the attempt (and rolled its counts back); else re-raise."""
    if isinstance(exc, Throttled):
        text = messages.BLOCKED if exc.reason == "blocked" else messages.LIMITED
        return Result(429, exc.reason, text, retry_after=exc.retry_after)
    raise exc


class _Details(TypedDict, total=False):
    name: str | None
    email: str | None
    city: str | None
    birth_date: date | None


def _details(sub: Submission) -> _Details:
    d = sub.details
    born = d.get("birth_date")
    return {
        "name": d.get("name"),
        "email": d.get("email"),
        "city": d.get("city"),
        "birth_date": date.fromisoformat(born) if born else None,
    }


def _to_midnight(now: datetime) -> int:
    tomorrow = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return int((tomorrow - now).total_seconds()) + 1


def new_login_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"
