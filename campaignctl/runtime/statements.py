"""The registration's statements, built once at import.

A reused statement keeps its SQLAlchemy cache key, so it is neither rebuilt nor
recompiled per request; on SQLite :mod:`campaignctl.runtime.sqlite_codes` renders
the same constructs once to driver SQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    String,
    bindparam,
    exists,
    func,
    insert,
    select,
)

from campaignctl.store.runtime_tables import receipts as receipts_table
from campaignctl.store.runtime_tables import registrations
from campaignctl.store.tables import code_batches, code_redemptions, code_voids

_serial = bindparam("serial", type_=BigInteger)
_batch = bindparam("batch_id", type_=Integer)
# Redeem a serial only if its batch is live and the serial is not in a voided
# range (both may change after the batch book was loaded): no row inserted
# means voided; a duplicate serial is an IntegrityError (registered before).
REDEEM = insert(code_redemptions).from_select(
    ["serial", "batch_id", "redeemed_at", "channel"],
    select(
        _serial,
        _batch,
        bindparam("at", type_=DateTime(timezone=True)),
        bindparam("channel", type_=String(32)),
    ).where(
        exists().where(
            code_batches.c.id == _batch,
            # Not ``notin_``: an expanding IN cannot be rendered once (sqlite_path).
            code_batches.c.state != "voided",
            code_batches.c.state != "generating",
        ),
        ~exists().where(
            code_voids.c.batch_id == _batch,
            code_voids.c.first_serial <= _serial,
            code_voids.c.last_serial >= _serial,
        ),
    ),
)
REDEEM_RETURNING = REDEEM.returning(code_redemptions.c.serial)
INSERT_REGISTRATION = insert(registrations)
INSERT_RECEIPT = insert(receipts_table)
REGISTERED_SINCE = (
    select(func.count())
    .select_from(registrations)
    .where(
        registrations.c.participant_id == bindparam("person"),
        registrations.c.created_at >= bindparam("since"),
    )
)
PRIZES_WON = (
    select(func.count())
    .select_from(registrations)
    .where(
        registrations.c.participant_id == bindparam("person"),
        registrations.c.prize_id == bindparam("prize"),
    )
)
