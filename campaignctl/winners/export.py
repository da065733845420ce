"""The file for the prize logistics contractor: who gets which prize, where and how.

Only winners whose prize is due (not refused, not reserves) and only what the
contractor needs to hand the prize over: name, phone, city and address. It is
personal data passed to a processor under the organizer's instruction (152-FZ
art. 6 p. 3): the file is written 0600 and never kept in the campaign folder
by default.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from sqlalchemy import Engine, select

from campaignctl.draws.tables import winners
from campaignctl.model import Campaign
from campaignctl.runtime.sealing import Sealer
from campaignctl.store.runtime_tables import participants
from campaignctl.winners.taxes import open_tax_data

COLUMNS = (
    "winner_id",
    "round",
    "prize_id",
    "prize_name",
    "fulfilment",
    "value_rub",
    "claim_state",
    "full_name",
    "phone",
    "city",
    "address",
)


def logistics_rows(engine: Engine, campaign: Campaign, sealer: Sealer) -> list[dict[str, str]]:
    query = (
        select(winners, participants.c.phone_sealed, participants.c.details_sealed)
        .join(participants, participants.c.id == winners.c.participant_id)
        .where(winners.c.claim_state.notin_(("refused", "reserve", "delivered", "handed_over")))
        .order_by(winners.c.round_id, winners.c.id)
    )
    rows = []
    with engine.connect() as conn:
        for r in conn.execute(query):
            prize = campaign.prize(r.prize_id)
            details = json.loads(sealer.open(bytes(r.details_sealed))) if r.details_sealed else {}
            tax = open_tax_data(sealer, r.tax_sealed)
            rows.append(
                {
                    "winner_id": str(r.id),
                    "round": r.round_id,
                    "prize_id": r.prize_id,
                    "prize_name": prize.name if prize else r.prize_id,
                    "fulfilment": prize.fulfilment if prize else "",
                    "value_rub": f"{r.value_kopecks / 100:.2f}",
                    "claim_state": r.claim_state,
                    "full_name": tax.get("full_name") or details.get("name", ""),
                    "phone": sealer.open(bytes(r.phone_sealed)),
                    "city": details.get("city", ""),
                    "address": tax.get("address", ""),
                }
            )
    return rows


def write_logistics(rows: list[dict[str, str]], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(buffer.getvalue())
