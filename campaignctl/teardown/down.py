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
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]
from sqlalchemy.exc import SQLAlchemyError

from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.reports.build import final_report_path
from campaignctl.runtime import process
from campaignctl.teardown.archive import Archive, build_archive
from campaignctl.teardown.destroy import destroy_personal_data
from campaignctl.winners.store import campaign_store

if TYPE_CHECKING:
    from campaignctl.stack.yandex.cost import CloudEstimate
    from campaignctl.stack.yandex.leftovers import Leftover

Target = Literal["local", "yandex"]
Confirm = Callable[[str], bool]


class NoFinalReport(UserError):
    """``down`` before the final report, without ``--force``."""


class NotConfirmed(UserError):
    """The user did not confirm; nothing was changed."""


class CloudStack(Protocol):
    """The campaign's stack in the cloud (:class:`campaignctl.stack.yandex.takedown.YandexTakedown`)."""

    def database_url(self) -> str: ...
    def fetch_draws(self) -> list[Path]: ...
    def destroy(self, *, include_protected: bool) -> tuple[Leftover, ...]: ...
    def kept_cost(self) -> CloudEstimate: ...


@dataclass(frozen=True)
class DownResult:
    archive: Archive
    stopped: bool
    destroyed: tuple[str, ...]
    stack_destroyed: bool
    """The whole cloud stack is gone (nothing of it is left)."""
    left: tuple[Leftover, ...] = ()
    """What of the cloud stack still exists (protected resources and what they stand on)."""
    left_cost: CloudEstimate | None = None


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
    include_protected: bool = False,
    now: datetime | None = None,
    cloud: CloudStack | None = None,
) -> DownResult:
    """Archive, stop and destroy. On Yandex Cloud the archive comes from the cloud database and
    bucket; the protected resources (the MySQL cluster, the archive bucket) stay unless
    ``include_protected``, and then the result says what is left and what it costs."""
    if include_protected and target != "yandex":
        raise UserError("--include-protected is for --target yandex")
    ready = check_ready(campaign, force=force)
    if target == "yandex" and cloud is None:
        from campaignctl.stack.yandex.takedown import YandexTakedown  # noqa: PLC0415 - Pulumi

        cloud = YandexTakedown.open(campaign)  # says what is missing before asking anything
    question = f"Take {campaign.slug} down: archive, stop the server, destroy all personal data"
    if target == "yandex":
        question += (
            " and the whole Yandex Cloud stack, INCLUDING the MySQL cluster and the archive bucket"
            if include_protected
            else " and the Yandex Cloud stack, except the protected MySQL cluster (with the "
            "participants' data) and archive bucket, which stay"
        )
    question += ("" if ready else " WITHOUT a final report") + "?"
    if not confirm(question):
        raise NotConfirmed("not confirmed: nothing was archived or destroyed")
    at = now or datetime.now(UTC)
    url = None
    try:
        if cloud is not None:
            url = cloud.database_url()
            cloud.fetch_draws()
        # The cloud's database is read as it is: its functions own its schema.
        with campaign_store(campaign, url, migrate=cloud is None) as (engine, sealer):
            archive = build_archive(campaign, engine, sealer, at)
    except (SQLAlchemyError, BotoCoreError, ClientError) as exc:
        where = "the cloud's database or reports bucket" if cloud else "the state database"
        raise UserError(
            f"could not read {where}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}",
            hint="nothing was archived or destroyed; check the network, the credentials and "
            "that the stack is up, then run down again",
            path=campaign.source,
        ) from None
    stopped = process.stop(campaign)
    left: tuple[Leftover, ...] = ()
    if cloud is not None:
        left = cloud.destroy(include_protected=include_protected)
    stack_destroyed = cloud is not None and not left
    with campaign_store(campaign) as (engine, _sealer):
        destroyed = destroy_personal_data(
            campaign,
            engine,
            stack_destroyed=stack_destroyed,
            stack_left=bool(left),
        )
    items = destroyed.items
    if stack_destroyed:
        items = ("the Yandex Cloud stack, its MySQL database with the personal data in it", *items)
    cost = cloud.kept_cost() if cloud is not None and left else None
    return DownResult(archive, stopped, items, stack_destroyed, left, cost)
