"""Brand colours become readable text colours (WCAG 2.1 AA, 4.5:1)."""

from __future__ import annotations

import pytest

from campaignctl.model.channels import Branding
from campaignctl.render.theme import SURFACE, WHITE, contrast, readable_on, theme
from campaignctl.spec.validate import load_campaign
from tests.render.site.examples import EXAMPLES, campaign_file


def _brand_colors(example: str) -> tuple[str, str]:
    branding = load_campaign(campaign_file(example)).channels.site.branding
    return branding.primary_color, branding.accent_color


def test_contrast_matches_the_wcag_extremes() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#777777") == pytest.approx(1)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    "colors",
    [
        *[_brand_colors(example) for example in EXAMPLES],
        ("#ffd23f", "#0a8f6a"),  # light primary, mid-tone accent
        ("#777777", "#888888"),  # greys no text colour reads on as they are
    ],
)
def test_every_text_pair_reaches_aa(colors: tuple[str, str]) -> None:
    t = theme(Branding(primary_color=colors[0], accent_color=colors[1]))
    assert contrast(t.on_primary, t.primary) >= 4.5
    assert contrast(t.on_accent, t.accent) >= 4.5
    assert contrast(t.primary_text, SURFACE) >= 4.5
    assert contrast(t.primary_text, WHITE) >= 4.5


def test_readable_brand_colours_are_kept_and_light_ones_darkened() -> None:
    assert theme(Branding(primary_color="#6F4E37")).primary == "#6f4e37"
    assert theme(Branding(primary_color="#ffd23f")).on_primary == "#1a1a1a"
    assert readable_on("#0a8f6a") != "#0a8f6a"
