"""Names, labels and fixed settings every part of the Yandex stack agrees on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.model.infrastructure import YandexTarget

PROJECT = "campaignctl-yandex"
"""The Pulumi project name, as in ``stacks/yandex/Pulumi.yaml``."""
CONFIG_NAMESPACE = "campaignctl"
CAMPAIGN_CONFIG_KEY = "campaign"
"""``campaignctl:campaign``: the campaign.yaml that ``stacks/yandex/__main__.py`` loads."""

# 152-FZ: Russian participants' data must be collected into databases in Russia.
# ru-central1 is Yandex Cloud's Russian region; every zone of it is in Russia.
REGION = "ru-central1"
RUSSIAN_ZONES = frozenset({"ru-central1-a", "ru-central1-b", "ru-central1-d"})

FUNCTION_RUNTIME = "python312"
"""The newest Python runtime of Cloud Functions (Ubuntu 22.04, preloaded; python311 runs on
Ubuntu 18.04 and is marked unsupported). Every runtime requirement resolves to a CPython
3.12 manylinux wheel: docs/yandex.md has the check."""
# Entry points of the functions, agreed with the runtime issue, which writes
# campaignctl/stack/yandex/handler.py: an API Gateway adapter and the queue and
# timer trigger handlers. Yandex entry points are MODULE.FUNCTION.
HANDLER_MODULE = "campaignctl.stack.yandex.handler"
HTTP_ENTRYPOINT = f"{HANDLER_MODULE}.http"
QUEUE_ENTRYPOINT = f"{HANDLER_MODULE}.queue"
TIMER_ENTRYPOINT = f"{HANDLER_MODULE}.timer"
RELAY_ENTRYPOINT = f"{HANDLER_MODULE}.relay"
FUNCTION_ARCHIVE_NAME = "campaignctl-function.zip"

_NAME = re.compile(r"[^a-z0-9-]+")


def queue_url_variable(worker: str) -> str:
    """The relay function's setting that holds the URL of ``worker``'s queue."""
    return f"CAMPAIGNCTL_QUEUE_URL_{worker.upper()}"


@dataclass(frozen=True)
class Naming:
    """Resource names and labels of one campaign's stack."""

    slug: str
    target: YandexTarget

    def name(self, part: str, limit: int = 63) -> str:
        """``<slug>-<part>``, cut to a Yandex resource name's limit (63 by default)."""
        tail = _NAME.sub("-", part.lower()).strip("-")
        head = self.slug[: max(1, limit - len(tail) - 1)].rstrip("-")
        return f"{head}-{tail}"

    def bucket(self, part: str) -> str:
        """Bucket names are global across Yandex Cloud: the folder id makes them ours."""
        return self.name(f"{part}-{self.target.folder_id[-6:]}")

    @property
    def labels(self) -> dict[str, str]:
        labels = {"campaign": self.slug, "managed-by": "campaignctl"}
        if self.target.owner:
            labels["owner"] = self.target.owner
        if self.target.cost_center:
            labels["cost-center"] = self.target.cost_center
        return labels


def yandex_target(campaign: Campaign) -> YandexTarget:
    """The campaign's ``infrastructure.yandex``; a :class:`UserError` when it has none."""
    target = campaign.infrastructure.yandex
    if target is None:
        raise UserError(
            "infrastructure.yandex is missing: the Yandex stack needs the cloud and folder ids",
            hint="add infrastructure: {target: yandex, yandex: {cloud_id: ..., folder_id: ...}} "
            "(see docs/yandex.md)",
            path=campaign.source,
        )
    if target.zone not in RUSSIAN_ZONES:
        raise UserError(f"zone {target.zone} is not in Russia", path=campaign.source)
    return target


def naming(campaign: Campaign) -> Naming:
    return Naming(campaign.slug, yandex_target(campaign))
