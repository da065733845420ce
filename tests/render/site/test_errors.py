"""Bad input fails clearly: a vanished asset, a broken override, an unwritable folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaignctl.render.assets import AssetMissing
from campaignctl.render.environment import TemplateFailed
from campaignctl.render.site import SiteWriteFailed, render_site
from campaignctl.spec.validate import check_file, load_campaign


def test_missing_logo_is_reported_by_validate_and_by_render(
    campaign_copy: Path, tmp_path: Path
) -> None:
    campaign = load_campaign(campaign_copy)
    (campaign_copy.parent / "assets" / "logo.svg").unlink()  # vanished after loading
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(AssetMissing) as caught:
        render_site(campaign, out)
    message = caught.value.render()
    assert "channels.site.branding.logo: file 'assets/logo.svg' not found" in message
    assert str(campaign_copy) in message
    assert list(out.iterdir()) == []  # checked before anything is written
    assert "assets.missing" in {d.rule for d in check_file(campaign_copy).diagnostics}


def test_missing_prize_image_names_the_prize(campaign_copy: Path, tmp_path: Path) -> None:
    campaign = load_campaign(campaign_copy)
    (campaign_copy.parent / "assets" / "prizes" / "scooter.svg").unlink()
    with pytest.raises(AssetMissing, match=r"prizes\[4\]\.image: file 'assets/prizes/scooter.svg'"):
        render_site(campaign, tmp_path)


def test_missing_consent_document_is_named(campaign_copy: Path, tmp_path: Path) -> None:
    campaign = load_campaign(campaign_copy)
    (campaign_copy.parent / "consent.md").unlink()
    with pytest.raises(AssetMissing, match=r"personal_data.consent_document: file 'consent.md'"):
        render_site(campaign, tmp_path)


def _override(campaign_file: Path, name: str, text: str) -> Path:
    path = campaign_file.parent / "templates" / "promo_site" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_syntax_error_in_a_custom_template_names_the_file_and_line(
    campaign_copy: Path, tmp_path: Path
) -> None:
    path = _override(campaign_copy, "_steps.html", "<ol>\n{% for step in %}\n</ol>\n")
    with pytest.raises(TemplateFailed) as caught:
        render_site(load_campaign(campaign_copy), tmp_path)
    assert f"{path}:2" in caught.value.message


def test_unknown_name_in_a_custom_template_fails_instead_of_rendering_blank(
    campaign_copy: Path, tmp_path: Path
) -> None:
    _override(
        campaign_copy,
        "faq.html",
        '{% extends "base.html" %}{% block main %}{{ c.no_such_field }}{% endblock %}',
    )
    with pytest.raises(TemplateFailed, match=r"faq.html uses an undefined value.*no_such_field"):
        render_site(load_campaign(campaign_copy), tmp_path)


def test_custom_template_replaces_the_shipped_one(campaign_copy: Path, tmp_path: Path) -> None:
    _override(campaign_copy, "_steps.html", '<ol class="steps"><li>Откройте крышку</li></ol>\n')
    render_site(load_campaign(campaign_copy), tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<ol class="steps"><li>Откройте крышку</li></ol>' in index
    assert "<h3>Найдите код</h3>" not in index


def test_unwritable_output_folder_is_a_clear_error(campaign_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(SiteWriteFailed, match=r"cannot write .*not-a-folder/site/"):
        render_site(load_campaign(campaign_copy), blocker / "site")
