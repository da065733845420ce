"""``/metrics`` in the Prometheus text exposition format (version 0.0.4), written by hand.

Every value is read from the database at scrape time, so any number of server
processes (or Cloud Function instances) report the same totals.
"""

from __future__ import annotations

from sqlalchemy import func, select

from campaignctl.delivery.dashboard_data import Dashboard
from campaignctl.queue import OutboxQueue
from campaignctl.store.runtime_tables import registrations

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _family(
    name: str, kind: str, help_text: str, samples: list[tuple[dict[str, str], float]]
) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    for labels, value in samples:
        inner = ",".join(f'{k}="{_label(v)}"' for k, v in labels.items())
        lines.append(f"{name}{{{inner}}} {value:g}" if inner else f"{name} {value:g}")
    return lines


def exposition(data: Dashboard, queue: OutboxQueue) -> str:
    with queue.engine.connect() as conn:
        pairs = conn.execute(
            select(registrations.c.channel, registrations.c.outcome, func.count()).group_by(
                registrations.c.channel, registrations.c.outcome
            )
        ).all()
    lines: list[str] = []
    lines += _family(
        "campaignctl_registrations_total",
        "counter",
        "Registrations by channel and outcome.",
        [({"channel": str(c), "outcome": str(o)}, float(n)) for c, o, n in pairs],
    )
    lines += _family(
        "campaignctl_codes_redeemed_total",
        "counter",
        "Codes redeemed per batch.",
        [({"batch": name}, float(used)) for name, _state, _count, used in data.batches],
    )
    lines += _family(
        "campaignctl_prizes_remaining",
        "gauge",
        "Prizes left in stock.",
        [({"prize": pid}, float(left)) for pid, _name, _total, left in data.prizes],
    )
    lines += _family(
        "campaignctl_queue_messages",
        "gauge",
        "Delivery queue messages by state.",
        [({"state": s}, float(n)) for s, n in data.queue.items()],
    )
    lines += _family("campaignctl_sms_sent_total", "counter", "SMS sent.", [({}, data.sms_sent)])
    lines += _family(
        "campaignctl_sms_segments_total", "counter", "SMS segments sent.", [({}, data.sms_segments)]
    )
    lines += _family(
        "campaignctl_sms_cost_rub_total",
        "counter",
        "Cost of SMS sent, rubles (budget price table).",
        [({}, float(data.sms_cost_rub))],
    )
    lines += _family(
        "campaignctl_draws_overdue",
        "gauge",
        "Rounds not drawn 15 minutes after their moment (1 each).",
        [({"round": round_id}, 1.0) for round_id, _at in data.overdue_draws],
    )
    lines += _family(
        "campaignctl_moderation_open_flags",
        "gauge",
        "Unresolved anti-fraud flags.",
        [({}, float(len(data.flags)))],
    )
    return "\n".join(lines) + "\n"
