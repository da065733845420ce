"""What 38-FZ art. 9 requires an ad of a promotion to state, as values from the campaign.

Shared by the rules and POS tests. Values are formatted the way the texts print
them; no-break spaces inside numbers are normalised to plain spaces first.
"""

from __future__ import annotations

import html
import re
from decimal import ROUND_CEILING, Decimal

from campaignctl.model import Campaign


def plain(text: str) -> str:
    """Rendered HTML or text as words: tags dropped, entities decoded, spaces normalised."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def grouped(value: int | Decimal) -> str:
    """5000000 -> '5 000 000' (as the texts print counts)."""
    return f"{int(value):,}".replace(",", " ")


def short_date(day: object) -> str:
    return day.strftime("%d.%m.%Y")  # type: ignore[attr-defined]


def cash_part(value_rub: Decimal) -> Decimal:
    """The NDFL gross-up (Tax Code art. 217 p. 28, art. 224 p. 2), computed here independently: C = 0.35·(V − 4000)/0.65, up to the kopeck."""
    raw = Decimal("0.35") * (value_rub - 4000) / Decimal("0.65")
    return raw.quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def rub(value: Decimal) -> str:
    """'3 230,77 руб.'"""
    whole, _, frac = f"{value:.2f}".partition(".")
    return f"{grouped(int(whole))},{frac} руб."


def organizer_names(c: Campaign) -> list[str]:
    """The organizer's name as the texts may print it: in full, or with the form abbreviated."""
    name = c.organizer.legal_name
    quoted = name[name.index("«") :] if "«" in name else name
    return [name, quoted]
