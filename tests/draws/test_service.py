from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from campaignctl.draws import NoEligibleEntries, RoundAlreadyDrawn, verify
from campaignctl.draws.service import commit_round, draw_round
from campaignctl.draws.tables import draw_rounds, winners
from campaignctl.queue.tables import outbox
from campaignctl.store import CodeStore
from tests.draws.seeding import Seeder, copy_example

MSK = ZoneInfo("Europe/Moscow")


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2027, 6, day, hour, tzinfo=MSK)


@pytest.fixture
def caps(tmp_path: Path) -> Seeder:
    seeder = Seeder.open(copy_example("bottle-caps", tmp_path))
    store = CodeStore(seeder.engine)
    good = store.allocate("run-1", 1000, "keyed")
    bad = store.allocate("run-2", 1000, "keyed")
    assert good is not None and bad is not None
    store.set_state(good.id, "shipped")
    store.set_state(bad.id, "voided")
    store.add_voids(good.id, [(100, 199)], "misprint")
    return seeder


def _seed_week_one(seeder: Seeder) -> dict[str, str]:
    """30 good entries in week 1 plus one of each kind that must not take part."""
    ids: dict[str, str] = {}
    with seeder.engine.begin() as conn:
        for i in range(30):
            seeder.register(
                conn, f"+7916{i % 20:07d}", _at(7 + i % 7), batch="run-1", serial=200 + i
            )
        ids["voided_serial"] = seeder.register(
            conn, "+79160000999", _at(8), batch="run-1", serial=150
        )
        ids["voided_batch"] = seeder.register(
            conn, "+79160000998", _at(8), batch="run-2", serial=1500
        )
        ids["after_window"] = seeder.register(
            conn, "+79160000997", _at(14, 0), batch="run-1", serial=400
        )
        ids["before_window"] = seeder.register(
            conn, "+79160000996", _at(6, 23), batch="run-1", serial=401
        )
        ids["rejected"] = seeder.register(
            conn, "+79160000995", _at(9), batch="run-1", serial=402, moderation="rejected"
        )
        ids["pending"] = seeder.register(
            conn, "+79160000994", _at(9), batch="run-1", serial=403, moderation="pending"
        )
    return ids


def test_commit_then_draw_writes_a_verifiable_protocol_and_the_winners(caps: Seeder) -> None:
    excluded = _seed_week_one(caps)
    committed = commit_round(caps.campaign, "week-01")
    assert committed.new and len(committed.commitment) == 64
    again = commit_round(caps.campaign, "week-01")
    assert not again.new and again.commitment == committed.commitment

    drawn = draw_round(caps.campaign, "week-01")
    assert {p.name for p in drawn.files} == {
        "entries.csv",
        "protocol.json",
        "protocol.html",
        "protocol.pdf",
    }
    protocol = drawn.protocol
    assert protocol.commitment == committed.commitment
    assert protocol.entries_count == 30 and protocol.persons == 20
    entry_ids = (drawn.folder / "entries.csv").read_text()
    for reason, rid in excluded.items():
        assert rid not in entry_ids, reason
    assert "+7916" not in entry_ids  # no phones in the published list
    # 1 scooter + 10 certificates, 2 reserves per prize line, one prize per person
    assert len(protocol.winners()) == 11 and len(protocol.reserves()) == 4
    assert len({p.person for p in protocol.picks}) == 15
    assert verify(drawn.folder / "protocol.json").protocol == protocol

    raw = json.loads((drawn.folder / "protocol.json").read_text())
    assert all(p["label"].startswith("+7 *** ***-") for p in raw["picks"])
    with caps.engine.connect() as conn:
        state = conn.execute(select(draw_rounds.c.state, draw_rounds.c.seed)).one()
        rows = conn.execute(select(winners.c.kind, winners.c.claim_state)).all()
    assert state == ("drawn", protocol.seed)
    assert sorted(set(rows)) == [("reserve", "reserve"), ("winner", "drawn")]


def test_drawing_a_round_twice_is_refused(caps: Seeder) -> None:
    _seed_week_one(caps)
    first = draw_round(caps.campaign, "week-01")
    before = sorted(p.read_bytes() for p in first.files)
    with pytest.raises(RoundAlreadyDrawn, match="drawn already"):
        draw_round(caps.campaign, "week-01")
    with pytest.raises(RoundAlreadyDrawn):
        commit_round(caps.campaign, "week-01")
    assert sorted(p.read_bytes() for p in first.folder.iterdir()) == before


def test_no_eligible_entries_writes_nothing(caps: Seeder) -> None:
    _seed_week_one(caps)
    with pytest.raises(NoEligibleEntries, match="no eligible entries"):
        draw_round(caps.campaign, "week-03")
    assert not (caps.campaign.folder / "draws").exists()
    with caps.engine.connect() as conn:
        assert conn.execute(select(draw_rounds)).first() is None


def test_a_draw_queues_one_crm_winner_update_per_winner(caps: Seeder) -> None:
    _seed_week_one(caps)
    commit_round(caps.campaign, "week-01")
    drawn = draw_round(caps.campaign, "week-01")
    with caps.engine.connect() as conn:
        keys = (
            conn.execute(select(outbox.c.idempotency_key).where(outbox.c.topic == "crm.winner"))
            .scalars()
            .all()
        )
    expected = {
        f"crm-winner:{caps.campaign.slug}:week-01:{p.entry_id}:{p.prize}"
        for p in drawn.protocol.winners()
    }
    assert set(keys) == expected and len(keys) == 11
