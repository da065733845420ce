"""What an account manager must still check in a cloned campaign.

Two kinds of findings: the free texts (and comments, README, documents) that
mention the old dates, prices or names, and the values a clone carries over
unchanged but that belong to the past campaign (prize stock, prices, legal
details, the site's address, rented numbers, secrets that were not copied).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaignctl.errors import pointer_to_dotted
from campaignctl.scaffold.edit import Span
from campaignctl.scaffold.mentions import Mention, Shift, find_mentions, find_phrases
from campaignctl.spec.loader import Document

_WHY = {
    "date": "an old date",
    "month": "an old month",
    "year": "the old year",
    "weekday": "a weekday (the shift moves weekdays)",
    "amount": "an amount: is the price or value still right?",
    "text": "the old name",
}


@dataclass(frozen=True)
class ReviewItem:
    file: str
    line: int
    column: int
    where: str
    """A field path, ``comment`` or ``text``."""
    message: str

    def render(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.where}: {self.message}"


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _say(m: Mention) -> str:
    hint = f" -> {m.suggestion!r}?" if m.suggestion else ""
    return f"{m.text!r} is {_WHY[m.kind]}{hint}"


def stale_texts(
    name: str,
    text: str,
    shift: Shift,
    *,
    spans: Mapping[str, Span] | None = None,
    skip: frozenset[str] = frozenset(),
    phrases: Mapping[str, str] | None = None,
) -> Iterator[ReviewItem]:
    """Mentions in ``text``; with ``spans`` (a YAML file), each is tied to its field.

    Values at the ``skip`` pointers (the shifted dates, ids) are not free text.
    In a YAML file only string values and comments count; keys and numbers do not.
    """
    mentions = list(find_mentions(text, shift)) + list(find_phrases(text, dict(phrases or {})))
    ordered = sorted(spans.items(), key=lambda kv: kv[1].start) if spans is not None else []
    for m in sorted(mentions, key=lambda x: x.start):
        line, column = _line_col(text, m.start)
        where = "text"
        if spans is not None:
            owner = next((p for p, s in ordered if s.start <= m.start < s.end), None)
            if owner is not None:
                if owner in skip:
                    continue
                where = pointer_to_dotted(owner)
            else:
                line_start = text.rfind("\n", 0, m.start) + 1
                if "#" not in text[line_start : m.start]:
                    continue
                where = "comment"
        yield ReviewItem(name, line, column, where, _say(m))


def _get(data: Any, *path: str | int) -> Any:
    node = data
    for part in path:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def carried_over(doc: Document, name: str) -> Iterator[ReviewItem]:
    """Values copied unchanged that belong to the past campaign."""
    data = doc.data

    def item(message: str, *path: str | int) -> ReviewItem | None:
        if _get(data, *path) is None:
            return None
        pointer = "".join(f"/{p}" for p in path)
        pos = doc.locate(pointer)
        return ReviewItem(name, pos.line, pos.column, pointer_to_dotted(pointer), message)

    checks: list[ReviewItem | None] = [
        item("legal details of the past campaign: confirm name, INN, OGRN, addresses", "organizer"),
        item("the operator's details and role: confirm the contract still holds", "operator"),
        item("the past campaign's site address", "channels", "site", "domain"),
        item("the past campaign's site URL", "channels", "site", "base_url"),
        item("the rules' URL of the past campaign", "rules", "url"),
        item(
            "the consent document: have the lawyers confirm it for the new dates",
            "personal_data",
            "consent_document",
        ),
        item(
            "short numbers are rented per campaign: confirm it is booked",
            "channels",
            "sms",
            "short_number",
        ),
        item(
            "hotline number and hours: confirm with the call centre",
            "channels",
            "hotline",
            "number",
        ),
        item("the chat bot of the past campaign", "channels", "chatbot", "handle"),
        item("the CRM pipeline of the past campaign", "crm", "pipeline_id"),
        item("secret not copied: provide it for the new campaign", "crm", "secret_ref"),
        item(
            "secret not copied: provide it for the new campaign",
            "channels",
            "sms",
            "provider",
            "secret_ref",
        ),
        item(
            "captcha keys belong to the past campaign's domain", "anti_fraud", "captcha", "site_key"
        ),
        item("the cloud folder of the past campaign", "infrastructure", "yandex", "folder_id"),
        item(
            "minimum receipt total of the past campaign", "mechanics", "receipts", "min_total_rub"
        ),
        item("qualifying products of the past campaign", "mechanics", "receipts", "products"),
        item("loyalty selection criteria of the past campaign", "mechanics", "loyalty", "criteria"),
        item("the past campaign's budget cap", "budget", "cap_rub"),
        item("the past campaign's price table", "budget", "prices"),
        item("the past campaign's KPI targets", "campaign", "kpi"),
        item(
            "print runs of the past campaign; a new code key is made by the first 'codes' run",
            "codes",
            "count",
        ),
    ]
    yield from (c for c in checks if c is not None)
    for i, prize in enumerate(_get(data, "prizes") or []):
        if isinstance(prize, dict):
            found = item(
                f"prize stock carried over: {prize.get('quantity')} x "
                f"{prize.get('value_rub')} RUB '{prize.get('id')}'; confirm with the client",
                "prizes", i,
            )  # fmt: skip
            if found is not None:
                yield found
    for i, tier in enumerate(_get(data, "mechanics", "dated_tiers") or []):
        if isinstance(tier, dict) and ("price_rub" in tier or "discount_percent" in tier):
            found = item(
                "a dated tier's price or discount of the past campaign",
                "mechanics",
                "dated_tiers",
                i,
            )
            if found is not None:
                yield found


def text_files(folder: Path, files: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(relative name, text) of the copied documents that can be read as text."""
    for name in files:
        if Path(name).suffix.lower() not in (".md", ".txt", ".html", ".htm"):
            continue
        try:
            yield name, (folder / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
