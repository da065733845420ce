"""Which registrations take part in a round: the spec's rules as one streamed query.

An entry is a registration that

- carries draw entries (its weight: ``draw_entries``, tier multipliers already applied);
- was made inside the round's entries window (dates in the campaign's time zone),
  or earlier and never won, when the round carries entries over;
- passed moderation: ``approved`` or not subject to it (``none``) when the round
  takes moderated entries only, anything but ``rejected`` otherwise;
- did not come from a voided code: not in a voided batch, not in a voided
  serial range (misprints leave the statistics and the draws alike).

The per-person limit (``max_wins_per_person``) is applied by the draw itself,
on the pseudonymous person id, so anyone can check it from the published file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, exists, not_, or_, select

from campaignctl.draws.entries import Entry, EntryList, person_id
from campaignctl.draws.tables import winners
from campaignctl.model import Campaign
from campaignctl.model.prizes import Draw
from campaignctl.store.runtime_tables import registrations
from campaignctl.store.tables import code_batches, code_voids


@dataclass(frozen=True)
class Candidate:
    registration_id: str
    participant_id: int
    weight: int


def window_utc(campaign: Campaign, draw: Draw) -> tuple[datetime, datetime]:
    """[start, end) of the entries window in UTC: local midnight to the midnight after the end."""
    zone = ZoneInfo(campaign.period.timezone)
    start = datetime.combine(draw.entries.start, time(0), zone)
    end = datetime.combine(draw.entries.end + timedelta(days=1), time(0), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def candidates(conn: Connection, campaign: Campaign, draw: Draw) -> Iterator[Candidate]:
    """The eligible registrations of ``draw``, streamed, in registration-id order."""
    r = registrations.c
    start, end = window_utc(campaign, draw)
    in_window = and_(r.created_at >= start, r.created_at < end)
    if draw.carry_over:
        won_before = exists().where(
            and_(winners.c.registration_id == r.id, winners.c.kind == "winner")
        )
        in_window = or_(in_window, and_(r.created_at < start, not_(won_before)))
    moderation = (
        r.moderation.in_(("approved", "none"))
        if draw.moderated_only
        else r.moderation != "rejected"
    )
    voided_batch = exists().where(
        and_(code_batches.c.name == r.code_batch, code_batches.c.state == "voided")
    )
    voided_serial = exists().where(
        and_(
            code_voids.c.batch_id == code_batches.c.id,
            code_batches.c.name == r.code_batch,
            code_voids.c.first_serial <= r.code_serial,
            code_voids.c.last_serial >= r.code_serial,
        )
    )
    from_good_code = or_(r.code_serial.is_(None), and_(not_(voided_batch), not_(voided_serial)))
    query = (
        select(r.id, r.participant_id, r.draw_entries)
        .where(r.draw_entries > 0, in_window, moderation, from_good_code)
        .order_by(r.id)
        .execution_options(yield_per=10_000)
    )
    for row in conn.execute(query):
        yield Candidate(str(row.id), int(row.participant_id), int(row.draw_entries))


def person_of(key: bytes, participant: int) -> str:
    return person_id(key, f"participant:{participant}")


def eligible_entries(
    conn: Connection, campaign: Campaign, draw: Draw, person_key: bytes
) -> tuple[EntryList, dict[str, int]]:
    """The round's entries for publication and the participant behind each entry id."""
    owners: dict[str, int] = {}
    listed: list[Entry] = []
    for found in candidates(conn, campaign, draw):
        owners[found.registration_id] = found.participant_id
        listed.append(
            Entry(found.registration_id, person_of(person_key, found.participant_id), found.weight)
        )
    return EntryList.of(listed), owners
