"""Imports the modules that register hooks, routes and jobs (one line per owner).

The delivery and draws parts add their import here; each import appends to the
lists in :mod:`campaignctl.runtime.hooks` once, at app start.
"""

from __future__ import annotations

_installed = False


def install() -> None:
    """Import every plugin module once."""
    global _installed  # noqa: PLW0603 - a one-shot import guard
    if _installed:
        return
    _installed = True
    import campaignctl.delivery.plugin  # noqa: F401, PLC0415 - registers delivery hooks, routes, jobs
    from campaignctl.draws import plugin as _draws  # noqa: F401, PLC0415 - draws routes, daily report
