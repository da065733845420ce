"""The CRM mapping of a campaign, built once per campaign object."""

from __future__ import annotations

import gc
from dataclasses import replace

from campaignctl.crm.fields import _MAPPINGS, Mapped, mapping_for
from campaignctl.model import Campaign
from campaignctl.model.channels import CrmMapping
from campaignctl.spec import load_campaign
from tests.conftest import ROOT


def _load(name: str) -> Campaign:
    return load_campaign(ROOT / "examples" / name / "campaign.yaml")


def test_the_mapping_follows_the_campaign_object() -> None:
    caps = _load("bottle-caps")
    assert caps.crm is not None
    first = mapping_for(caps, "amocrm")
    assert first is mapping_for(caps, "amocrm")
    assert first[:2] == (Mapped("phone", "PHONE"), Mapped("code", 1180231))
    # Another target of the same campaign: its default names, not the spec's.
    assert mapping_for(caps, "webhook")[0] == Mapped("phone", "phone")
    # A changed copy (another mapping) is another object and gets its own.
    changed = replace(caps, crm=replace(caps.crm, mapping=(CrmMapping("phone", "PHONE_2"),)))
    assert mapping_for(changed, "amocrm") == (Mapped("phone", "PHONE_2"),)
    assert mapping_for(caps, "amocrm") is first


def test_a_dropped_campaign_leaves_nothing_behind() -> None:
    campaign = _load("bottle-caps")
    mapping_for(campaign, "amocrm")
    mapping_for(campaign, "csv")
    keys = [(id(campaign), "amocrm"), (id(campaign), "csv")]
    assert all(key in _MAPPINGS for key in keys)
    del campaign
    gc.collect()
    assert not any(key in _MAPPINGS for key in keys)
