"""The dashboard page: server-rendered HTML with an inline SVG chart, no scripts, no CDN.

The style sheet is served from ``/admin/dashboard.css`` (:data:`STYLE`): the
runtime's Content-Security-Policy allows styles from the site itself only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from html import escape

from campaignctl.delivery.dashboard_data import Dashboard
from campaignctl.registration import CHANNEL_LABELS, OUTCOME_LABELS

STYLE = """
body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff;padding:12px 24px;display:flex;justify-content:space-between}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px;padding:16px 24px}
section{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0002}
section.wide{grid-column:1/-1}
h1{font-size:18px;margin:0}h2{font-size:15px;margin:0 0 8px}
table{border-collapse:collapse;width:100%}td,th{padding:3px 6px;border-bottom:1px solid #eee;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.dead{color:#b00020}.big{font-size:28px;font-weight:600}
form.inline{display:inline}button{font:inherit;padding:2px 8px;cursor:pointer}
"""


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], numeric: set[int]) -> str:
    cells = "".join(
        f"<th{' class=n' if i in numeric else ''}>{escape(h)}</th>" for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if i in numeric else ''}>{escape(str(v))}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def chart(points: Sequence[tuple[datetime, int]], width: int = 960, height: int = 180) -> str:
    """Bars of registrations per hour, with the peak and hour labels every 6 bars."""
    peak = max((n for _, n in points), default=0) or 1
    bar = width / max(1, len(points))
    bars = []
    for i, (hour, n) in enumerate(points):
        h = (height - 30) * n / peak
        x = i * bar
        label = hour.strftime("%d.%m %H:00")
        bars.append(
            f'<rect x="{x + 1:.1f}" y="{height - 20 - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}"'
            f' fill="#2a6df4"><title>{escape(label)} UTC: {n}</title></rect>'
        )
        if i % 6 == 0:
            bars.append(
                f'<text x="{x:.1f}" y="{height - 5}" font-size="10" fill="#555">{escape(label)}</text>'
            )
    return (
        f'<svg role="img" aria-label="Registrations per hour" viewBox="0 0 {width} {height}"'
        f' width="100%" height="{height}"><text x="0" y="10" font-size="10" fill="#555">max {peak}/h'
        f"</text>{''.join(bars)}</svg>"
    )


def render_dashboard(data: Dashboard, csrf: str | None) -> str:
    channels = [(CHANNEL_LABELS.get(k, k), n) for k, n in data.by_channel.items()]  # type: ignore[call-overload]
    outcomes = [(OUTCOME_LABELS.get(k, k), n) for k, n in data.by_outcome.items()]  # type: ignore[call-overload]
    flags = []
    for f in data.flags:
        actions = ""
        if csrf is not None:
            actions = "".join(
                f'<form class=inline method=post action="/admin/moderation/{f.id}">'
                f'<input type=hidden name=csrf value="{escape(csrf)}">'
                f'<button name=action value="{a}">{label}</button></form> '
                for a, label in (("approve", "Approve"), ("block", "Block"))
            )
        flags.append(
            f"<tr><td>{escape(f.kind)}</td><td>{escape(f.subject[:24])}</td>"
            f"<td>{escape(f.detail)}</td><td>{f.created_at:%d.%m %H:%M}</td><td>{actions}</td></tr>"
        )
    flag_table = (
        "<table><thead><tr><th>kind</th><th>subject</th><th>detail</th><th>when (UTC)</th>"
        f"<th></th></tr></thead><tbody>{''.join(flags)}</tbody></table>"
        if flags
        else "<p>No open flags.</p>"
    )
    dead = _table(
        ["id", "topic", "key", "attempts", "last error"],
        [(m.id, m.topic, m.key, m.attempts, (m.last_error or "")[:120]) for m in data.dead],
        {3},
    )
    q = data.queue
    sections = [
        f"<section class=wide><h2>Registrations per hour (last {len(data.per_hour)} h, UTC)</h2>{chart(data.per_hour)}</section>",
        f"<section><h2>Registrations</h2><p class=big id=total>{data.registrations}</p>"
        f"{_table(['channel', 'count'], channels, {1})}</section>",
        f"<section><h2>Outcomes</h2>{_table(['outcome', 'count'], outcomes, {1})}</section>",
        f"<section><h2>Codes by batch</h2>{_table(['batch', 'state', 'codes', 'redeemed'], data.batches, {2, 3})}</section>",
        f"<section><h2>Prizes left</h2>{_table(['prize', 'name', 'total', 'left'], data.prizes, {2, 3})}</section>",
        f"<section><h2>Delivery queue</h2>{_table(['state', 'messages'], [(s, q[s]) for s in q], {1})}</section>",
        f"<section><h2>SMS</h2><p>{data.sms_sent} sent, {data.sms_segments} segments, "
        f"{data.sms_cost_rub:.2f} RUB</p>"
        + _table(
            ["dir", "phone", "text", "seg"],
            [(s.direction, s.phone, s.text[:70], s.segments) for s in data.sms_recent],
            {3},
        )
        + "</section>",
        f"<section class=wide><h2 class=dead>Dead letters ({q['dead']})</h2>{dead}</section>",
        f"<section class=wide><h2{' class=dead' if data.overdue_draws else ''}>Overdue draws "
        f"({len(data.overdue_draws)})</h2>"
        + (
            _table(
                ["round", "was due (UTC)"],
                [(r, f"{at.astimezone(UTC):%d.%m.%Y %H:%M}") for r, at in data.overdue_draws],
                set(),
            )
            if data.overdue_draws
            else "<p>Every round whose moment has passed is drawn.</p>"
        )
        + "</section>",
        f"<section class=wide><h2>Moderation: flagged participants ({len(data.flags)}), "
        f"receipts waiting: {data.pending_moderation}</h2>{flag_table}</section>",
    ]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(data.campaign)}: dashboard</title><link rel=stylesheet href=/admin/dashboard.css></head><body>"
        f"<header><h1>{escape(data.campaign)}</h1><span>updated {data.generated_at:%d.%m.%Y %H:%M} UTC"
        "</span></header><main>" + "".join(sections) + "</main></body></html>"
    )


def render_login(message: str | None = None) -> str:
    note = f"<p class=dead>{escape(message)}</p>" if message else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title>'
        f"<link rel=stylesheet href=/admin/dashboard.css></head><body><main><section><h1>Campaign dashboard</h1>{note}"
        '<form method=post action="/admin/login"><label>Admin token '
        "(.campaignctl/admin.token)<br><input type=password name=token autocomplete=off "
        "size=48></label><p><button type=submit>Sign in</button></p></form></section></main>"
        "</body></html>"
    )
