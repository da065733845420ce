"""Render the example campaigns' sites the same way in every site test."""

from __future__ import annotations

from pathlib import Path

from campaignctl.render.site import render_site
from campaignctl.spec.validate import load_campaign
from tests.conftest import ROOT

EXAMPLES = ("bottle-caps", "receipt-draw", "loyalty-gift")

# Stands in for the rules document's HTML body, which the rules renderer makes.
# Its ids may match the site's words (a section "winners"): the page must cope.
RULES_FRAGMENT = (
    "<h2>1. Общие положения</h2>\n"
    "<p>Текст правил акции: организатор, сроки, призы, порядок получения.</p>\n"
    '<h2 id="winners">7. Порядок определения обладателей призов</h2>\n'
)


def campaign_file(example: str) -> Path:
    return ROOT / "examples" / example / "campaign.yaml"


def render_example(example: str, out: Path, *, api_base: str = "") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    campaign = load_campaign(campaign_file(example))
    return render_site(campaign, out, api_base=api_base, rules_fragment=RULES_FRAGMENT)
