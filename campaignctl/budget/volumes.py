"""The scenario an estimate is for: how many people, registrations, SMS and calls."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from campaignctl.budget.prices import whole
from campaignctl.model import Campaign


def _dec(value: float) -> Decimal:
    # Through str so 0.3 is Decimal("0.3"), not its binary approximation.
    return Decimal(str(value))


@dataclass(frozen=True)
class Volumes:
    participants: int | None
    """Expected unique participants; None when neither the scenario nor the KPIs say."""
    participants_from: str
    registrations_per_participant: Decimal
    sms_share: Decimal
    hotline_call_share: Decimal
    minutes_per_call: Decimal

    @property
    def registrations(self) -> Decimal:
        return (self.participants or 0) * self.registrations_per_participant

    @property
    def sms_registrations(self) -> int:
        return whole(self.registrations * self.sms_share)

    @property
    def hotline_minutes(self) -> int:
        return whole((self.participants or 0) * self.hotline_call_share * self.minutes_per_call)

    def as_json(self) -> dict[str, object]:
        return {
            "participants": self.participants,
            "participants_from": self.participants_from,
            "registrations_per_participant": str(self.registrations_per_participant),
            "registrations": whole(self.registrations),
            "sms_share": str(self.sms_share),
            "sms_registrations": self.sms_registrations,
            "hotline_call_share": str(self.hotline_call_share),
            "minutes_per_call": str(self.minutes_per_call),
            "hotline_minutes": self.hotline_minutes,
        }


def volumes(
    campaign: Campaign, *, participants: int | None = None, sms_share: float | None = None
) -> Volumes:
    """The campaign's scenario with what-if overrides applied.

    Participants come from the override, else ``budget.scenario.expected_participants``,
    else the client's KPI ``campaign.kpi.participants``.
    """
    scenario = campaign.budget.scenario
    if participants is not None:
        count, source = participants, "--participants"
    elif scenario.expected_participants is not None:
        count, source = scenario.expected_participants, "budget.scenario.expected_participants"
    elif campaign.campaign.kpi.participants is not None:
        count, source = campaign.campaign.kpi.participants, "campaign.kpi.participants"
    else:
        count, source = None, "not set"
    hotline = campaign.channels.hotline
    return Volumes(
        participants=count,
        participants_from=source,
        registrations_per_participant=_dec(scenario.registrations_per_participant),
        sms_share=_dec(scenario.sms_share if sms_share is None else sms_share),
        hotline_call_share=_dec(scenario.hotline_call_share),
        minutes_per_call=_dec(hotline.minutes_per_call if hotline is not None else 0),
    )
