"""The typed, immutable campaign model. Nothing downstream reads raw dicts."""

from __future__ import annotations

from campaignctl.model.build import build_campaign
from campaignctl.model.campaign import Campaign

__all__ = ["Campaign", "build_campaign"]
