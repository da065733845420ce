"""What an operator does with a campaign's outbox: look, replay dead letters, purge them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.queue.message import STATES, MessageInfo, State
from campaignctl.queue.outbox import OutboxQueue
from campaignctl.state import database_url
from campaignctl.store import open_engine, upgrade


@dataclass(frozen=True)
class QueueReport:
    depth: dict[State, int]
    messages: list[MessageInfo]


@contextmanager
def campaign_queue(campaign: Campaign) -> Iterator[OutboxQueue]:
    """The outbox in the campaign's state database (migrated to the newest schema)."""
    engine = open_engine(database_url(campaign.folder))
    try:
        upgrade(engine)
        yield OutboxQueue(engine)
    finally:
        engine.dispose()


def queue_report(campaign: Campaign, state: str | None = None, limit: int = 50) -> QueueReport:
    if state is not None and state not in STATES:
        raise UserError(f"unknown state {state!r}", hint=f"one of: {', '.join(STATES)}")
    with campaign_queue(campaign) as queue:
        return QueueReport(queue.depth(), queue.messages(state, limit))


def retry_dead(campaign: Campaign, ids: Sequence[str] = ()) -> int:
    """Make dead messages (those in ``ids``, or all) pending again with fresh attempts."""
    bad = [i for i in ids if not i.isdigit()]
    if bad:
        raise UserError(f"message ids are numbers, got {', '.join(bad)}", hint="see queue list")
    with campaign_queue(campaign) as queue:
        return queue.retry_dead(ids)


def purge_dead(campaign: Campaign) -> int:
    with campaign_queue(campaign) as queue:
        return queue.purge_dead()
