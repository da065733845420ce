"""campaignctl queue list|retry|purge-dead on a campaign with a dead letter."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.queue.operations import campaign_queue
from tests.runtime.conftest import copy_example


def test_list_retry_and_purge_dead_letters(runner: CliRunner, tmp_path: Path) -> None:
    campaign = copy_example("bottle-caps", tmp_path / "caps")
    spec = str(campaign.source)
    with campaign_queue(campaign) as queue:
        for key in ("crm:a", "crm:b", "crm:c"):
            queue.enqueue("crm.registration", key, {"sealed": "x"})
        a, b, c = queue.claim(3, 60)
        queue.bury(a, "attempt 10: HTTP 422 from https://crm: invalid phone")
        queue.bury(b, "attempt 10: HTTP 400")
        queue.ack(c)
    listed = runner.invoke(app, ["queue", "list", spec, "--state", "dead"])
    assert listed.exit_code == 0, listed.output
    assert "pending: 0  in_flight: 0  delivered: 1  dead: 2" in listed.output
    assert "crm:a" in listed.output and "HTTP 422" in listed.output and "crm:c" not in listed.output
    retried = runner.invoke(app, ["queue", "retry", spec, a.id])
    assert (retried.exit_code, retried.output.strip()) == (0, "1 dead message(s) queued again")
    purged = runner.invoke(app, ["queue", "purge-dead", spec, "--yes"])
    assert (purged.exit_code, purged.output.strip()) == (0, "1 dead message(s) deleted")
    after = runner.invoke(app, ["queue", "list", spec])
    assert "pending: 1  in_flight: 0  delivered: 1  dead: 0" in after.output


def test_bad_input_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    campaign = copy_example("bottle-caps", tmp_path / "caps")
    bad_state = runner.invoke(app, ["queue", "list", str(campaign.source), "--state", "lost"])
    assert bad_state.exit_code == 1 and "unknown state 'lost'" in bad_state.output
    bad_id = runner.invoke(app, ["queue", "retry", str(campaign.source), "x1"])
    assert bad_id.exit_code == 1 and "message ids are numbers" in bad_id.output
    assert "Traceback" not in bad_id.output
