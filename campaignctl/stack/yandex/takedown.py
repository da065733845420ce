"""``campaignctl down --target yandex``: the campaign's data out of the cloud, then the stack.

The archive must hold what the cloud holds: the tax records and statistics
come from the stack's Managed MySQL database (its host is a stack output, the
password is in the stack's encrypted config; TLS as the functions connect),
and the drawn rounds' published files from ``draws/`` of the reports bucket,
where the ``jobs`` function put them. Then the stack is destroyed; what is
left (protected resources, unless asked to destroy them too) is read from the
stack's state with what it costs per month.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from campaignctl.draws.service import PUBLISHED_DIR
from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.stack.yandex import database as db
from campaignctl.stack.yandex.coldstart import database_url
from campaignctl.stack.yandex.cost import CloudEstimate, kept_after_down
from campaignctl.stack.yandex.deploy import destroy, open_stack
from campaignctl.stack.yandex.leftovers import Leftover
from campaignctl.stack.yandex.naming import CONFIG_NAMESPACE
from campaignctl.stack.yandex.upload import YANDEX_S3_ENDPOINT, S3Access, s3_client

S3_ENDPOINT_ENV = "CAMPAIGNCTL_S3_ENDPOINT"


class NothingDeployed(UserError):
    """The stack's state has no database: it was never deployed, or is gone."""


@dataclass
class YandexTakedown:
    campaign: Campaign
    stack: Any
    """The Automation API stack (:func:`campaignctl.stack.yandex.deploy.open_stack`)."""
    on_output: Callable[[str], None] | None = None

    @classmethod
    def open(
        cls,
        campaign: Campaign,
        *,
        command: Any = None,
        on_output: Callable[[str], None] | None = None,
    ) -> YandexTakedown:
        return cls(campaign, open_stack(campaign, command=command), on_output)

    def _resources(self, kind: str) -> dict[str, dict[str, Any]]:
        """Resources of ``kind`` in the stack's state by logical name: their outputs are the
        truth after a partial destroy too, when the stack's own outputs may be gone."""
        deployment = self.stack.export_stack().deployment or {}
        return {
            str(r.get("urn", "")).rpartition("::")[2]: r.get("outputs") or {}
            for r in deployment.get("resources") or []
            if str(r.get("type", "")).endswith(f":{kind}")
        }

    def database_url(self) -> str:
        """The stack's MySQL database, reached as the functions reach it (TLS, Yandex's CA)."""
        clusters = self._resources("MdbMysqlCluster")
        hosts = [h.get("fqdn") for c in clusters.values() for h in c.get("hosts") or []]
        password = self.stack.get_all_config().get(f"{CONFIG_NAMESPACE}:db_password")
        if not hosts or not hosts[0] or password is None:
            raise NothingDeployed(
                f"the stack {self.campaign.slug} has no MySQL cluster (or no password in its "
                "settings) to archive from",
                hint="was it deployed with `campaignctl up --target yandex`, from this folder? "
                "nothing was archived or destroyed",
                path=self.campaign.source,
            )
        place = {
            "CAMPAIGNCTL_DB_HOST": str(hosts[0]),
            "CAMPAIGNCTL_DB_USER": db.USER,
            "CAMPAIGNCTL_DB_NAME": db.DATABASE,
        }
        return database_url(place, {"db_password": str(password.value)})

    def fetch_draws(self) -> list[Path]:
        """Copy ``draws/`` of the reports bucket into the campaign's published draws folder."""
        client = s3_client(
            S3Access(
                os.environ["YC_STORAGE_ACCESS_KEY"],
                os.environ["YC_STORAGE_SECRET_KEY"],
                endpoint=os.environ.get(S3_ENDPOINT_ENV) or YANDEX_S3_ENDPOINT,
            )
        )
        reports = self._resources("StorageBucket").get("reports")
        if not reports or not reports.get("bucket"):
            return []  # destroyed by an earlier `down`, which fetched the files
        bucket = str(reports["bucket"])
        root = self.campaign.folder / PUBLISHED_DIR
        written = []
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=f"{PUBLISHED_DIR}/"
        ):
            for item in page.get("Contents", []):
                key = PurePosixPath(item["Key"])
                parts = key.relative_to(PUBLISHED_DIR).parts
                if len(parts) != 2 or any(p in ("", ".", "..") for p in parts):
                    continue  # only draws/<round>/<file>, as the jobs function writes them
                target = root.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                target.write_bytes(body)
                written.append(target)
        return written

    def destroy(self, *, include_protected: bool) -> tuple[Leftover, ...]:
        from pulumi.automation.errors import CommandError  # noqa: PLC0415

        try:
            return destroy(
                self.stack, include_protected=include_protected, on_output=self.on_output
            )
        except CommandError as exc:
            raise UserError(
                f"Pulumi could not destroy the stack {self.campaign.slug}: "
                f"{str(exc).strip().splitlines()[-1][:300]}",
                hint="the archive is written and no local data was destroyed; the stack's "
                "state says what still exists (pulumi stack --show-urns in "
                ".campaignctl/pulumi-workspace); run down again once the cause is fixed",
                path=self.campaign.source,
            ) from None

    def kept_cost(self) -> CloudEstimate:
        from campaignctl.stack.yandex.offline import run_offline  # noqa: PLC0415 - Pulumi mocks

        return kept_after_down(run_offline(self.campaign))
