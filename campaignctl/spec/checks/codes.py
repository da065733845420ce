"""The code space is large enough for the count and the accepted guessing risk."""

from __future__ import annotations

from collections.abc import Iterator

from campaignctl.codes.capacity import Capacity, min_length_for
from campaignctl.model import Campaign
from campaignctl.spec.checks.registry import check, ptr
from campaignctl.spec.findings import Finding, error, warning

_LOOKALIKES = (("0", "O"), ("1", "I"), ("1", "L"), ("0", "D"))


def attempt_budget(c: Campaign) -> int:
    """What a botnet can try over the registration window under the anti-fraud limits."""
    if c.codes is None:
        return 0
    security = c.codes.security
    if security.attacker_attempts is not None:
        return security.attacker_attempts
    days = c.period.registration.days
    return c.anti_fraud.max_failed_per_ip_per_day * days * security.attacker_ips


@check
def codes_section(c: Campaign) -> Iterator[Finding]:
    if c.mechanics.codes is not None and c.codes is None:
        yield error(
            ptr("mechanics", "codes"),
            "the codes mechanic needs a top-level 'codes' section",
            "add codes: {count: ..., length: ...}",
            "codes.required",
        )
    if c.codes is not None and c.mechanics.codes is None:
        yield warning(
            ptr("codes"),
            "codes are configured but mechanics.codes is not",
            "participants have no way to register them",
            "codes.unused",
        )


@check
def capacity(c: Campaign) -> Iterator[Finding]:
    spec = c.codes
    if spec is None:
        return
    alphabet = spec.alphabet
    if len(set(alphabet)) != len(alphabet):
        dupes = sorted({ch for ch in alphabet if alphabet.count(ch) > 1})
        yield error(
            ptr("codes", "alphabet"),
            f"repeated characters: {''.join(dupes)}",
            None,
            "codes.alphabet",
        )
        return
    pairs = [f"{a}/{b}" for a, b in _LOOKALIKES if a in alphabet and b in alphabet]
    if pairs:
        yield warning(
            ptr("codes", "alphabet"),
            f"look-alike characters {', '.join(pairs)}",
            "people misread them on caps; the default alphabet leaves them out",
            "codes.alphabet",
        )
    attempts = attempt_budget(c)
    cap = Capacity.of(len(alphabet), spec.length, spec.count, attempts, spec.security.accepted_risk)
    if spec.count > cap.space:
        yield error(
            ptr("codes", "count"),
            f"{spec.count:,} codes do not fit in {cap.space:,} possible strings",
            "use a longer code",
            "codes.capacity",
        )
        return
    if not cap.within_risk:
        need = min_length_for(len(alphabet), spec.count, attempts, spec.security.accepted_risk)
        yield error(
            ptr("codes", "length"),
            f"guessing risk {cap.risk:.2g} exceeds the accepted {spec.security.accepted_risk:g}: "
            f"{attempts:,} attempts x {spec.count:,} codes / {cap.space:.3g} strings",
            f"length {need} keeps it within the risk; or lower the count, or tighten anti_fraud limits (docs/codes.md)",
            "codes.capacity",
        )
    names: dict[str, int] = {}
    planned = 0
    for i, batch in enumerate(spec.batches):
        if batch.name in names:
            yield error(
                ptr("codes", "batches", i, "name"),
                f"batch '{batch.name}' is listed twice",
                None,
                "codes.batches",
            )
        names.setdefault(batch.name, i)
        planned += batch.count
    if planned > spec.count:
        yield error(
            ptr("codes", "batches"),
            f"batches plan {planned:,} codes but codes.count is {spec.count:,}",
            "raise codes.count or shrink the batches",
            "codes.batches",
        )
