"""A one-screen summary of a valid campaign."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table

from campaignctl.codes.capacity import Capacity
from campaignctl.model import Campaign
from campaignctl.spec.checks.codes import attempt_budget


def print_summary(campaign: Campaign, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    c = campaign
    table = Table(title=f"{c.campaign.name} ({c.slug})", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("Organizer", f"{c.organizer.legal_name}, INN {c.organizer.inn}")
    table.add_row("Period", f"{c.period.start} .. {c.period.end} ({c.period.timezone})")
    reg = c.period.registration
    table.add_row("Registration", f"{reg.start} .. {reg.end}, {reg.days} days")
    mechanics = [n for n in ("codes", "receipts", "loyalty") if getattr(c.mechanics, n)]
    channels = ", ".join(sorted(c.mechanics.channels)) or "-"
    table.add_row("Mechanics", f"{', '.join(mechanics)}; channels: {channels}")
    fund = sum((p.fund_rub for p in c.prizes), Decimal(0))
    count = sum(p.quantity for p in c.prizes)
    table.add_row("Prizes", f"{len(c.prizes)} tiers, {count:,} prizes, fund {fund:,.2f} RUB")
    if c.draws:
        table.add_row(
            "Draws", f"{len(c.draws)}: {c.draws[0].at:%Y-%m-%d} .. {c.draws[-1].at:%Y-%m-%d}"
        )
    if c.codes is not None:
        spec = c.codes
        cap = Capacity.of(
            len(spec.alphabet),
            spec.length,
            spec.count,
            attempt_budget(c),
            spec.security.accepted_risk,
        )
        table.add_row(
            "Codes",
            f"{spec.count:,} {spec.scheme}, {spec.length}+{int(spec.check_character)} chars, "
            f"guessing risk {cap.risk:.2g} (accepted {spec.security.accepted_risk:g})",
        )
    table.add_row("Target", c.infrastructure.target)
    console.print(table)
