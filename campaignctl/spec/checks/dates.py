"""Dates in order and inside the period; draws inside the registration window."""

from __future__ import annotations

from collections.abc import Iterator

from campaignctl.model import Campaign
from campaignctl.spec.checks.registry import check, ptr
from campaignctl.spec.findings import Finding, error, warning

_ART9 = "38-FZ art. 9 requires the promotion's dates in its rules and ads"


@check
def period_order(c: Campaign) -> Iterator[Finding]:
    p = c.period
    if p.start > p.end:
        yield error(
            ptr("period", "end"),
            f"ends ({p.end}) before it starts ({p.start})",
            _ART9,
            "period.order",
        )
        return
    reg = p.registration
    if reg.start > reg.end:
        yield error(
            ptr("period", "registration", "end"),
            f"registration ends ({reg.end}) before it starts ({reg.start})",
            None,
            "period.order",
        )
    for name, day in (("start", reg.start), ("end", reg.end)):
        if day not in p.whole:
            yield error(
                ptr("period", "registration", name),
                f"registration {name} {day} is outside the promotion period {p.start}..{p.end}",
                "registration happens within the promotion's dates",
                "period.inside",
            )
    if p.claim_deadline < reg.end:
        yield error(
            ptr("period", "claim_deadline"),
            f"prize claim deadline {p.claim_deadline} is before registration ends ({reg.end})",
            "winners need time to claim prizes after the last registration",
            "period.order",
        )
    if p.claim_deadline > p.end:
        yield error(
            ptr("period", "claim_deadline"),
            f"prize claim deadline {p.claim_deadline} is after the promotion ends ({p.end})",
            "the promotion period includes prize hand-over; extend period.end",
            "period.inside",
        )
    if p.winners_announced_by is not None and not (reg.start <= p.winners_announced_by <= p.end):
        yield error(
            ptr("period", "winners_announced_by"),
            f"{p.winners_announced_by} is outside {reg.start}..{p.end}",
            None,
            "period.inside",
        )
    if p.purchase is not None:
        if p.purchase.start > p.purchase.end:
            yield error(
                ptr("period", "purchase", "end"),
                "purchase window ends before it starts",
                None,
                "period.order",
            )
        if p.purchase.start not in p.whole or p.purchase.end not in p.whole:
            yield error(
                ptr("period", "purchase"),
                f"purchase window {p.purchase.start}..{p.purchase.end} is outside the period",
                None,
                "period.inside",
            )
    if p.end < reg.end:
        return
    if (p.claim_deadline - reg.end).days < 7 and p.claim_deadline >= reg.end:
        yield warning(
            ptr("period", "claim_deadline"),
            f"only {(p.claim_deadline - reg.end).days} day(s) between the last registration "
            "and the claim deadline",
            "winners of the last draw usually get at least 2-4 weeks",
            "period.claim-window",
        )


@check
def draw_windows(c: Campaign) -> Iterator[Finding]:
    reg = c.period.registration
    seen: dict[str, int] = {}
    previous = None
    for i, draw in enumerate(c.draws):
        if draw.id in seen:
            yield error(
                ptr("draws", i, "id"),
                f"draw id '{draw.id}' is used twice",
                f"first at draws[{seen[draw.id]}]",
                "draws.unique-id",
            )
        seen.setdefault(draw.id, i)
        entries = draw.entries
        if entries.start > entries.end:
            yield error(
                ptr("draws", i, "entries", "end"),
                "entries window ends before it starts",
                None,
                "draws.window",
            )
        for name, day in (("start", entries.start), ("end", entries.end)):
            if day not in reg:
                yield error(
                    ptr("draws", i, "entries", name),
                    f"entries {name} {day} is outside the registration window {reg.start}..{reg.end}",
                    "only registrations made during the registration window can take part",
                    "draws.window",
                )
        held = draw.at.date()
        if held < entries.end:
            yield error(
                ptr("draws", i, "at"),
                f"the draw ({held}) is held before its entries close ({entries.end})",
                "hold a draw after the last day of its entries window",
                "draws.window",
            )
        if held > c.period.end:
            yield error(
                ptr("draws", i, "at"),
                f"the draw ({held}) is after the promotion ends ({c.period.end})",
                None,
                "draws.window",
            )
        elif held > c.period.claim_deadline:
            yield error(
                ptr("draws", i, "at"),
                f"the draw ({held}) is after the prize claim deadline ({c.period.claim_deadline})",
                "winners must be able to claim their prizes",
                "draws.window",
            )
        if draw.at.tzinfo is None:
            yield warning(
                ptr("draws", i, "at"),
                "draw time has no time zone offset",
                "add +03:00 for Moscow time",
                "draws.timezone",
            )
        if previous is not None and draw.at < previous:
            yield warning(ptr("draws", i, "at"), "draws are not in date order", None, "draws.order")
        previous = draw.at


@check
def dated_windows(c: Campaign) -> Iterator[Finding]:
    whole = c.period.whole
    loyalty = c.mechanics.loyalty
    if loyalty is not None:
        window = loyalty.criteria.window
        if window.start > window.end or window.start not in whole or window.end not in whole:
            yield error(
                ptr("mechanics", "loyalty", "criteria", "window"),
                f"purchase window {window.start}..{window.end} must be ordered and inside the period",
                None,
                "period.inside",
            )
    tiers = c.mechanics.dated_tiers
    for i, tier in enumerate(tiers):
        if tier.start > tier.end or tier.start not in whole or tier.end not in whole:
            yield error(
                ptr("mechanics", "dated_tiers", i),
                f"tier '{tier.name}' {tier.start}..{tier.end} must be ordered and inside the period",
                None,
                "tiers.window",
            )
        for j in range(i):
            other = tiers[j]
            if tier.start <= other.end and other.start <= tier.end:
                yield error(
                    ptr("mechanics", "dated_tiers", i, "start"),
                    f"tier '{tier.name}' overlaps tier '{other.name}'",
                    "a date belongs to one tier only",
                    "tiers.overlap",
                )
