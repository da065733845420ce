"""Lines that scale with participants: SMS replies and hotline minutes; and code generation."""

from __future__ import annotations

from campaignctl.budget.line import CostLine, times
from campaignctl.budget.prices import FREE_CODES, ZERO, kopecks
from campaignctl.budget.volumes import Volumes
from campaignctl.model import Campaign

_NO_PARTICIPANTS = (
    "no expected participants: set budget.scenario.expected_participants or pass --participants"
)


def sms(c: Campaign, v: Volumes) -> CostLine:
    """One reply per SMS registration, one segment each.

    The seed price is per SMS sent to participants; inbound messages are the
    participant's own. The spec holds no reply text, so a reply counts as one
    segment: a Cyrillic (UCS-2) reply over 70 characters is 2+ segments of 67.
    """
    price = c.budget.prices.sms_rub
    if "sms" not in c.mechanics.channels:
        return CostLine("sms", "SMS replies", "registration by SMS is not enabled", ZERO)
    basis = (
        f"{times(price, v.sms_registrations)} replies "
        f"({v.participants or 0:,} participants × {v.registrations_per_participant} "
        f"registrations × {v.sms_share} by SMS; one 1-segment reply each)"
    )
    note = None if v.participants is not None else _NO_PARTICIPANTS
    return CostLine("sms", "SMS replies", basis, kopecks(price * v.sms_registrations), note)


def hotline(c: Campaign, v: Volumes) -> CostLine:
    price = c.budget.prices.call_minute_rub
    if c.channels.hotline is None:
        return CostLine("hotline", "Hotline minutes", "no channels.hotline", ZERO)
    basis = (
        f"{times(price, v.hotline_minutes)} minutes ({v.participants or 0:,} participants "
        f"× {v.hotline_call_share} call × {v.minutes_per_call} min)"
    )
    note = None if v.participants is not None else _NO_PARTICIPANTS
    return CostLine("hotline", "Hotline minutes", basis, kopecks(price * v.hotline_minutes), note)


def code_generation(c: Campaign) -> CostLine:
    if c.codes is None:
        return CostLine("code_generation", "Code generation", "no codes section", ZERO)
    count = c.codes.count
    basis = f"{count:,} codes, free up to {FREE_CODES:,} (iActions price list)"
    note = None
    if count > FREE_CODES:
        note = f"the seed price list has no price above {FREE_CODES:,} codes: ask for a quote"
    return CostLine("code_generation", "Code generation", basis, ZERO, note)
