"""Every text output of every example against its golden file."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaignctl.model import Campaign
from tests.render.golden import check_golden

TEXT_OUTPUTS = [
    "rules/rules.html",
    "pos/compact.txt",
    "pos/full.txt",
    "pos/counts.json",
    "pos/README.txt",
    "crm/mapping.json",
    "crm/mapping.md",
    "texts/sms.json",
    "texts/ivr.txt",
]


@pytest.mark.parametrize("relative", TEXT_OUTPUTS)
def test_matches_golden(example: Campaign, built: Path, relative: str) -> None:
    path = built / relative
    if relative == "texts/ivr.txt" and (
        example.channels.hotline is None or example.channels.hotline.ivr is None
    ):
        assert not path.exists()
        return
    check_golden(f"{example.folder.name}/{relative}", path.read_text(encoding="utf-8"))
