"""The budget against the client's cap: prizes alone, then the whole estimate."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from campaignctl.budget import estimate
from campaignctl.budget.prices import rub
from campaignctl.model import Campaign
from campaignctl.spec.checks.registry import check, ptr
from campaignctl.spec.findings import Finding, error, warning


@check
def budget_cap(c: Campaign) -> Iterator[Finding]:
    """Prizes and their NDFL cash parts are fixed costs: over the cap is an error.

    The rest of the estimate (fees, SMS, hotline) depends on the scenario, so
    exceeding the cap with it is a warning.
    """
    cap = c.budget.cap_rub
    if cap is None:
        return
    result = estimate(c)
    fund = result.line("prize_fund").amount_rub
    cash = result.line("ndfl_cash_parts").amount_rub
    total = result.total_rub
    if fund + cash > cap:
        yield error(
            ptr("budget", "cap_rub"),
            f"the prize fund ({rub(fund)} RUB) with NDFL cash parts ({rub(cash)} RUB) exceeds the cap of {rub(cap)} RUB",
            "lower prize quantities or values, or raise the cap",
            "budget.cap",
        )
    elif total > cap:
        people = result.volumes.participants
        scenario = f"{people:,} participants" if people is not None else "no participants set"
        yield warning(
            ptr("budget", "cap_rub"),
            f"the estimated budget of {rub(total)} RUB ({scenario}) exceeds the cap of {rub(cap)} RUB by {rub(total - cap)} RUB",
            f"see `campaignctl budget {c.source}` for the lines",
            "budget.estimate",
        )
    elif fund + cash > cap * Decimal("0.9"):
        yield warning(
            ptr("budget", "cap_rub"),
            f"prizes alone take {(fund + cash) / cap:.0%} of the cap",
            "fees, SMS and hotline costs come on top",
            "budget.cap",
        )
