"""Plugs delivery into the runtime; imported once by :func:`campaignctl.runtime.plugins.install`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from campaignctl.delivery import crm, dashboard, sms, sms_inbound, worker
from campaignctl.draws import hooks as draw_hooks
from campaignctl.draws.protocol import Protocol
from campaignctl.model import Campaign
from campaignctl.runtime import hooks


def _winner_updates(conn: Connection, campaign: Campaign, protocol: Protocol) -> None:
    """Tell the CRM about each winner (not reserves) in the draw's own transaction."""
    won_at = datetime.fromisoformat(protocol.drawn_at)
    for pick in protocol.winners():
        crm.enqueue_winner_update(
            conn,
            campaign,
            registration_id=pick.entry_id,
            prize_id=pick.prize,
            draw_id=protocol.info.round,
            won_at=won_at,
        )


hooks.AFTER_REGISTRATION += [crm.enqueue_registration, sms.enqueue_reply]
hooks.LOGIN_CODE.append(sms.enqueue_login_code)
hooks.ROUTERS += [sms_inbound.router, dashboard.router]
hooks.JOBS += [
    hooks.Job("delivery", 1.0, worker.deliver),
    hooks.Job("crm-csv-export", worker.csv_interval(), worker.export_job),
]
draw_hooks.AFTER_DRAW.append(_winner_updates)
