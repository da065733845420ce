"""Campaign files resolved before anything is written, copied under media/."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaignctl.render import assets
from campaignctl.spec.validate import load_campaign


def test_collect_reads_png_size_and_keeps_the_relative_path(campaign_copy: Path) -> None:
    campaign = load_campaign(campaign_copy)
    hero = assets.collect(campaign, "channels.site.branding.hero_image", "assets/hero.png")
    assert hero is not None
    assert hero.href == "media/assets/hero.png"
    assert (hero.width, hero.height) == (960, 400)
    logo = assets.collect(campaign, "channels.site.branding.logo", "assets/logo.svg")
    assert logo is not None and logo.width is None
    assert assets.collect(campaign, "x", None) is None


def test_paths_outside_the_campaign_folder_are_refused(campaign_copy: Path) -> None:
    campaign = load_campaign(campaign_copy)
    with pytest.raises(assets.AssetMissing, match="not a path inside the campaign folder"):
        assets.collect(campaign, "prizes[0].image", "../../etc/passwd")


def test_copy_writes_each_file_once(campaign_copy: Path, tmp_path: Path) -> None:
    campaign = load_campaign(campaign_copy)
    logo = assets.collect(campaign, "a", "assets/logo.svg")
    again = assets.collect(campaign, "b", "assets/logo.svg")
    assert logo is not None and again is not None
    written = assets.copy([logo, again], tmp_path)
    assert written == [tmp_path / "media" / "assets" / "logo.svg"]
    assert written[0].read_bytes() == (campaign_copy.parent / "assets" / "logo.svg").read_bytes()
