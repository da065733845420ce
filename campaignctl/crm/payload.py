"""Turn one registration into the request a CRM target expects.

- webhook: ``POST <url>`` with ``{"event", "meta", "fields"}``, signed (see signing).
- Bitrix24: ``POST <portal webhook url>/crm.lead.add.json`` (or ``crm.contact.add``)
  with ``{"fields": {...}, "params": {"REGISTER_SONET_EVENT": "N"}}``.
- amoCRM (API v4): ``POST /api/v4/leads/complex`` (a lead with its contact) or
  ``/api/v4/contacts``; custom fields as ``custom_fields_values`` by ``field_id``.
- CSV: one row per registration, the columns of :func:`csv_header`.
"""

from __future__ import annotations

from typing import TypedDict

from campaignctl.crm.fields import (
    AMO_CONTACT_CODES,
    BITRIX_MULTI,
    Mapped,
    Target,
    mapping_for,
    summary,
    value,
)
from campaignctl.crm.record import RegistrationRecord
from campaignctl.model import Campaign

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]

# Bitrix24 SOURCE_ID values (crm.status.list ENTITY_ID=SOURCE).
_BITRIX_SOURCE = {"site": "WEBFORM", "hotline": "CALL"}


class CrmRequest(TypedDict):
    """What the sync worker sends: ``method`` to ``crm.url`` + ``path`` with the JSON ``body``."""

    target: Target
    method: str
    path: str
    body: JsonValue


def target_of(campaign: Campaign) -> Target:
    crm = campaign.crm
    if crm is None or crm.target == "none":
        raise ValueError(f"campaign {campaign.slug} sends registrations to no CRM")
    return crm.target


def build_payload(
    campaign: Campaign, record: RegistrationRecord, target: Target | None = None
) -> CrmRequest:
    """The request for ``record`` to the campaign's CRM (or to ``target``)."""
    target = target or target_of(campaign)
    mapping = mapping_for(campaign, target)
    entity = campaign.crm.entity if campaign.crm is not None else "lead"
    match target:
        case "webhook":
            return CrmRequest(
                target=target, method="POST", path="", body=_webhook(campaign, record, mapping)
            )
        case "bitrix24":
            return CrmRequest(
                target=target,
                method="POST",
                path=f"/crm.{entity}.add.json",
                body=_bitrix(campaign, record, mapping, entity),
            )
        case "amocrm":
            path = "/api/v4/leads/complex" if entity == "lead" else "/api/v4/contacts"
            return CrmRequest(
                target=target,
                method="POST",
                path=path,
                body=_amo(campaign, record, mapping, entity),
            )
        case "csv":
            return CrmRequest(
                target=target,
                method="APPEND",
                path="",
                body=dict(zip(csv_header(campaign), csv_row(campaign, record), strict=True)),
            )


def _webhook(
    campaign: Campaign, record: RegistrationRecord, mapping: tuple[Mapped, ...]
) -> JsonValue:
    fields: dict[str, JsonValue] = {
        str(m.target): value(campaign, record, m.field) for m in mapping if m.target is not None
    }
    return {
        "event": "registration",
        "meta": {
            "id": record.id,
            "campaign": record.campaign,
            "outcome": record.outcome,
            "prize_id": record.prize,
            "code_serial": record.code_serial,
        },
        "fields": fields,
    }


def _bitrix(
    campaign: Campaign, record: RegistrationRecord, mapping: tuple[Mapped, ...], entity: str
) -> JsonValue:
    fields: dict[str, JsonValue] = {}
    if entity == "lead":
        fields["TITLE"] = f"{campaign.campaign.name}: {record.id}"
    fields["SOURCE_ID"] = _BITRIX_SOURCE.get(record.channel, "OTHER")
    fields["SOURCE_DESCRIPTION"] = f"Акция {campaign.slug}, канал {record.channel}"
    # ORIGINATOR_ID + ORIGIN_ID let Bitrix24 find the record again on a retry.
    fields["ORIGINATOR_ID"] = "campaignctl"
    fields["ORIGIN_ID"] = record.id
    fields["COMMENTS"] = summary(campaign, record)
    for m in mapping:
        text = value(campaign, record, m.field)
        if m.target is None or text is None:
            continue
        key = str(m.target)
        if key in BITRIX_MULTI:
            fields[key] = [{"VALUE": text, "VALUE_TYPE": BITRIX_MULTI[key]}]
        else:
            fields[key] = text
    return {"fields": fields, "params": {"REGISTER_SONET_EVENT": "N"}}


def _amo_value(campaign: Campaign, record: RegistrationRecord, m: Mapped) -> JsonValue:
    if m.field == "registered_at":
        # amoCRM date_time custom fields take Unix time.
        return int(record.registered_at.timestamp())
    return value(campaign, record, m.field)


def _amo(
    campaign: Campaign, record: RegistrationRecord, mapping: tuple[Mapped, ...], entity: str
) -> JsonValue:
    custom: list[JsonValue] = []
    contact_fields: list[JsonValue] = []
    contact_name: str | None = None
    for m in mapping:
        if m.target is None:
            continue
        item = _amo_value(campaign, record, m)
        if item is None:
            continue
        if m.target == "name":
            contact_name = str(item)
        elif isinstance(m.target, str) and m.target in AMO_CONTACT_CODES:
            contact_fields.append(
                {
                    "field_code": m.target,
                    "values": [{"value": item, "enum_code": AMO_CONTACT_CODES[m.target]}],
                }
            )
        else:
            custom.append({"field_id": int(m.target), "values": [{"value": item}]})
    contact: dict[str, JsonValue] = {
        "name": contact_name or record.phone,
        "custom_fields_values": contact_fields,
    }
    tags: JsonValue = [{"name": campaign.slug}]
    if entity == "contact":
        contact["custom_fields_values"] = contact_fields + custom
        contact["_embedded"] = {"tags": tags}
        return [contact]
    lead: dict[str, JsonValue] = {"name": f"{campaign.campaign.name}: {record.id}"}
    if campaign.crm is not None and campaign.crm.pipeline_id is not None:
        lead["pipeline_id"] = campaign.crm.pipeline_id
    lead["custom_fields_values"] = custom
    lead["_embedded"] = {"contacts": [contact], "tags": tags}
    return [lead]


def csv_header(campaign: Campaign) -> list[str]:
    """Columns of the CSV export: the spec's names when it targets csv, else the field names."""
    return [str(m.target) for m in mapping_for(campaign, "csv") if m.target is not None]


def csv_row(campaign: Campaign, record: RegistrationRecord) -> list[str]:
    """One CSV row for ``record``, matching :func:`csv_header`; empty cells for missing values."""
    return [
        value(campaign, record, m.field) or ""
        for m in mapping_for(campaign, "csv")
        if m.target is not None
    ]
