"""Everything a request handler, a job or a hook needs, built once per process."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from campaignctl.codes.ledger import CodeLedger
from campaignctl.model.campaign import Campaign
from campaignctl.runtime.captcha import CaptchaVerifier
from campaignctl.runtime.commits import GroupCommit
from campaignctl.runtime.photos import PhotoPut
from campaignctl.runtime.sealing import Sealer

Clock = Callable[[], datetime]

CLOCK_ENV = "CAMPAIGNCTL_CLOCK_OFFSET"
"""Seconds added to the real time: a rehearsal clock for the local target (``up --clock``)."""


def system_clock() -> datetime:
    return datetime.now(UTC)


def offset_clock(seconds: float) -> Clock:
    delta = timedelta(seconds=seconds)
    return lambda: datetime.now(UTC) + delta


def clock_from_env() -> Clock:
    raw = os.environ.get(CLOCK_ENV)
    return offset_clock(float(raw)) if raw else system_clock


@dataclass(frozen=True)
class Settings:
    site_dir: Path | None = None
    uploads_dir: Path | None = None
    photo_put: PhotoPut | None = None
    """Where receipt photos go instead of ``uploads_dir`` (the cloud's bucket): put after
    the registration commits, under :func:`~campaignctl.runtime.photos.photo_key`."""
    admin_token: str | None = None
    instant_win: Literal["serial", "random"] = "serial"
    """``serial``: a code's prize is fixed by a keyed hash of its serial (the
    outcome of a code never depends on when it is entered); ``random``: a CSPRNG
    draw per registration."""
    max_body_bytes: int = 64 * 1024
    max_photo_bytes: int = 10 * 1024 * 1024
    device_header: str = "X-Device-Fingerprint"
    trusted_proxy_header: str | None = None
    """E.g. ``X-Forwarded-For`` behind API Gateway; None trusts only the socket peer."""
    login_code_ttl_seconds: int = 600


@dataclass
class RuntimeContext:
    campaign: Campaign
    engine: Engine
    ledger: CodeLedger | None
    sealer: Sealer
    settings: Settings = field(default_factory=Settings)
    clock: Clock = system_clock
    captcha: CaptchaVerifier | None = None
    _group_commit: GroupCommit | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.engine.dialect.name == "sqlite":
            self._group_commit = GroupCommit(self.engine)

    def group_commit(self) -> GroupCommit | None:
        """The writer that batches registrations into shared transactions, on SQLite only.

        SQLite has one writer at a time, so batching loses no parallelism there.
        PostgreSQL and MariaDB take concurrent writers: each request keeps its own
        transaction (and MariaDB may roll a whole transaction back on a deadlock,
        which would take a batch's savepoints with it).
        """
        return self._group_commit

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.campaign.period.timezone)

    def local_now(self) -> datetime:
        return self.clock().astimezone(self.zone)
