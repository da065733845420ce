"""Registration fields, their values, and the default field names of each CRM target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from campaignctl.crm.record import RegistrationRecord
from campaignctl.memo import ByObject
from campaignctl.model import Campaign
from campaignctl.model.channels import CrmField, CrmMapping
from campaignctl.registration import CHANNEL_LABELS, OUTCOME_LABELS

Target = Literal["webhook", "bitrix24", "amocrm", "csv"]
TARGETS: tuple[Target, ...] = get_args(Target)
FIELDS: tuple[CrmField, ...] = get_args(CrmField)

DESCRIPTIONS: dict[CrmField, str] = {
    "phone": "participant's phone, E.164 (+79161234567)",
    "name": "participant's name as entered",
    "email": "participant's e-mail",
    "birth_date": "date of birth, ISO 8601 (1990-05-17)",
    "city": "city as entered",
    "code": "the code, masked (7KQ4-****-9FHA), and its serial: never the full code",
    "receipt": "receipt fiscal ids: fn=…&i=…&fp=…",
    "channel": "where it came from: site, sms, chatbot, hotline, loyalty",
    "outcome": "what happened: instant_win, draw_entry, receipt_accepted, … (see labels)",
    "prize": "prize won: its name from the campaign (id in the webhook's meta)",
    "registered_at": "when, ISO 8601 with offset (amoCRM: Unix time)",
    "campaign": "campaign slug",
}

# Bitrix24 keeps phones and e-mails as multi-fields: [{VALUE, VALUE_TYPE}].
BITRIX_MULTI = {"PHONE": "MOBILE", "EMAIL": "HOME"}
# amoCRM contacts have system fields addressed by field_code, not by id.
AMO_CONTACT_CODES = {"PHONE": "MOB", "EMAIL": "PRIV"}


@dataclass(frozen=True)
class Mapped:
    field: CrmField
    target: str | int | None
    """None: the CRM needs a field created first (amoCRM custom fields by id)."""


def _default(target: Target, field: CrmField) -> str | int | None:
    if target in ("webhook", "csv"):
        return field
    if target == "bitrix24":
        return {"phone": "PHONE", "email": "EMAIL", "name": "NAME"}.get(
            field, f"UF_CRM_PROMO_{field.upper()}"
        )
    return {"phone": "PHONE", "email": "EMAIL", "name": "name"}.get(field)


_MAPPINGS: ByObject[Campaign, tuple[Mapped, ...]] = ByObject()


def mapping_for(campaign: Campaign, target: Target) -> tuple[Mapped, ...]:
    """The mapping used for ``target``: the spec's ``crm.mapping`` when the campaign
    targets it, otherwise every field the campaign collects under its default name."""
    # Built once per campaign object (it is immutable): every registration's CRM
    # payload asks for it.
    return _MAPPINGS.get(campaign, _mapping, target)


def _mapping(campaign: Campaign, target: Target) -> tuple[Mapped, ...]:
    crm = campaign.crm
    if crm is not None and crm.target == target and crm.mapping:
        return tuple(Mapped(m.field, m.target) for m in crm.mapping)
    return tuple(Mapped(f, _default(target, f)) for f in collected_fields(campaign))


def collected_fields(campaign: Campaign) -> tuple[CrmField, ...]:
    """Fields a registration of this campaign can carry (152-FZ: collect only these)."""
    personal = set(campaign.personal_data.fields)
    mechanics = campaign.mechanics
    wanted: set[CrmField] = {"channel", "outcome", "prize", "registered_at", "campaign"}
    wanted |= {f for f in ("phone", "name", "email", "birth_date", "city") if f in personal}
    if mechanics.codes is not None:
        wanted.add("code")
    if mechanics.receipts is not None:
        wanted.add("receipt")
    return tuple(f for f in FIELDS if f in wanted)


def configured(campaign: Campaign) -> tuple[CrmMapping, ...]:
    return campaign.crm.mapping if campaign.crm is not None else ()


def value(campaign: Campaign, record: RegistrationRecord, field: CrmField) -> str | None:
    """The text value of ``field`` for ``record``; None when the registration has none."""
    match field:
        case "phone":
            return record.phone
        case "name" | "email" | "city":
            text: str | None = getattr(record, field)
            return text
        case "birth_date":
            return record.birth_date.isoformat() if record.birth_date else None
        case "code":
            if record.code_masked is None:
                return None
            serial = f" (серия {record.code_serial})" if record.code_serial is not None else ""
            return f"{record.code_masked}{serial}"
        case "receipt":
            return str(record.receipt) if record.receipt else None
        case "channel":
            return record.channel
        case "outcome":
            return record.outcome
        case "prize":
            if record.prize is None:
                return None
            prize = campaign.prize(record.prize)
            return prize.name if prize is not None else record.prize
        case "registered_at":
            return record.registered_at.isoformat()
        case "campaign":
            return record.campaign


def summary(campaign: Campaign, record: RegistrationRecord) -> str:
    """One readable line for a CRM comment field."""
    parts = [
        f"Акция «{campaign.campaign.name}»",
        OUTCOME_LABELS[record.outcome],
        f"канал: {CHANNEL_LABELS[record.channel]}",
    ]
    prize = value(campaign, record, "prize")
    if prize:
        parts.append(f"приз: {prize}")
    return "; ".join(parts)
