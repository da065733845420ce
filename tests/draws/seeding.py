"""Participants and registrations written straight into a real state database for draw tests.

The runtime's registration service is tested on its own; here the rows only
need the shape that service writes (UTC times, sealed phones, draw entries).
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert

from campaignctl.draws.service import draw_round
from campaignctl.model import Campaign
from campaignctl.runtime.participants import participant_id
from campaignctl.runtime.sealing import Sealer, ensure_sealer
from campaignctl.spec import load_campaign
from campaignctl.state import database_url
from campaignctl.store import open_engine, upgrade
from campaignctl.store.runtime_tables import registrations
from tests.conftest import ROOT


def copy_example(name: str, tmp_path: Path) -> Campaign:
    folder = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, folder, ignore=shutil.ignore_patterns(".campaignctl"))
    return load_campaign(folder / "campaign.yaml")


@dataclass
class Seeder:
    campaign: Campaign
    engine: Engine
    sealer: Sealer

    @classmethod
    def open(cls, campaign: Campaign) -> Seeder:
        engine = open_engine(database_url(campaign.folder))
        upgrade(engine)
        return cls(campaign, engine, ensure_sealer(campaign.folder))

    def register(
        self,
        conn: Connection,
        phone: str,
        at: datetime,
        *,
        entries: int = 1,
        moderation: str = "none",
        batch: str | None = None,
        serial: int | None = None,
        channel: str = "site",
        prize: str | None = None,
    ) -> str:
        at = at.astimezone(UTC)
        person = participant_id(conn, self.sealer, phone, at, {"name": "Тест", "city": "Москва"})
        rid = str(uuid.uuid4())
        conn.execute(
            insert(registrations).values(
                id=rid,
                participant_id=person,
                channel=channel,
                mechanic="codes" if serial is not None else "receipts",
                code_serial=serial,
                code_batch=batch,
                receipt_key=None if serial is not None else rid,
                outcome="instant_win" if prize else "draw_entry",
                prize_id=prize,
                draw_entries=entries,
                points=0,
                tier=None,
                ip="127.0.0.1",
                device=None,
                moderation=moderation,
                created_at=at,
            )
        )
        return rid

    def participant(self, conn: Connection, phone: str) -> int:
        return participant_id(conn, self.sealer, phone, datetime.now(UTC))


def drawn_bottle_caps(tmp_path: Path) -> Seeder:
    """Bottle caps with week 1 drawn among 40 participants: 11 winners, 4 reserves."""
    seeder = Seeder.open(copy_example("bottle-caps", tmp_path))
    msk = ZoneInfo("Europe/Moscow")
    with seeder.engine.begin() as conn:
        for i in range(40):
            seeder.register(conn, f"+7926{i:07d}", datetime(2027, 6, 9, 9 + i % 9, tzinfo=msk))
    draw_round(seeder.campaign, "week-01", clock=lambda: datetime(2027, 6, 17, 12, tzinfo=msk))
    return seeder
