"""Turn schema-valid data into the frozen :class:`Campaign` model."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import dacite

from campaignctl.model.campaign import Campaign


def _decimal(value: Any) -> Decimal:
    # Through str so 2.8 becomes Decimal("2.8"), not its binary approximation.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _integer(value: Any) -> Any:
    # JSON Schema counts 18.0 as an integer; the model wants the int.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_CONFIG = dacite.Config(
    type_hooks={
        date: date.fromisoformat,
        datetime: datetime.fromisoformat,
        Decimal: _decimal,
        float: float,
        int: _integer,
    },
    cast=[tuple],
    strict=True,
)


def build_campaign(data: dict[str, Any], source: Path) -> Campaign:
    """Build the model from data that already passed the JSON Schema."""
    cleaned = {k: v for k, v in data.items() if k != "$schema"}
    cleaned["source"] = source
    campaign: Campaign = dacite.from_dict(Campaign, cleaned, config=_CONFIG)
    return campaign
