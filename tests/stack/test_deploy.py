"""Deploy and destroy say exactly what is missing before touching anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from campaignctl.codes.keys import key_path
from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.deploy import (
    LostSettings,
    _secret_value,
    bucket_backend,
    deploy,
    deployer_member,
    destroy,
    open_stack,
    preflight,
    workspace_dir,
)
from campaignctl.stack.yandex.secrets import secret_specs
from tests.stack.conftest import MAIN, campaign_path, example
from tests.stack.pulumi_cli import EmulatedCli, Run

READY = {
    "YC_TOKEN": "t",
    "YC_STORAGE_ACCESS_KEY": "a",
    "YC_STORAGE_SECRET_KEY": "s",
    "YC_MESSAGE_QUEUE_ACCESS_KEY": "a",
    "YC_MESSAGE_QUEUE_SECRET_KEY": "s",
    "PULUMI_CONFIG_PASSPHRASE": "p",
    "CAMPAIGNCTL_DEPLOYER": "userAccount:ajeq8vbqpt3rk4mrwa5b",
    "BEREZKA_WEBHOOK_SECRET": "w",
    "SMARTCAPTCHA_SERVER_KEY": "c",
}


def _installed(_: str) -> str:
    return "/usr/local/bin/pulumi"


def test_missing_pulumi_cli_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no pulumi anywhere
    shutil.copytree(campaign_path(MAIN).parent, tmp_path / "c")
    campaign = load_campaign(tmp_path / "c" / "campaign.yaml")
    for run in (deploy, open_stack):
        with pytest.raises(UserError) as caught:
            run(campaign)
        text = caught.value.render()
        assert "pulumi CLI is not installed" in text
        assert "https://get.pulumi.com" in text
        assert "campaignctl plan" in text
    assert not (tmp_path / "c" / ".campaignctl").exists()  # nothing written before the checks


def test_missing_credentials_are_listed_at_once() -> None:
    with pytest.raises(UserError) as caught:
        preflight(example(MAIN), env={}, which=_installed, certificate_id="cert")
    text = caught.value.render()
    for needed in (
        "YC_TOKEN",
        "YC_STORAGE_ACCESS_KEY",
        "YC_MESSAGE_QUEUE_ACCESS_KEY",
        "PULUMI_CONFIG_PASSPHRASE",
        "CAMPAIGNCTL_DEPLOYER",
        "$BEREZKA_WEBHOOK_SECRET",
        "$SMARTCAPTCHA_SERVER_KEY",
    ):
        assert needed in text, needed


def test_a_domain_needs_a_certificate_made_outside_pulumi() -> None:
    with pytest.raises(UserError) as caught:
        preflight(example(MAIN), env=READY, which=_installed)
    assert "yc certificate-manager certificate request" in caught.value.render()
    assert "udacha.berezka-market.ru" in caught.value.render()


def test_ready_when_everything_is_set() -> None:
    preflight(example(MAIN), env=READY, which=_installed, certificate_id="fpq123")


def test_bucket_backend_needs_its_own_keys() -> None:
    url = bucket_backend("promolab-pulumi-state")
    assert url.startswith("s3://promolab-pulumi-state?endpoint=storage.yandexcloud.net")
    with pytest.raises(UserError, match="AWS_ACCESS_KEY_ID"):
        preflight(example(MAIN), backend=url, env=READY, which=_installed, certificate_id="c")


def test_a_campaign_without_codes_ships_one_shared_key_ring(tmp_path: Path) -> None:
    # Without it every function instance would seal personal data with a key of
    # its own, and no other instance could open it.
    shutil.copytree(campaign_path(MAIN).parent, tmp_path / "c")
    campaign = load_campaign(tmp_path / "c" / "campaign.yaml")
    assert campaign.codes is None
    spec = next(s for s in secret_specs(campaign) if s.source == "codes_key")
    assert {"http", "crm", "jobs"} <= spec.readers
    first = _secret_value(spec, campaign, {}, None)
    assert first == key_path(campaign.folder).read_text(encoding="ascii")
    assert key_path(campaign.folder).stat().st_mode & 0o777 == 0o600
    assert _secret_value(spec, campaign, {}, None) == first  # made once, then kept


@pytest.fixture
def ready_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in READY.items():
        monkeypatch.setenv(name, value)


def _copy(tmp_path: Path) -> Campaign:
    shutil.copytree(campaign_path(MAIN).parent, tmp_path / "c")
    return load_campaign(tmp_path / "c" / "campaign.yaml")


def _secrets(run: Run) -> dict[str, str]:
    return {k: v for k, v in run.config.items() if k.split(":")[1] in _GENERATED}


_GENERATED = {"db_password", "admin_token", "sms_webhook_secret", "hotline_webhook_secret"}


def test_a_second_up_sees_the_same_secrets(tmp_path: Path, ready_env: None) -> None:
    campaign = _copy(tmp_path)
    cli = EmulatedCli()
    deploy(campaign, certificate_id="fpq123", command=cli)
    deploy(load_campaign(campaign.source), certificate_id="fpq123", command=cli)
    first, second = cli.runs
    assert (first.kind, second.kind) == ("up", "up")
    assert _secrets(first) and _secrets(first) == _secrets(second)
    assert first.config == second.config  # nothing changes that the spec did not change
    folder = workspace_dir(campaign)
    assert first.work_dir == second.work_dir == str(folder)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / f"Pulumi.{campaign.slug}.yaml").is_file()
    # destroy reads the same settings: it can decrypt what up encrypted.
    destroy(open_stack(campaign, command=cli))
    assert cli.runs[-1].kind == "destroy"
    assert "--exclude-protected" in cli.runs[-1].args
    assert _secrets(cli.runs[-1]) == _secrets(first)


def test_a_changed_env_secret_is_the_only_change(
    tmp_path: Path, ready_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = _copy(tmp_path)
    cli = EmulatedCli()
    deploy(campaign, certificate_id="fpq123", command=cli)
    monkeypatch.setenv("SMARTCAPTCHA_SERVER_KEY", "rotated")
    deploy(campaign, certificate_id="fpq123", command=cli)
    first, second = cli.runs
    changed = {k for k in first.config if first.config[k] != second.config[k]}
    assert changed == {"campaignctl:captcha_secret"}


def test_a_lost_workspace_is_refused_not_regenerated(tmp_path: Path, ready_env: None) -> None:
    campaign = _copy(tmp_path)
    cli = EmulatedCli()
    deploy(campaign, certificate_id="fpq123", command=cli)
    shutil.rmtree(workspace_dir(campaign))
    with pytest.raises(LostSettings) as caught:
        deploy(campaign, certificate_id="fpq123", command=cli)
    text = caught.value.render()
    assert "would generate new secrets" in text
    assert "pulumi-workspace" in text
    assert len(cli.runs) == 1  # nothing was deployed with new secrets


def test_the_deployer_is_the_key_files_service_account(tmp_path: Path) -> None:
    key = tmp_path / "deployer-key.json"
    key.write_text('{"id": "aje1", "service_account_id": "ajedeployer000000001"}')
    env = {"YC_SERVICE_ACCOUNT_KEY_FILE": str(key)}
    assert deployer_member(env) == "serviceAccount:ajedeployer000000001"
    explicit = {**env, "CAMPAIGNCTL_DEPLOYER": "userAccount:ajeq8vbqpt3rk4mrwa5b"}
    assert deployer_member(explicit) == "userAccount:ajeq8vbqpt3rk4mrwa5b"
    key.write_text("not json")
    assert "service account of" in str(deployer_member(env))
    assert "not 'admin'" in str(deployer_member({"CAMPAIGNCTL_DEPLOYER": "admin"}))


def test_up_tells_the_stack_who_deploys(tmp_path: Path, ready_env: None) -> None:
    cli = EmulatedCli()
    deploy(_copy(tmp_path), certificate_id="fpq123", command=cli)
    assert cli.runs[0].config["campaignctl:deployer"] == "userAccount:ajeq8vbqpt3rk4mrwa5b"
