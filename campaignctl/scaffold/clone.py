"""`campaignctl clone`: start a new campaign from a past one, safely.

The spec and its assets are copied; the slug and id are new; every date field
moves by the same number of days (52 weeks by default, so weekly draws keep
their weekday); ``--set`` changes any other value. The YAML is edited in place,
value by value, so comments and layout survive. State, keys, databases, print
files and personal data are never copied (see :mod:`campaignctl.scaffold.copying`),
and what still mentions the past campaign is listed for review.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from campaignctl.errors import UserError, pointer_to_dotted
from campaignctl.scaffold.assignments import field_pointer, typed_like
from campaignctl.scaffold.copying import Selection, Skipped, copy_selected, select
from campaignctl.scaffold.edit import Scalar, apply_edits, insert_after, scalar_spans
from campaignctl.scaffold.folder import CAMPAIGN_FILE, ensure_free, point_schema_comment, staged
from campaignctl.scaffold.mentions import Shift
from campaignctl.scaffold.review import ReviewItem, carried_over, stale_texts, text_files
from campaignctl.scaffold.shift import date_fields, default_shift, parse_day, shifted
from campaignctl.spec import Report, check_file
from campaignctl.spec.loader import Document, load_document
from campaignctl.spec.schema import is_slug

ALIASES = {
    "slug": "campaign.slug",
    "name": "campaign.name",
    "brand": "campaign.brand",
    "client": "campaign.client",
}
_URL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


class NotACampaign(UserError):
    """The folder to clone holds no usable campaign."""


@dataclass(frozen=True)
class Change:
    field: str
    line: int
    old: str
    new: str


@dataclass(frozen=True)
class Cloned:
    source: Path
    folder: Path
    shift_days: int
    changes: tuple[Change, ...]
    copied: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    review: tuple[ReviewItem, ...]
    report: Report


def _source_document(source: Path) -> Document:
    if not source.is_dir():
        raise NotACampaign(
            "not a folder",
            hint="pass the folder of a past campaign (it holds campaign.yaml)",
            path=source,
        )
    spec = source / CAMPAIGN_FILE
    if not spec.is_file():
        raise NotACampaign(
            f"not a campaign: there is no {CAMPAIGN_FILE} in this folder",
            hint="pass the folder of a past campaign (it holds campaign.yaml)",
            path=source,
        )
    doc = load_document(spec)
    campaign, period = doc.data.get("campaign"), doc.data.get("period")
    slug = campaign.get("slug") if isinstance(campaign, dict) else None
    start = period.get("start") if isinstance(period, dict) else None
    end = period.get("end") if isinstance(period, dict) else None
    if not isinstance(slug, str) or not all(
        isinstance(v, str) and parse_day(v) for v in (start, end)
    ):
        raise NotACampaign(
            "not a campaign this can clone: campaign.slug, period.start and period.end are needed",
            hint="check it with 'campaignctl validate'",
            path=spec,
        )
    return doc


def _days(old_start: date, shift_days: int | None, start: date | None, today: date) -> int:
    if shift_days is not None and start is not None:
        raise UserError("give either --shift-days or --start, not both")
    if start is not None:
        return (start - old_start).days
    if shift_days is not None:
        return shift_days
    return default_shift(old_start, today)


def _new_slug(old: str, dest: Path, shift: Shift) -> str:
    old_year, new_year = str(shift.old_start.year), str(shift.move(shift.old_start).year)
    if old_year in old and old_year != new_year:
        return old.replace(old_year, new_year)
    if is_slug(dest.name) and dest.name != old:
        return dest.name
    raise UserError(
        f"cannot make a new slug from {old!r}",
        hint="pass one: --set slug=my-campaign-2028",
    )


def _lookup(data: Any, pointer: str) -> tuple[bool, Any]:
    node = data
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def _assign(data: Any, pointer: str, value: Any) -> None:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    node = data
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    if isinstance(node, list):
        node[int(tokens[-1])] = value
    else:
        node[tokens[-1]] = value


def _set_edits(data: Any, sets: Mapping[str, str], path: Path) -> dict[str, Scalar]:
    edits: dict[str, Scalar] = {}
    for key, raw in sets.items():
        field = ALIASES.get(key, key)
        pointer = field_pointer(field)
        found, old = _lookup(data, pointer)
        if not found or isinstance(old, dict | list) or old is None:
            what = "is not a single value" if found else "is not in the past campaign"
            raise UserError(
                f"--set {key}: {field} {what}",
                hint="--set changes existing values by field path, e.g. campaign.name, "
                "prizes[0].quantity, codes.count; shorthands: " + ", ".join(ALIASES),
                path=path,
            )
        if pointer == "/campaign/id":
            raise UserError("--set id: the clone always gets a fresh id")
        edits[pointer] = typed_like(old, raw, field)
    return edits


def _referenced(data: Any) -> list[str]:
    names: list[str] = []
    branding = _lookup(data, "/channels/site/branding")[1]
    if isinstance(branding, dict):
        names += [
            v for k in ("logo", "hero_image", "font") if isinstance(v := branding.get(k), str)
        ]
    for prize in data.get("prizes") or []:
        if isinstance(prize, dict) and isinstance(prize.get("image"), str):
            names.append(prize["image"])
    consent = _lookup(data, "/personal_data/consent_document")[1]
    if isinstance(consent, str) and not _URL.match(consent):
        names.append(consent)
    return names


def _edited_text(doc: Document, text: str, edits: Mapping[str, Scalar], new_id: str) -> str:
    """The source text with ``edits`` applied and the new id; checked against the data."""
    has_id = _lookup(doc.data, "/campaign/id")[0]
    all_edits = {**edits, "/campaign/id": new_id} if has_id else dict(edits)
    out = apply_edits(text, all_edits)
    if not has_id:
        out = insert_after(out, "/campaign", "slug", "id", new_id)
    expected = copy.deepcopy(doc.data)
    for pointer, value in {**edits, "/campaign/id": new_id}.items():
        _assign(expected, pointer, value)
    check = load_document(doc.path, out.encode("utf-8"))
    if check.data != expected:  # pragma: no cover - a bug in the editor, not a user error
        raise RuntimeError(f"editing {doc.path} in place went wrong; nothing was written")
    return out


def clone_campaign(
    source: Path,
    dest: Path,
    *,
    sets: Mapping[str, str] | None = None,
    shift_days: int | None = None,
    start: date | None = None,
    today: date | None = None,
) -> Cloned:
    """Copy the past campaign at ``source`` into the new folder ``dest``."""
    doc = _source_document(source)
    ensure_free(dest)
    data = doc.data
    old_start = date.fromisoformat(data["period"]["start"])
    old_end = date.fromisoformat(data["period"]["end"])
    days = _days(old_start, shift_days, start, today or date.today())
    shift = Shift(days, old_start, old_end)
    edits: dict[str, Scalar] = {p: shifted(v, days) for p, _, v in date_fields(data)}
    given = _set_edits(data, sets or {}, doc.path)
    if "/campaign/slug" not in given:
        edits["/campaign/slug"] = _new_slug(data["campaign"]["slug"], dest, shift)
    edits = {p: v for p, v in {**edits, **given}.items() if _lookup(data, p)[1] != v}
    new_id = str(uuid.uuid4())
    text = doc.path.read_text(encoding="utf-8-sig")
    new_text = _edited_text(doc, text, edits, new_id)
    selection: Selection = select(source, _referenced(data))
    with staged(dest) as scratch:
        copy_selected(source, scratch, _without(selection, CAMPAIGN_FILE))
        (scratch / CAMPAIGN_FILE).write_text(new_text, encoding="utf-8")
        point_schema_comment(scratch / CAMPAIGN_FILE)
    final_path = dest / CAMPAIGN_FILE
    final_text = final_path.read_text(encoding="utf-8")
    new_doc = load_document(final_path)
    spans = scalar_spans(final_text)
    skip = frozenset(
        {*(p for p, _, _ in date_fields(new_doc.data)), "/campaign/id", "/campaign/slug", *given}
    )
    phrases = {
        str(_lookup(data, p)[1]): str(v)
        for p, v in given.items()
        if p in ("/campaign/name", "/campaign/brand", "/campaign/client")
    }
    review = [
        *stale_texts(CAMPAIGN_FILE, final_text, shift, spans=spans, skip=skip, phrases=phrases),
        *(
            item
            for name, body in text_files(dest, selection.files)
            for item in stale_texts(name, body, shift, phrases=phrases)
        ),
        *carried_over(new_doc, CAMPAIGN_FILE),
    ]
    changes = [
        Change(pointer_to_dotted(p), doc.locate(p).line, str(_lookup(data, p)[1]), str(v))
        for p, v in sorted(edits.items(), key=lambda kv: _position(doc, kv[0]))
    ]
    old_id = _lookup(data, "/campaign/id")[1]
    changes.insert(
        0, Change("campaign.id", doc.locate("/campaign/id").line, str(old_id or "(none)"), new_id)
    )
    return Cloned(
        source=source,
        folder=dest,
        shift_days=days,
        changes=tuple(changes),
        copied=selection.files,
        skipped=selection.skipped,
        review=tuple(review),
        report=check_file(final_path),
    )


def _position(doc: Document, pointer: str) -> tuple[int, int]:
    pos = doc.locate(pointer)
    return pos.line, pos.column


def _without(selection: Selection, name: str) -> Selection:
    return Selection(tuple(f for f in selection.files if f != name), selection.skipped)
