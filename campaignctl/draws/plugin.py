"""Registers the draws' routes and the daily report with the runtime.

Imported once by :mod:`campaignctl.runtime.plugins`.
"""

from __future__ import annotations

from campaignctl.draws import api
from campaignctl.runtime import hooks
from campaignctl.runtime.context import RuntimeContext


def _daily_report(ctx: RuntimeContext) -> None:
    from campaignctl.reports.build import write_report  # noqa: PLC0415 - matplotlib loads slowly

    write_report(ctx.campaign, ctx.engine, ctx.sealer, clock=ctx.clock)


hooks.ROUTERS.append(api.router)
hooks.JOBS.append(hooks.Job("daily-report", 24 * 3600.0, _daily_report))
