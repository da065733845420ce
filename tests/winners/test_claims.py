from __future__ import annotations

import pytest

from campaignctl.winners.claims import ClaimError, list_winners, set_state
from campaignctl.winners.public import public_rounds, public_winners
from tests.draws.seeding import Seeder


def test_claim_moves_forward_and_refusal_promotes_the_next_reserve(drawn: Seeder) -> None:
    with drawn.engine.connect() as conn:
        everyone = list_winners(conn)
    scooter = next(w for w in everyone if w.prize_id == "scooter" and w.kind == "winner")
    reserves = sorted(
        (w for w in everyone if w.prize_id == "scooter" and w.kind == "reserve"),
        key=lambda w: w.rank,
    )
    assert set_state(drawn.engine, scooter.id, "notified").winner.claim_state == "notified"
    change = set_state(drawn.engine, scooter.id, "refused")
    assert change.promoted is not None and change.promoted.id == reserves[0].id
    assert change.promoted.claim_state == "drawn" and change.promoted.replaces_id == scooter.id
    second = set_state(drawn.engine, reserves[0].id, "refused")
    assert second.promoted is not None and second.promoted.id == reserves[1].id
    assert set_state(drawn.engine, reserves[1].id, "refused").promoted is None


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (["delivered"], "cannot become delivered"),
        (["notified", "handed_over", "refused"], "cannot become refused"),
        (["bogus"], "unknown claim state"),
        (["reserve"], "unknown claim state"),
    ],
)
def test_impossible_changes_are_refused(drawn: Seeder, steps: list[str], message: str) -> None:
    with drawn.engine.connect() as conn:
        first = list_winners(conn)[0]
    with pytest.raises(ClaimError, match=message):
        for step in steps:
            set_state(drawn.engine, first.id, step)


def test_a_reserve_cannot_be_moved_by_hand(drawn: Seeder) -> None:
    with drawn.engine.connect() as conn:
        reserve = next(w for w in list_winners(conn) if w.kind == "reserve")
    with pytest.raises(ClaimError, match="is reserve"):
        set_state(drawn.engine, reserve.id, "notified")


def test_public_data_shows_masked_winners_and_commitments(drawn: Seeder) -> None:
    with drawn.engine.connect() as conn:
        shown = public_winners(conn, drawn.campaign)
        rounds = public_rounds(conn, drawn.campaign)
    assert len(shown) == 11
    assert all(w["phone"].startswith("+7 *** ***-") for w in shown)
    assert {w["prize"] for w in shown} == {"scooter", "cert-5000"}
    week1, week2 = rounds[0], rounds[1]
    assert week1["state"] == "drawn" and len(week1["seed"]) == 64
    assert week2 == {**week2, "state": "planned", "commitment": None, "seed": None}
