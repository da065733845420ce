"""Payloads for each CRM target follow the campaign's crm.mapping."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from campaignctl.crm import ReceiptIds, RegistrationRecord, build_payload, csv_header, csv_row
from campaignctl.crm.document import mapping_document
from campaignctl.model import Campaign
from campaignctl.spec import load_campaign
from tests.conftest import ROOT

MSK = timezone(timedelta(hours=3))


def _load(name: str) -> Campaign:
    return load_campaign(ROOT / "examples" / name / "campaign.yaml")


def _record(campaign: Campaign, **changes: object) -> RegistrationRecord:
    base: dict[str, object] = {
        "id": "r-000123",
        "campaign": campaign.slug,
        "registered_at": datetime(2027, 6, 8, 14, 30, tzinfo=MSK),
        "channel": "sms",
        "phone": "+79161234567",
        "outcome": "instant_win",
        "code_serial": 1234567,
        "code_masked": "7KQ4-****-9FHA",
        "prize": "speaker",
    }
    base.update(changes)
    return RegistrationRecord(**base)  # type: ignore[arg-type]


def test_amocrm_lead_with_custom_fields_by_id() -> None:
    campaign = _load("bottle-caps")
    request = build_payload(campaign, _record(campaign))
    assert (request["target"], request["method"], request["path"]) == (
        "amocrm",
        "POST",
        "/api/v4/leads/complex",
    )
    [lead] = request["body"]  # type: ignore[misc]
    assert lead["pipeline_id"] == 8123456
    custom = {f["field_id"]: f["values"][0]["value"] for f in lead["custom_fields_values"]}
    assert custom == {
        1180231: "7KQ4-****-9FHA (серия 1234567)",
        1180233: "sms",
        1180235: "instant_win",
        1180237: "Портативная колонка с логотипом «Бриз»",
        1180239: int(datetime(2027, 6, 8, 11, 30, tzinfo=UTC).timestamp()),
        1180241: "briz-caps-summer-2027",
    }
    [contact] = lead["_embedded"]["contacts"]
    assert contact["custom_fields_values"] == [
        {"field_code": "PHONE", "values": [{"value": "+79161234567", "enum_code": "MOB"}]}
    ]
    assert lead["_embedded"]["tags"] == [{"name": "briz-caps-summer-2027"}]


def test_bitrix24_contact_multi_fields_and_user_fields() -> None:
    campaign = _load("loyalty-gift")
    record = _record(
        campaign,
        channel="loyalty",
        outcome="selected",
        prize="thermo-mug",
        name="Анна",
        code_serial=None,
        code_masked=None,
    )
    request = build_payload(campaign, record)
    assert request["path"] == "/crm.contact.add.json"
    fields = request["body"]["fields"]  # type: ignore[index,call-overload]
    assert "TITLE" not in fields  # contacts have no title
    assert fields["PHONE"] == [{"VALUE": "+79161234567", "VALUE_TYPE": "MOBILE"}]
    assert fields["NAME"] == "Анна"
    assert fields["UF_CRM_PROMO_STATUS"] == "selected"
    assert fields["UF_CRM_PROMO_PRIZE"] == "Фирменная термокружка «Зерно» 350 мл"
    assert fields["UF_CRM_PROMO_SELECTED_AT"] == "2027-06-08T14:30:00+03:00"
    assert fields["ORIGIN_ID"] == "r-000123"
    assert fields["SOURCE_ID"] == "OTHER"
    assert "Выполнил условия" in fields["COMMENTS"]


def test_webhook_uses_the_spec_names() -> None:
    campaign = _load("receipt-draw")
    record = _record(
        campaign,
        channel="site",
        outcome="receipt_accepted",
        prize="coupon-200",
        receipt=ReceiptIds("9287440300090728", "77133", "1482926127"),
        email="a@example.ru",
        code_serial=None,
        code_masked=None,
        birth_date=date(1990, 5, 17),
    )
    body = build_payload(campaign, record)["body"]
    assert body["meta"] == {  # type: ignore[index,call-overload]
        "id": "r-000123",
        "campaign": campaign.slug,
        "outcome": "receipt_accepted",
        "prize_id": "coupon-200",
        "code_serial": None,
    }
    fields = body["fields"]  # type: ignore[index,call-overload]
    assert fields["receipt_qr"] == "fn=9287440300090728&i=77133&fp=1482926127"
    assert fields["source"] == "site"
    assert fields["full_name"] is None
    assert set(fields) == {m.target for m in campaign.crm.mapping}  # type: ignore[union-attr]


def test_csv_row_matches_the_header() -> None:
    campaign = _load("bottle-caps")
    header, row = csv_header(campaign), csv_row(campaign, _record(campaign))
    assert header == ["phone", "code", "channel", "outcome", "prize", "registered_at", "campaign"]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([header, row])
    parsed = list(csv.DictReader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert parsed[0]["code"] == "7KQ4-****-9FHA (серия 1234567)"
    request = build_payload(campaign, _record(campaign), target="csv")
    assert request["body"] == dict(zip(header, row, strict=True))


def test_codes_never_travel_in_full() -> None:
    campaign = _load("bottle-caps")
    for target in ("webhook", "bitrix24", "amocrm", "csv"):
        text = repr(build_payload(campaign, _record(campaign), target=target))  # type: ignore[arg-type]
        assert "7KQ4-****-9FHA" in text


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        RegistrationRecord("r", "s", datetime(2027, 1, 1), "site", "+7", "draw_entry")


def test_no_crm_target() -> None:
    campaign = _load("bottle-caps")
    with pytest.raises(ValueError, match="no CRM"):
        build_payload(replace(campaign, crm=None), _record(campaign))


def test_mapping_document_lists_every_target(tmp_path: Path) -> None:
    campaign = _load("bottle-caps")
    doc = mapping_document(campaign)
    assert doc["configured"]["target"] == "amocrm"  # type: ignore[index]
    targets = doc["targets"]
    assert set(targets) == {"webhook", "bitrix24", "amocrm", "csv"}  # type: ignore[arg-type]
    amo = targets["amocrm"]["fields"]  # type: ignore[index]
    assert [(f["field"], f["target"]) for f in amo] == [
        (m.field, m.target) for m in campaign.crm.mapping
    ]  # type: ignore[union-attr]
