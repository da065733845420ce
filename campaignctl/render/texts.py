"""SMS replies to each registration outcome and the hotline's IVR script.

Replies are counted in SMS segments (:mod:`campaignctl.sms.segments`): a
Cyrillic reply is UCS-2, so 70 characters fit one SMS and each further part
holds 67. :data:`MAX_SEGMENTS` is the budget a reply should stay within.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from campaignctl.model import Campaign
from campaignctl.registration import Outcome
from campaignctl.render.context import base_context
from campaignctl.render.environment import environment, render_template
from campaignctl.sms.segments import Segments, count

GROUP = "texts"
MAX_SEGMENTS = 2


@dataclass(frozen=True)
class SmsText:
    id: str
    outcome: Outcome
    text: str
    prize: str | None = None

    @property
    def segments(self) -> Segments:
        return count(self.text)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "outcome": self.outcome,
            "prize": self.prize,
            "text": self.text,
            **self.segments.as_json(),
            "fits": self.segments.parts <= MAX_SEGMENTS,
        }


def outcomes(campaign: Campaign) -> tuple[Outcome, ...]:
    """The outcomes a registration of this campaign can have, in reply order."""
    m = campaign.mechanics
    found: list[Outcome] = []
    if m.codes is not None:
        found += ["instant_win", "draw_entry", "not_a_code"]
    if m.receipts is not None:
        found += ["receipt_accepted"]
        if m.receipts.photo_upload:
            found.append("receipt_pending")
        found.append("receipt_rejected")
    if m.codes is not None or m.receipts is not None:
        found += ["already_registered", "limit_reached", "outside_period", "blocked"]
    if m.loyalty is not None:
        found.append("selected")
    return tuple(found)


def sms_texts(campaign: Campaign) -> tuple[SmsText, ...]:
    env = environment(GROUP, campaign.folder)
    context = base_context(campaign)
    texts = []
    for outcome in outcomes(campaign):
        template = f"sms/{outcome}.txt"
        if outcome == "instant_win":
            for prize in campaign.prizes:
                if prize.award == "instant_win":
                    text = render_template(env, template, prize=prize, **context)
                    texts.append(
                        SmsText(f"{outcome}:{prize.id}", outcome, _one_line(text), prize.id)
                    )
        else:
            texts.append(
                SmsText(outcome, outcome, _one_line(render_template(env, template, **context)))
            )
    return tuple(texts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def ivr_script(campaign: Campaign) -> str | None:
    """The IVR menu script, or None when the campaign has no hotline menu."""
    hotline = campaign.channels.hotline
    if hotline is None or hotline.ivr is None:
        return None
    env = environment(GROUP, campaign.folder)
    text = render_template(env, "ivr.txt", **base_context(campaign))
    return text.rstrip() + "\n"


def render_texts(campaign: Campaign, out: Path) -> list[Path]:
    """Write sms.json (text, length, segments per reply) and ivr.txt into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    sms = out / "sms.json"
    payload = {
        "campaign": campaign.slug,
        "max_segments": MAX_SEGMENTS,
        "messages": [t.as_json() for t in sms_texts(campaign)],
    }
    sms.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written = [sms]
    script = ivr_script(campaign)
    if script is not None:
        ivr = out / "ivr.txt"
        ivr.write_text(script, encoding="utf-8")
        written.append(ivr)
    return written
