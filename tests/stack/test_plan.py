"""The plan's text and JSON; the generated docs page of the examples' plans."""

from __future__ import annotations

import asyncio

from campaignctl.stack.yandex.offline import OfflineStack, run_offline
from campaignctl.stack.yandex.plan import plan_from, render_text
from tests.stack.conftest import MAIN, example


def test_text_lists_every_cloud_resource_and_the_estimate(stacks: dict[str, OfflineStack]) -> None:
    stack = stacks[MAIN]
    text = render_text(plan_from(stack))
    rows = [line for line in text.splitlines() if line.startswith(("yandex:", "pulumi:providers"))]
    assert len(rows) == len([r for r in stack.resources if r.custom])
    assert "archives [protected]" in text
    assert "mysql [protected]" in text
    assert "cron (UTC) 0 8 3 9 ? 2027" in text
    assert "Total (estimate): 3,616.76 RUB per month" in text
    assert "prices of 2026-11-24" in text
    for secret in stack.secret_values:
        assert secret not in text


def test_json_carries_resources_outputs_and_cost(stacks: dict[str, OfflineStack]) -> None:
    data = plan_from(stacks[MAIN]).as_json()
    assert data["campaign"] == "berezka-receipts-autumn-2027"
    resources = data["resources"]
    assert isinstance(resources, list)
    assert {"type": "yandex:MdbMysqlCluster", "name": "mysql"}.items() <= next(
        r for r in resources if r["name"] == "mysql"
    ).items()
    cost = data["cost"]
    assert isinstance(cost, dict)
    assert cost["estimate"] is True
    assert cost["monthly_rub"] == "3616.76"


def test_plan_runs_after_asyncio_run_in_the_same_thread() -> None:
    # asyncio.run() leaves the thread without a current loop; Pulumi needs one.
    asyncio.run(asyncio.sleep(0))
    stack = run_offline(example(MAIN))
    assert stack.of_type("yandex:ApiGateway")
