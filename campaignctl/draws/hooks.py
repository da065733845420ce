"""Called inside the transaction that records a drawn round, with its protocol.

The delivery part registers its CRM winner update here (an outbox row per
winner), so the CRM hears of a winner exactly when the winner is recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from campaignctl.draws.protocol import Protocol
from campaignctl.model import Campaign

AfterDraw = Callable[[Connection, Campaign, Protocol], None]

AFTER_DRAW: list[AfterDraw] = []
