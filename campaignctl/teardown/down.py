"""``campaignctl down``: archive, stop, destroy, in that order, and only when it is safe.

Before a final report exists the campaign may still be running for its
participants: ``down`` refuses unless forced, and a forced run still needs an
explicit confirmation (the caller asks on a terminal; ``--yes`` answers for a
script, but never stands in for ``--force``). Nothing is destroyed until the
archive and its checksum are on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.reports.build import final_report_path
from campaignctl.runtime import process
from campaignctl.teardown.archive import Archive, build_archive
from campaignctl.teardown.destroy import destroy_personal_data
from campaignctl.winners.store import campaign_store

Target = Literal["local", "yandex"]
Confirm = Callable[[str], bool]


class NoFinalReport(UserError):
    """``down`` before the final report, without ``--force``."""


class NotConfirmed(UserError):
    """The user did not confirm; nothing was changed."""


@dataclass(frozen=True)
class DownResult:
    archive: Archive
    stopped: bool
    destroyed: tuple[str, ...]
    stack_destroyed: bool


def check_ready(campaign: Campaign, *, force: bool) -> bool:
    """Whether a final report exists; :class:`NoFinalReport` when it does not and not forced."""
    ready = final_report_path(campaign).is_file()
    if not ready and not force:
        found = process.running(campaign)
        state = f"; the campaign is still running at {found.base_url}" if found else ""
        raise NoFinalReport(
            f"no final report for {campaign.slug}{state}: nothing was archived or destroyed",
            hint=f"run 'campaignctl report {campaign.source} --final' first, or pass --force "
            "(and confirm) to take it down without one",
            path=campaign.source,
        )
    return ready


def down(
    campaign: Campaign,
    *,
    confirm: Confirm,
    force: bool = False,
    target: Target = "local",
    now: datetime | None = None,
    destroy_stack: Callable[[Campaign], None] | None = None,
) -> DownResult:
    ready = check_ready(campaign, force=force)
    question = (
        f"Take {campaign.slug} down: archive, stop the server, destroy all personal data"
        + ("" if target == "local" else " and destroy the Yandex Cloud stack")
        + ("" if ready else " WITHOUT a final report")
        + "?"
    )
    if not confirm(question):
        raise NotConfirmed("not confirmed: nothing was archived or destroyed")
    at = now or datetime.now(UTC)
    with campaign_store(campaign) as (engine, sealer):
        archive = build_archive(campaign, engine, sealer, at)
    stopped = process.stop(campaign)
    stack_destroyed = False
    if target == "yandex":
        if destroy_stack is None:
            from campaignctl.stack.yandex.deploy import destroy  # noqa: PLC0415 - Pulumi is heavy

            destroy(campaign)
        else:
            destroy_stack(campaign)
        stack_destroyed = True
    with campaign_store(campaign) as (engine, _sealer):
        destroyed = destroy_personal_data(campaign, engine, stack_destroyed=stack_destroyed)
    return DownResult(archive, stopped, destroyed.items, stack_destroyed)
