"""campaignctl: campaign-as-code toolkit for consumer promotions."""

from __future__ import annotations

__version__ = "0.1.0"
