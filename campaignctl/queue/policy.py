"""How often and how long the worker tries a message: backoff with full jitter.

Full jitter (a uniform delay between 0 and ``base * 2**(attempt-1)``, capped)
spreads the retries of many messages that failed together, so a CRM that comes
back after an outage is not hit by all of them in the same second.
See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/.

The defaults can be changed per machine with environment variables, read once
by :meth:`RetryPolicy.from_env`.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, replace

from campaignctl.errors import UserError

ENV_PREFIX = "CAMPAIGNCTL_QUEUE_"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 10
    """Deliveries tried before a message goes to the dead letters."""
    base_seconds: float = 2.0
    cap_seconds: float = 900.0
    lease_seconds: float = 60.0
    """How long a claim hides a message; a worker that dies frees it after this."""
    batch: int = 20
    """Messages claimed at once."""

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after failed delivery number ``attempt`` (1-based)."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempt - 1))
        return (rng or random).uniform(0, ceiling)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> RetryPolicy:
        """Defaults overridden by ``CAMPAIGNCTL_QUEUE_MAX_ATTEMPTS``, ``_BASE_SECONDS``,
        ``_CAP_SECONDS``, ``_LEASE_SECONDS`` and ``_BATCH``."""
        env = os.environ if environ is None else environ
        policy = cls()
        changes: dict[str, float | int] = {}
        for name, kind in (
            ("max_attempts", int),
            ("base_seconds", float),
            ("cap_seconds", float),
            ("lease_seconds", float),
            ("batch", int),
        ):
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is None:
                continue
            try:
                number = kind(raw)
            except ValueError:
                number = -1
            if number <= 0:
                raise UserError(
                    f"{ENV_PREFIX}{name.upper()}={raw!r} must be a positive number",
                    hint=f"default: {getattr(policy, name)}",
                )
            changes[name] = number
        return replace(policy, **changes)  # type: ignore[arg-type]
