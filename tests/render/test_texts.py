"""SMS replies per outcome within the segment budget, and the IVR script."""

from __future__ import annotations

import json
from pathlib import Path

from campaignctl.model import Campaign
from campaignctl.render.texts import MAX_SEGMENTS, outcomes, sms_texts
from campaignctl.sms.segments import count


def test_every_outcome_has_a_reply_within_budget(example: Campaign, built: Path) -> None:
    data = json.loads((built / "texts" / "sms.json").read_text(encoding="utf-8"))
    messages = data["messages"]
    assert {m["outcome"] for m in messages} == set(outcomes(example))
    for m in messages:
        segments = count(m["text"])
        assert (m["characters"], m["segments"], m["encoding"]) == (
            len(m["text"]),
            segments.parts,
            segments.encoding,
        )
        assert m["segments"] <= MAX_SEGMENTS, m
        assert m["fits"] is True
        assert "{{" not in m["text"] and "  " not in m["text"]


def test_instant_win_reply_per_prize(example: Campaign) -> None:
    instant = [p for p in example.prizes if p.award == "instant_win"]
    replies = [t for t in sms_texts(example) if t.outcome == "instant_win"]
    assert [t.prize for t in replies] == [p.id for p in instant]
    for reply, prize in zip(replies, instant, strict=True):
        assert prize.name in reply.text


def test_outcomes_follow_the_mechanics(example: Campaign) -> None:
    found = set(outcomes(example))
    m = example.mechanics
    assert ("not_a_code" in found) == (m.codes is not None)
    assert ("receipt_rejected" in found) == (m.receipts is not None)
    assert ("selected" in found) == (m.loyalty is not None)


def test_ivr_script_lists_every_option(example: Campaign, built: Path) -> None:
    hotline = example.channels.hotline
    assert hotline is not None and hotline.ivr is not None
    script = (built / "texts" / "ivr.txt").read_text(encoding="utf-8")
    assert hotline.number in script
    assert " ".join(hotline.ivr.greeting.split()) in script
    for option in hotline.ivr.options:
        assert f"{option.label} — нажмите {option.key}." in script
        assert f"[{option.key}] {option.label}" in script
        if option.text:
            assert " ".join(option.text.split()) in script
