"""Starting campaigns: from a cookiecutter template (``new``) or a past campaign (``clone``)."""

from __future__ import annotations

from campaignctl.scaffold.assignments import parse_assignments
from campaignctl.scaffold.clone import Cloned, clone_campaign
from campaignctl.scaffold.render import NewCampaign, new_campaign

__all__ = ["Cloned", "NewCampaign", "clone_campaign", "new_campaign", "parse_assignments"]
