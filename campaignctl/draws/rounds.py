"""A draw round of the campaign as the draw library sees it: its info and its rules."""

from __future__ import annotations

from campaignctl.draws.errors import DrawError
from campaignctl.draws.protocol import DrawRules, PrizeLine, RoundInfo
from campaignctl.model import Campaign
from campaignctl.model.prizes import Draw


class UnknownRound(DrawError):
    """The campaign has no draw with that id."""


def find_round(campaign: Campaign, name: str) -> Draw:
    for draw in campaign.draws:
        if draw.id == name:
            return draw
    known = ", ".join(d.id for d in campaign.draws) or "none"
    raise UnknownRound(
        f"the campaign has no draw round {name!r}",
        hint=f"rounds in draws[]: {known}",
        path=campaign.source,
    )


def round_info(campaign: Campaign, draw: Draw) -> RoundInfo:
    return RoundInfo(
        campaign=campaign.slug,
        campaign_name=campaign.campaign.name,
        organizer=campaign.organizer.legal_name,
        round=draw.id,
        round_name=draw.name or draw.id,
        scheduled_at=draw.at.isoformat(),
        entries_start=draw.entries.start.isoformat(),
        entries_end=draw.entries.end.isoformat(),
    )


def round_rules(campaign: Campaign, draw: Draw) -> DrawRules:
    lines = []
    for dp in draw.prizes:
        prize = campaign.prize(dp.prize)
        if prize is None:  # the validator rejects this; keep the library honest anyway
            raise DrawError(f"draw {draw.id} names an unknown prize {dp.prize!r}")
        lines.append(PrizeLine(prize.id, prize.name, prize.value_rub, dp.quantity))
    return DrawRules(
        prizes=tuple(lines),
        reserve_winners=draw.reserve_winners,
        max_wins_per_person=draw.max_wins_per_person,
    )
