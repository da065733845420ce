"""From a campaign file on disk to a validated, typed :class:`~campaignctl.model.Campaign`."""

from __future__ import annotations

from campaignctl.spec.validate import Report, check_file, load_campaign

__all__ = ["Report", "check_file", "load_campaign"]
