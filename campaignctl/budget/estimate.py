"""The budget estimate of a campaign: its lines, total, cost per participant and the cap."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from campaignctl.budget.cloud import planned_cloud
from campaignctl.budget.contact import code_generation, hotline, sms
from campaignctl.budget.fund import fund_lines
from campaignctl.budget.line import CostLine, LineProvider
from campaignctl.budget.prices import PRICE_TABLE_DATE, PRICE_TABLE_SOURCE, kopecks
from campaignctl.budget.volumes import Volumes, volumes
from campaignctl.model import Campaign
from campaignctl.model.policy import Prices


@dataclass(frozen=True)
class CapComparison:
    cap_rub: Decimal
    total_rub: Decimal

    @property
    def remaining_rub(self) -> Decimal:
        """Left under the cap; negative when over it."""
        return self.cap_rub - self.total_rub

    @property
    def over(self) -> bool:
        return self.total_rub > self.cap_rub

    @property
    def used(self) -> Decimal | None:
        """Share of the cap the estimate takes, e.g. 0.8734; None for a zero cap."""
        return (self.total_rub / self.cap_rub).quantize(Decimal("0.0001")) if self.cap_rub else None

    def as_json(self) -> dict[str, object]:
        return {
            "cap_rub": f"{self.cap_rub:.2f}",
            "remaining_rub": f"{self.remaining_rub:.2f}",
            "over": self.over,
            "used": None if self.used is None else str(self.used),
        }


@dataclass(frozen=True)
class Estimate:
    slug: str
    lines: tuple[CostLine, ...]
    volumes: Volumes
    prices: Prices
    cap: CapComparison | None

    @property
    def total_rub(self) -> Decimal:
        return sum((line.amount_rub for line in self.lines), Decimal("0.00"))

    @property
    def per_participant_rub(self) -> Decimal | None:
        """Total over expected participants, to the kopeck (a figure, not a payment)."""
        people = self.volumes.participants
        return kopecks(self.total_rub / people) if people else None

    def line(self, line_id: str) -> CostLine:
        return next(line for line in self.lines if line.id == line_id)

    def as_json(self) -> dict[str, object]:
        per = self.per_participant_rub
        return {
            "campaign": self.slug,
            "currency": "RUB",
            "price_table": {
                "source": PRICE_TABLE_SOURCE,
                "date": PRICE_TABLE_DATE,
                **{
                    name: f"{value:.2f}" if name.endswith("_rub") else str(value)
                    for name, value in vars(self.prices).items()
                },
            },
            "scenario": self.volumes.as_json(),
            "lines": [line.as_json() for line in self.lines],
            "total_rub": f"{self.total_rub:.2f}",
            "per_participant_rub": None if per is None else f"{per:.2f}",
            "cap": None if self.cap is None else self.cap.as_json(),
        }


def estimate(
    campaign: Campaign,
    *,
    participants: int | None = None,
    sms_share: float | None = None,
    cloud: LineProvider = planned_cloud,
) -> Estimate:
    """Estimate a campaign's budget from its prizes, prices and scenario.

    ``participants`` and ``sms_share`` override the spec's scenario for what-if
    runs; ``cloud`` supplies the cloud line(s) for the campaign's target.
    """
    v = volumes(campaign, participants=participants, sms_share=sms_share)
    lines = (
        *fund_lines(campaign),
        sms(campaign, v),
        hotline(campaign, v),
        code_generation(campaign),
        *cloud(campaign),
    )
    total = sum((line.amount_rub for line in lines), Decimal("0.00"))
    cap = campaign.budget.cap_rub
    return Estimate(
        slug=campaign.slug,
        lines=lines,
        volumes=v,
        prices=campaign.budget.prices,
        cap=None if cap is None else CapComparison(cap, total),
    )
