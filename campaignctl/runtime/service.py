"""Registering a code or a receipt: one transaction that commits everything or nothing.

In that transaction: the anti-fraud check and counts, the code redemption (its
serial is a primary key) or the receipt key (unique), the participant, the
prize claim (conditional UPDATE on the stock), the registration row and every
:data:`campaignctl.runtime.hooks.AFTER_REGISTRATION` hook (e.g. the delivery
outbox). Of many concurrent registrations of one code exactly one commits.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal, TypedDict

from sqlalchemy import Connection, and_, exists, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from campaignctl.codes.book import Verdict
from campaignctl.codes.keys import subkey
from campaignctl.crm.record import RegistrationRecord
from campaignctl.model.prizes import Prize
from campaignctl.registration import Outcome
from campaignctl.runtime import hooks, messages
from campaignctl.runtime.antifraud import Guard, Subjects, Throttled, flag
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.form import Submission
from campaignctl.runtime.mechanics import instant_win, receipts, tiers
from campaignctl.runtime.participants import participant_id
from campaignctl.runtime.photos import save_photo
from campaignctl.runtime.stock import claim
from campaignctl.store import BatchRow
from campaignctl.store.runtime_tables import receipts as receipts_table
from campaignctl.store.runtime_tables import registrations
from campaignctl.store.tables import code_batches, code_redemptions, code_voids

Status = Literal[201, 409, 422, 429]
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

    # -- public -----------------------------------------------------------------

    def register(
        self, sub: Submission, *, ip: str | None = None, device: str | None = None
    ) -> Result:
        ctx = self.ctx
        now = ctx.local_now()
        if now.date() not in ctx.campaign.period.registration:
            return Result(422, "outside_period", messages.outside(ctx.campaign), errors={})
        if ctx.captcha is not None and not ctx.captcha.verify(sub.captcha_token or "", ip):
            return Result(422, "blocked", messages.CAPTCHA, errors={"captcha": messages.CAPTCHA})
        subjects = Subjects(ctx.sealer.digest(sub.phone).hex()[:32], ip, device)
        try:
            for attempt in range(DEADLOCK_RETRIES):
                try:
                    if sub.code is not None and ctx.campaign.mechanics.codes is not None:
                        return self._register_code(sub, subjects, now)
                    return self._register_receipt(sub, subjects, now)
                except OperationalError:
                    # InnoDB resolves a deadlock between concurrent inserts of one key
                    # by rolling back a whole transaction (savepoints included): run
                    # it again; the retry sees the winner's row and answers 409.
                    if attempt == DEADLOCK_RETRIES - 1:
                        raise
                    time.sleep(0.005 * (attempt + 1) * (1 + secrets.randbelow(4)))
            raise AssertionError("not reached")  # pragma: no cover
        except Throttled as exc:
            text = messages.BLOCKED if exc.reason == "blocked" else messages.LIMITED
            return Result(429, exc.reason, text, retry_after=exc.retry_after)

    # -- codes ------------------------------------------------------------------

    def _register_code(self, sub: Submission, subjects: Subjects, now: datetime) -> Result:
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
        with self.ctx.engine.begin() as conn:
            self.guard.check(conn, subjects, now)
            self.guard.count_attempt(conn, subjects, now)
            if verdict is not None and verdict.ok and batch is not None:
                try:
                    with conn.begin_nested():
                        return self._redeem(conn, sub, subjects, verdict, batch, now)
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

    def _redeem(
        self,
        conn: Connection,
        sub: Submission,
        subjects: Subjects,
        verdict: Verdict,
        batch: BatchRow,
        now: datetime,
    ) -> Result:
        serial = verdict.serial
        assert serial is not None  # noqa: S101
        voided = exists().where(
            and_(
                code_voids.c.batch_id == batch.id,
                code_voids.c.first_serial <= serial,
                code_voids.c.last_serial >= serial,
            )
        )
        batch_ok = exists().where(
            and_(
                code_batches.c.id == batch.id, code_batches.c.state.notin_(("voided", "generating"))
            )
        )
        if not conn.execute(select(batch_ok & ~voided)).scalar_one():
            raise _Voided  # voided since the batch book was loaded
        at = now.astimezone(UTC)
        conn.execute(
            insert(code_redemptions).values(
                serial=serial, batch_id=batch.id, redeemed_at=at, channel=sub.channel
            )
        )
        person = participant_id(conn, self.ctx.sealer, sub.phone, now, sub.details)
        codes = self.ctx.campaign.mechanics.codes
        assert codes is not None  # noqa: S101
        if self._registered_today(conn, person, now) >= codes.max_codes_per_day:
            raise _DailyLimit
        prize = self._instant_prize(conn, person, serial)
        tier = tiers.tier_on(self.ctx.campaign.mechanics, now.date())
        entries = tiers.entries(codes.draw_entries_per_code, tier)
        points = codes.points_per_code
        outcome: Outcome = "instant_win" if prize is not None else "draw_entry"
        reg_id = str(uuid.uuid4())
        conn.execute(
            insert(registrations).values(
                id=reg_id,
                participant_id=person,
                channel=sub.channel,
                mechanic="code",
                code_serial=serial,
                code_batch=verdict.batch,
                outcome=outcome,
                prize_id=prize.id if prize else None,
                draw_entries=entries,
                points=points,
                tier=tier.name if tier else None,
                ip=subjects.ip,
                device=subjects.device,
                moderation="none",
                created_at=at,
            )
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
        for hook in hooks.AFTER_REGISTRATION:
            hook(conn, self.ctx.campaign, record)
        text = messages.won(prize) if prize else messages.entered(entries, points)
        return Result(201, outcome, text, reg_id, prize, entries, points)

    def _registered_today(self, conn: Connection, person: int, now: datetime) -> int:
        start = now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
        return int(
            conn.execute(
                select(func.count())
                .select_from(registrations)
                .where(
                    registrations.c.participant_id == person, registrations.c.created_at >= start
                )
            ).scalar_one()
        )

    def _instant_prize(self, conn: Connection, person: int, serial: int | None) -> Prize | None:
        prizes = instant_win.instant_prizes(self.ctx.campaign)
        if not prizes:
            return None
        if serial is not None and self.ctx.settings.instant_win == "serial":
            prize = instant_win.by_serial(prizes, self._key(), serial)
        else:
            prize = instant_win.at_random(prizes)
        if prize is None:
            return None
        if prize.per_person_limit is not None:
            won = conn.execute(
                select(func.count())
                .select_from(registrations)
                .where(
                    registrations.c.participant_id == person, registrations.c.prize_id == prize.id
                )
            ).scalar_one()
            if won >= prize.per_person_limit:
                return None
        return prize if claim(conn, prize.id) else None

    def _key(self) -> bytes:
        if self._serial_key is None:
            # Derived from the sealing key: fixed for the campaign, never stored.
            self._serial_key = subkey(self.ctx.sealer.hash_key, "runtime/instant-win/v1")
        return self._serial_key

    # -- receipts ---------------------------------------------------------------

    def _register_receipt(self, sub: Submission, subjects: Subjects, now: datetime) -> Result:
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
                with self.ctx.engine.begin() as conn:
                    self.guard.check(conn, subjects, now)
                    self.guard.count_attempt(conn, subjects, now)
                    self.guard.count_failure(conn, subjects, now)
                return Result(422, "receipt_rejected", str(exc), errors={"receipt": str(exc)})
        # Stores can only be checked on the photo; a photo alone needs a person to read it.
        pending = parsed is None or bool(rules.eligible_stores)
        reg_id = str(uuid.uuid4())
        photo_path = None
        if sub.photo is not None and self.ctx.settings.uploads_dir is not None:
            photo_path = save_photo(self.ctx.settings.uploads_dir, reg_id, sub.photo)
        tier = tiers.tier_on(campaign.mechanics, now.date())
        entries = tiers.entries(rules.draw_entries_per_receipt, tier)
        outcome: Outcome = "receipt_pending" if pending else "receipt_accepted"
        at = now.astimezone(UTC)
        try:
            with self.ctx.engine.begin() as conn:
                self.guard.check(conn, subjects, now)
                self.guard.count_attempt(conn, subjects, now)
                person = participant_id(conn, self.ctx.sealer, sub.phone, now, sub.details)
                if self._registered_today(conn, person, now) >= rules.max_receipts_per_day:
                    raise _DailyLimit
                prize = None if pending else self._instant_prize(conn, person, None)
                if prize is not None:
                    outcome = "instant_win"
                conn.execute(
                    insert(registrations).values(
                        id=reg_id,
                        participant_id=person,
                        channel=sub.channel,
                        mechanic="receipt",
                        receipt_key=parsed.key if parsed else None,
                        outcome=outcome,
                        prize_id=prize.id if prize else None,
                        draw_entries=entries,
                        points=0,
                        tier=tier.name if tier else None,
                        ip=subjects.ip,
                        device=subjects.device,
                        moderation="pending" if pending else "none",
                        created_at=at,
                    )
                )
                conn.execute(
                    insert(receipts_table).values(
                        registration_id=reg_id,
                        qr=sub.receipt_qr,
                        total_kopecks=parsed.total_kopecks if parsed else None,
                        purchased_at=parsed.purchased_at.astimezone(UTC) if parsed else None,
                        photo_path=str(photo_path) if photo_path else None,
                        moderation="pending" if pending else "none",
                    )
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
                for hook in hooks.AFTER_REGISTRATION:
                    hook(conn, campaign, record)
        except IntegrityError:
            if photo_path is not None:
                photo_path.unlink(missing_ok=True)
            return Result(409, "already_registered", messages.ALREADY_RECEIPT)
        except _DailyLimit:
            return Result(
                429, "limit_reached", messages.CODES_PER_DAY, retry_after=_to_midnight(now)
            )
        text = messages.won(prize) if prize else messages.receipt(pending)
        return Result(201, outcome, text, reg_id, prize, entries, 0)


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
