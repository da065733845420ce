"""``campaignctl up``: validate → render → migrate → key → serve, on this machine or in Yandex Cloud."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from campaignctl.errors import UserError
from campaignctl.model.campaign import Campaign
from campaignctl.render.build import render
from campaignctl.runtime import ports, process
from campaignctl.runtime.app import build_context

Target = Literal["local", "yandex"]


class BadClock(UserError):
    """``--clock`` is neither ``start`` nor an ISO date-time."""


@dataclass(frozen=True)
class Plan:
    """Where the stack will answer, known before it starts."""

    host: str
    port: int
    clock_offset: float
    admin_token: Path
    replaced: bool
    """A server of this campaign was running and was stopped to apply the new spec."""

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"


def clock_offset(campaign: Campaign, clock: str | None, now: datetime | None = None) -> float:
    """Seconds to add to real time. ``start``: noon of the first registration day; or an ISO time."""
    if not clock:
        return 0.0
    zone = ZoneInfo(campaign.period.timezone)
    if clock == "start":
        target = datetime.combine(campaign.period.registration.start, time(12), zone)
    else:
        try:
            target = datetime.fromisoformat(clock)
        except ValueError:
            raise BadClock(
                f"--clock {clock!r} is not a date-time",
                hint="use 'start' or e.g. 2027-06-10T12:00:00+03:00",
            ) from None
        if target.tzinfo is None:
            target = target.replace(tzinfo=zone)
    return (target - (now or datetime.now(UTC))).total_seconds()


def prepare(campaign: Campaign, *, port: int | None = None, clock: str | None = None) -> Plan:
    """Render the build, migrate the database, ensure keys and the admin token; stop a running server."""
    local = campaign.infrastructure.local
    port = port or local.port
    replaced = process.stop(campaign)
    render(campaign)
    ctx = build_context(campaign)
    ctx.engine.dispose()
    token = process.admin_token(campaign)
    _check_port(local.host, port)
    return Plan(local.host, port, clock_offset(campaign, clock), token, replaced)


def _check_port(host: str, port: int) -> None:
    """Refuse a port someone holds, naming who; wait a moment for processes still exiting
    (the workers of a server killed a moment ago)."""
    found = ports.wait_for_port(host, port)
    if found is None:
        return
    who = ", ".join(h.describe() for h in found) if found else "another program"
    raise process.PortBusy(
        f"port {port} on {host} is in use by {who}",
        hint="stop that program, or choose another port with --port",
    )


def start(
    campaign: Campaign, plan: Plan, *, detach: bool, workers: int | None = None
) -> process.Running | None:
    """Detached: return once healthy. Foreground: serve until Ctrl-C/SIGTERM, then return None.

    ``workers``: HTTP processes (default: one per core, see
    :func:`~campaignctl.runtime.supervisor.auto_workers`).
    """
    if detach:
        return process.start_detached(
            campaign, plan.host, plan.port, plan.clock_offset, workers=workers
        )
    import os  # noqa: PLC0415

    from campaignctl.runtime.context import CLOCK_ENV  # noqa: PLC0415
    from campaignctl.runtime.serve import serve  # noqa: PLC0415 - imports uvicorn

    if plan.clock_offset:
        os.environ[CLOCK_ENV] = str(plan.clock_offset)
    code = serve(campaign.source, plan.host, plan.port, workers=workers)
    if code:
        raise process.StartFailed(
            f"the server stopped with exit code {code}", hint="see the messages above"
        )
    return None


def deploy_yandex(campaign: Campaign, on_output: Callable[[str], None]) -> dict[str, Any]:
    """The stack helper's deploy function, with its outputs."""
    try:
        from campaignctl.stack.yandex.deploy import deploy  # noqa: PLC0415
    except ImportError as exc:
        raise UserError(
            "the Yandex Cloud stack is not available in this installation",
            hint=f"cannot import campaignctl.stack.yandex.deploy: {exc}",
        ) from None
    return dict(deploy(campaign, on_output=on_output).outputs)
