"""Cloud costs: a line provider that the stack's estimate can replace."""

from __future__ import annotations

from collections.abc import Iterator

from campaignctl.budget.line import CostLine
from campaignctl.budget.prices import ZERO
from campaignctl.model import Campaign


def planned_cloud(c: Campaign) -> Iterator[CostLine]:
    """The cloud line until the stack provides an estimate: zero, with where to look.

    A real estimate plugs in as another :data:`~campaignctl.budget.line.LineProvider`
    passed to :func:`campaignctl.budget.estimate` as ``cloud=``.
    """
    if c.infrastructure.target == "local":
        yield CostLine("cloud", "Cloud", "target local: runs on your own machine", ZERO)
    else:
        yield CostLine(
            "cloud",
            "Cloud",
            f"target {c.infrastructure.target}: not estimated here",
            ZERO,
            "see `campaignctl plan` (Yandex target) for the monthly estimate",
        )
