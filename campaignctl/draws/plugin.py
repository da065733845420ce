"""Registers the draws' routes with the runtime (imported by :mod:`campaignctl.runtime.plugins`)."""

from __future__ import annotations

from campaignctl.draws import api
from campaignctl.runtime import hooks

hooks.ROUTERS.append(api.router)
