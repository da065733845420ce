"""The cloud line of `campaignctl budget` for the Yandex target: the plan's estimate over the period."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from campaignctl.budget.cloud import planned_cloud
from campaignctl.budget.line import CostLine
from campaignctl.model import Campaign
from campaignctl.stack.yandex.cost import MONTH_DAYS, CloudEstimate
from campaignctl.stack.yandex.plan import plan


def period_cost(monthly: CloudEstimate, days: int) -> Decimal:
    """The monthly estimate over ``days`` (30-day months), to the kopeck."""
    return (monthly.monthly_rub * days / MONTH_DAYS).quantize(Decimal("0.01"), ROUND_HALF_UP)


def cloud_lines(campaign: Campaign) -> Iterator[CostLine]:
    """A :data:`~campaignctl.budget.LineProvider`: the Yandex estimate, else the default line."""
    if campaign.infrastructure.target != "yandex" or campaign.infrastructure.yandex is None:
        yield from planned_cloud(campaign)
        return
    estimate = plan(campaign).estimate
    days = campaign.period.whole.days
    yield CostLine(
        "cloud",
        "Cloud (Yandex, estimate)",
        f"{estimate.monthly_rub:,.2f} RUB/month × {days} days / {MONTH_DAYS} "
        f"(period {campaign.period.start} – {campaign.period.end}; "
        f"{estimate.traffic.requests_per_day:,} requests/day)",
        period_cost(estimate, days),
        f"estimate from the price table of {estimate.price_date} ({estimate.price_source}); "
        "`campaignctl plan` shows it by service",
    )
