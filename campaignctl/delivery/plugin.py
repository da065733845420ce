"""Plugs delivery into the runtime; imported once by :func:`campaignctl.runtime.plugins.install`."""

from __future__ import annotations

from campaignctl.delivery import crm, dashboard, sms, sms_inbound, worker
from campaignctl.runtime import hooks

hooks.AFTER_REGISTRATION += [crm.enqueue_registration, sms.enqueue_reply]
hooks.LOGIN_CODE.append(sms.enqueue_login_code)
hooks.ROUTERS += [sms_inbound.router, dashboard.router]
hooks.JOBS += [
    hooks.Job("delivery", 1.0, worker.deliver),
    hooks.Job("crm-csv-export", worker.csv_interval(), worker.export_job),
]
