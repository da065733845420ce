"""`pulumi up` entry point: load the campaign named in config and declare its stack.

The program is :func:`campaignctl.stack.yandex.program.yandex_program`, the
same function the Automation API runs (`campaignctl up --target yandex`).
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.naming import CAMPAIGN_CONFIG_KEY, CONFIG_NAMESPACE
from campaignctl.stack.yandex.program import yandex_program
from campaignctl.state import state_dir

_config = pulumi.Config(CONFIG_NAMESPACE)
_campaign = load_campaign(Path(_config.require(CAMPAIGN_CONFIG_KEY)).resolve())
for _name, _value in yandex_program(_campaign, state_dir(_campaign.folder) / "build").items():
    pulumi.export(_name, _value)
