"""The prize fund is consistent with the mechanics, the draws and the code count."""

from __future__ import annotations

from collections.abc import Iterator

from campaignctl.model import Campaign
from campaignctl.spec.checks.registry import check, ptr
from campaignctl.spec.findings import Finding, error, warning


@check
def prize_ids(c: Campaign) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, prize in enumerate(c.prizes):
        if prize.id in seen:
            yield error(
                ptr("prizes", i, "id"),
                f"prize id '{prize.id}' is used twice",
                f"first at prizes[{seen[prize.id]}]",
                "prizes.unique-id",
            )
        seen.setdefault(prize.id, i)


@check
def draw_prizes(c: Campaign) -> Iterator[Finding]:
    drawn: dict[str, int] = {}
    for i, draw in enumerate(c.draws):
        for j, item in enumerate(draw.prizes):
            prize = c.prize(item.prize)
            where = ptr("draws", i, "prizes", j, "prize")
            if prize is None:
                known = ", ".join(p.id for p in c.prizes)
                yield error(
                    where,
                    f"unknown prize '{item.prize}'",
                    f"prizes are: {known}",
                    "draws.prize-ref",
                )
                continue
            if prize.award != "draw":
                yield error(
                    where,
                    f"prize '{prize.id}' is awarded by {prize.award}, not by draw",
                    "set its award to draw or remove it from the draw",
                    "draws.prize-ref",
                )
            drawn[prize.id] = drawn.get(prize.id, 0) + item.quantity
    for i, prize in enumerate(c.prizes):
        if prize.award != "draw":
            continue
        total = drawn.get(prize.id, 0)
        if total == 0:
            yield error(
                ptr("prizes", i, "award"),
                f"prize '{prize.id}' is awarded by draw but no draw hands it out",
                "add it to a draw's prizes",
                "prizes.undrawn",
            )
        elif total > prize.quantity:
            yield error(
                ptr("prizes", i, "quantity"),
                f"draws hand out {total} of '{prize.id}' but the fund holds {prize.quantity}",
                "the prize fund cannot run negative",
                "prizes.overdrawn",
            )
        elif total < prize.quantity:
            yield warning(
                ptr("prizes", i, "quantity"),
                f"draws hand out {total} of {prize.quantity} '{prize.id}'",
                f"{prize.quantity - total} would remain undrawn",
                "prizes.undrawn",
            )


def _registrations_cap(c: Campaign) -> int | None:
    """The most registrations the mechanics allow, when they are bounded."""
    if c.mechanics.codes is not None and c.codes is not None and c.mechanics.receipts is None:
        return c.codes.count
    return None


@check
def instant_wins(c: Campaign) -> Iterator[Finding]:
    instant = [(i, p) for i, p in enumerate(c.prizes) if p.award == "instant_win"]
    if instant and c.mechanics.codes is None and c.mechanics.receipts is None:
        i, _ = instant[0]
        yield error(
            ptr("prizes", i, "award"),
            "instant wins need codes or receipts to register",
            None,
            "prizes.instant-win",
        )
    total_p = sum(p.instant_win_probability or 0 for _, p in instant)
    if total_p > 1:
        i, _ = instant[-1]
        yield error(
            ptr("prizes", i, "instant_win_probability"),
            f"instant-win probabilities add up to {total_p:g} > 1",
            "each registration wins at most one instant prize",
            "prizes.instant-win",
        )
    cap = _registrations_cap(c)
    for i, prize in instant:
        if cap is None or prize.instant_win_probability is None:
            continue
        if prize.quantity > cap:
            yield error(
                ptr("prizes", i, "quantity"),
                f"{prize.quantity:,} instant prizes but only {cap:,} codes",
                "each code wins at most once; lower the quantity or print more codes",
                "prizes.vs-codes",
            )
            continue
        expected = cap * prize.instant_win_probability
        if expected < prize.quantity * 0.5:
            yield warning(
                ptr("prizes", i, "instant_win_probability"),
                f"even if all {cap:,} codes are registered only ~{expected:,.0f} of {prize.quantity:,} '{prize.id}' would be won",
                f"probability {prize.quantity / cap:.6g} hands out the whole stock",
                "prizes.vs-codes",
            )
        elif expected > prize.quantity * 1.5:
            share = prize.quantity / expected
            yield warning(
                ptr("prizes", i, "quantity"),
                f"the stock of '{prize.id}' runs out after ~{share:.0%} of codes are registered",
                "later participants can no longer win it; the rules must say so",
                "prizes.vs-codes",
            )
    for i, prize in enumerate(c.prizes):
        if prize.award != "instant_win" and prize.instant_win_probability is not None:
            yield warning(
                ptr("prizes", i, "instant_win_probability"),
                f"ignored: prize is awarded by {prize.award}",
                None,
                "prizes.unused-field",
            )


@check
def points_and_loyalty(c: Campaign) -> Iterator[Finding]:
    earns_points = c.mechanics.codes is not None and c.mechanics.codes.points_per_code > 0
    loyalty = c.mechanics.loyalty
    for i, prize in enumerate(c.prizes):
        if prize.award == "points_exchange" and not earns_points:
            yield error(
                ptr("prizes", i, "award"),
                "points-exchange prize but no mechanic credits points",
                "set mechanics.codes.points_per_code",
                "prizes.points",
            )
        if prize.award == "loyalty" and (loyalty is None or loyalty.reward_prize != prize.id):
            yield error(
                ptr("prizes", i, "award"),
                f"prize '{prize.id}' is awarded by loyalty selection but mechanics.loyalty does not reward it",
                None,
                "prizes.loyalty",
            )
    if loyalty is not None:
        reward = c.prize(loyalty.reward_prize)
        where = ptr("mechanics", "loyalty", "reward_prize")
        if reward is None:
            yield error(
                where,
                f"unknown prize '{loyalty.reward_prize}'",
                f"prizes are: {', '.join(p.id for p in c.prizes)}",
                "prizes.loyalty",
            )
        elif reward.award != "loyalty":
            yield error(
                where,
                f"prize '{reward.id}' is awarded by {reward.award}",
                "set its award to loyalty",
                "prizes.loyalty",
            )
