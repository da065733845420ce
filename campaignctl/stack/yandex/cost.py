"""An estimate of the stack's monthly cost: the planned resources times the price table.

Prices come from ``prices.json`` (RUB incl. VAT, with its source and date);
volumes come from the campaign's expected traffic
(``infrastructure.yandex.expected_requests_per_day``, else the budget scenario)
and the assumptions below. Every figure is an estimate; it says so and carries
the price table's date wherever it is printed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from campaignctl.model import Campaign
from campaignctl.stack.yandex import database as db
from campaignctl.stack.yandex.functions import SHAPES
from campaignctl.stack.yandex.offline import OfflineStack

PRICES_FILE = Path(__file__).with_name("prices.json")
MONTH_DAYS = 30
HOURS = Decimal(MONTH_DAYS * 24)

# Traffic assumptions, printed in each line's basis.
REQUESTS_PER_REGISTRATION = 25
"""Gateway requests a participant makes per registration (pages, assets, API calls)."""
API_SHARE = Decimal("0.3")
"""Share of gateway requests that reach the http function; the rest are static files."""
MESSAGE_SHARE = Decimal("0.1")
"""Queue messages per API call, per worker (one per registration, roughly)."""
SECONDS_PER_CALL = {
    "http": Decimal("0.3"),
    "crm": Decimal(1),
    "sms": Decimal(1),
    "jobs": Decimal(60),
    "relay": Decimal("0.5"),
}
RELAY_CALLS_PER_MONTH = 60 * 24 * MONTH_DAYS
"""The relay's timer fires every minute, all month; most runs find a few messages or none."""
QUEUE_REQUESTS_PER_MESSAGE = 3  # send, receive, delete
TRIGGER_POLLS_PER_MONTH = 3 * 60 * 24 * MONTH_DAYS
"""A queue trigger long-polls (20 s) its queue: 3 receives a minute, all month."""
STORED_GB = {"site": Decimal("0.05"), "reports": Decimal("0.5"), "archives": Decimal(1)}
BYTES_PER_PRINTED_CODE = 64
RESPONSE_KB = Decimal(40)
"""Average response through the CDN (pages, images, API answers)."""
DNS_QUERIES_PER_REQUEST = Decimal("0.1")
KMS_OPERATIONS_PER_CALL = Decimal("0.02")
"""Cold starts decrypt the secrets; SSE encrypts report writes: a small share of calls."""
_KOPECK = Decimal("0.01")


@cache
def price_table() -> dict[str, Any]:
    table: dict[str, Any] = json.loads(PRICES_FILE.read_text(encoding="utf-8"))
    return table


def _p(*path: str) -> Decimal:
    node: Any = price_table()
    for part in path:
        node = node[part]
    return Decimal(str(node))


def _rub(amount: Decimal) -> Decimal:
    return amount.quantize(_KOPECK, rounding=ROUND_HALF_UP)


def _above(count: Decimal, free: Decimal) -> Decimal:
    return max(Decimal(0), count - free)


@dataclass(frozen=True)
class Traffic:
    requests_per_day: int
    source: str

    @property
    def per_month(self) -> Decimal:
        return Decimal(self.requests_per_day * MONTH_DAYS)


def traffic(campaign: Campaign) -> Traffic:
    target = campaign.infrastructure.yandex
    if target is not None and target.expected_requests_per_day is not None:
        return Traffic(
            target.expected_requests_per_day, "infrastructure.yandex.expected_requests_per_day"
        )
    scenario = campaign.budget.scenario
    if scenario.expected_participants:
        registrations = scenario.expected_participants * scenario.registrations_per_participant
        days = campaign.period.registration.days
        per_day = round(registrations * REQUESTS_PER_REGISTRATION / days)
        return Traffic(
            per_day,
            f"budget.scenario: {scenario.expected_participants:,} participants × "
            f"{scenario.registrations_per_participant} registrations × "
            f"{REQUESTS_PER_REGISTRATION} requests / {days} registration days",
        )
    return Traffic(0, "no expected traffic: set infrastructure.yandex.expected_requests_per_day")


@dataclass(frozen=True)
class CostItem:
    service: str
    basis: str
    monthly_rub: Decimal


@dataclass(frozen=True)
class CloudEstimate:
    items: tuple[CostItem, ...]
    traffic: Traffic
    price_source: str
    price_date: str

    @property
    def monthly_rub(self) -> Decimal:
        return sum((i.monthly_rub for i in self.items), Decimal("0.00"))

    def as_json(self) -> dict[str, object]:
        return {
            "estimate": True,
            "currency": "RUB",
            "price_table": {"source": self.price_source, "date": self.price_date},
            "requests_per_day": self.traffic.requests_per_day,
            "traffic_source": self.traffic.source,
            "items": [
                {"service": i.service, "basis": i.basis, "monthly_rub": f"{i.monthly_rub:.2f}"}
                for i in self.items
            ],
            "monthly_rub": f"{self.monthly_rub:.2f}",
        }


def _storage(stack: OfflineStack) -> CostItem:
    codes = stack.campaign.codes.count if stack.campaign.codes is not None else 0
    print_gb = Decimal(codes * BYTES_PER_PRINTED_CODE) / Decimal(1024**3)
    standard = STORED_GB["site"] + STORED_GB["reports"] + print_gb
    cold = STORED_GB["archives"]
    gets = stack_traffic(stack).per_month * (1 - API_SHARE)
    puts = Decimal(MONTH_DAYS * 10)  # reports, exports and archives written by the jobs
    amount = (
        standard * _p("object_storage", "standard_gb_month")
        + cold * _p("object_storage", "cold_gb_month")
        + gets / 10_000 * _p("object_storage", "get_per_10000")
        + puts / 1000 * _p("object_storage", "put_per_1000")
    )
    basis = (
        f"{standard:.2f} GB standard + {cold:.2f} GB cold, {gets:,.0f} GET "
        f"(static share {1 - API_SHARE}), {puts:,.0f} PUT"
    )
    return CostItem("Object Storage", basis, _rub(amount))


def stack_traffic(stack: OfflineStack) -> Traffic:
    return traffic(stack.campaign)


def _gateway(stack: OfflineStack) -> CostItem:
    requests = stack_traffic(stack).per_month
    free = _p("api_gateway", "free_requests")
    amount = _above(requests, free) / 1_000_000 * _p("api_gateway", "per_million_requests")
    return CostItem("API Gateway", f"{requests:,.0f} requests, {free:,.0f} free", _rub(amount))


def _function_calls(stack: OfflineStack) -> dict[str, Decimal]:
    api_calls = stack_traffic(stack).per_month * API_SHARE
    roles = {r.name for r in stack.of_type("yandex:Function")}
    calls = {"http": api_calls, "jobs": Decimal(MONTH_DAYS + len(stack.campaign.draws))}
    if "relay" in roles:
        calls["relay"] = Decimal(RELAY_CALLS_PER_MONTH)
    for worker in ("crm", "sms"):
        if worker in roles:
            calls[worker] = api_calls * MESSAGE_SHARE
    return calls


def _functions(stack: OfflineStack) -> CostItem:
    calls = _function_calls(stack)
    total = sum(calls.values(), Decimal(0))
    gb_hours = sum(
        (
            n * SECONDS_PER_CALL[role] * Decimal(SHAPES[role].memory_mb) / 1024 / 3600
            for role, n in calls.items()
        ),
        Decimal(0),
    )
    amount = _above(total, _p("functions", "free_calls")) / 1_000_000 * _p(
        "functions", "per_million_calls"
    ) + _above(gb_hours, _p("functions", "free_gb_hours")) * _p("functions", "gb_hour")
    basis = f"{total:,.0f} calls, {gb_hours:,.1f} GB×h (free: 1M calls, 10 GB×h)"
    return CostItem("Cloud Functions", basis, _rub(amount))


def _queues(stack: OfflineStack) -> CostItem | None:
    queues = [q for q in stack.of_type("yandex:MessageQueue") if not q.name.endswith("-dlq")]
    if not queues:
        return None
    calls = _function_calls(stack)
    messages = sum((calls.get(q.name, Decimal(0)) for q in queues), Decimal(0))
    requests = messages * QUEUE_REQUESTS_PER_MESSAGE + len(queues) * TRIGGER_POLLS_PER_MONTH
    free = _p("message_queue", "free_requests")
    amount = _above(requests, free) / 1_000_000 * _p("message_queue", "per_million_requests")
    basis = f"{requests:,.0f} requests ({len(queues)} queue(s), trigger polling included)"
    return CostItem("Message Queue", basis, _rub(amount))


def _mysql(stack: OfflineStack) -> CostItem:
    (cluster,) = stack.of_type("yandex:MdbMysqlCluster")
    preset = cluster.inputs["resources"]["resourcePresetId"]
    disk = Decimal(cluster.inputs["resources"]["diskSize"])
    hosts = len(cluster.inputs["hosts"])
    public = sum(1 for h in cluster.inputs["hosts"] if h.get("assignPublicIp"))
    amount = (
        hosts * HOURS * _p("mysql", "host_hour", preset)
        + hosts * disk * _p("mysql", "network_ssd_gb_month")
        + public * HOURS * _p("mysql", "public_ip_hour")
    )
    basis = f"{hosts} × {preset} × {HOURS} h + {disk} GB {db.DISK_TYPE} + {public} public IP"
    return CostItem("Managed MySQL", basis, _rub(amount))


def _kms(stack: OfflineStack) -> CostItem:
    keys = len(stack.of_type("yandex:KmsSymmetricKey"))
    operations = sum(_function_calls(stack).values(), Decimal(0)) * KMS_OPERATIONS_PER_CALL
    amount = keys * _p("kms", "key_version_month") + operations / 10_000 * _p(
        "kms", "per_10000_operations"
    )
    return CostItem("KMS", f"{keys} keys, {operations:,.0f} operations", _rub(amount))


def _domain(stack: OfflineStack) -> list[CostItem]:
    if not stack.of_type("yandex:CdnResource"):
        return []
    requests = stack_traffic(stack).per_month
    gb = requests * RESPONSE_KB / Decimal(1024 * 1024)
    queries = requests * DNS_QUERIES_PER_REQUEST
    return [
        CostItem(
            "Cloud CDN",
            f"{gb:,.1f} GB ({RESPONSE_KB} KB per request)",
            _rub(gb * _p("cdn", "traffic_gb")),
        ),
        CostItem(
            "Cloud DNS",
            f"1 public zone, {queries:,.0f} queries",
            _rub(
                _p("dns", "public_zone_month")
                + queries / 1_000_000 * _p("dns", "per_million_queries")
            ),
        ),
    ]


def estimate_monthly(stack: OfflineStack) -> CloudEstimate:
    """The monthly cost estimate of the resources in ``stack`` at the campaign's traffic."""
    items = [_storage(stack), _gateway(stack), _functions(stack)]
    queues = _queues(stack)
    if queues is not None:
        items.append(queues)
    items += [_mysql(stack), _kms(stack), *_domain(stack)]
    table = price_table()
    return CloudEstimate(tuple(items), stack_traffic(stack), table["source"], table["date"])


def kept_after_down(stack: OfflineStack) -> CloudEstimate:
    """What the protected resources cost per month after ``down`` without ``--include-protected``:
    the MySQL cluster, the archive bucket's cold storage and the key that encrypts it (the
    network, subnet and security group cost nothing)."""
    table = price_table()
    cold = STORED_GB["archives"]
    items = (
        _mysql(stack),
        CostItem(
            "Object Storage",
            f"{cold:.2f} GB cold (the archive bucket)",
            _rub(cold * _p("object_storage", "cold_gb_month")),
        ),
        CostItem("KMS", "1 key (the storage key)", _rub(_p("kms", "key_version_month"))),
    )
    return CloudEstimate(
        items, Traffic(0, "none: only stored data"), table["source"], table["date"]
    )
