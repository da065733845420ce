"""The site's loyalty form asks for delivery through POST /api/v1/registrations of the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from campaignctl.loyalty.book import LoyaltyBook, book_for
from campaignctl.loyalty.delivery import delivery_details
from campaignctl.loyalty.importer import import_purchases
from campaignctl.loyalty.selection import select_members
from campaignctl.loyalty.vouchers import hand_over, issue_vouchers
from campaignctl.model.campaign import Campaign
from campaignctl.runtime.app import build_context, create_app, default_settings
from campaignctl.store.runtime_tables import loyalty_vouchers
from tests.loyalty.conftest import AFTER_WINDOW, Plan, card, fixed_clock, phone, write_export

PLAN = Plan(members=24)


@pytest.fixture
def app_book(gift: Campaign, tmp_path: Path) -> Iterator[tuple[TestClient, LoyaltyBook]]:
    ctx = build_context(gift, settings=default_settings(gift), clock=fixed_clock(AFTER_WINDOW))
    book = book_for(ctx)
    import_purchases(book, write_export(tmp_path / "p.csv", list(PLAN.rows())))
    select_members(book)
    issue_vouchers(book, notify=False)
    with TestClient(create_app(gift, context=ctx)) as client:
        yield client, book
    ctx.engine.dispose()


def _form(k: int, **extra: object) -> dict[str, object]:
    return {
        "phone": phone(k),
        "name": "Анна",
        "address": "197101, Санкт-Петербург, Каменноостровский пр-кт, д. 11, кв. 5",
        "consent": True,
        "age_confirmed": True,
        **extra,
    }


def test_a_member_with_a_voucher_asks_for_delivery_once(
    app_book: tuple[TestClient, LoyaltyBook],
) -> None:
    client, book = app_book
    k = PLAN.qualified[0]
    first = client.post("/api/v1/registrations", json=_form(k))
    assert first.status_code == 201, first.text
    assert first.json()["prize"]["id"] == "thermo-mug"
    again = client.post("/api/v1/registrations", json=_form(k))
    assert again.status_code == 409
    assert again.json()["message"] == "Заявка с этим номером телефона уже принята."
    with book.engine.connect() as conn:
        sealed = conn.execute(
            select(loyalty_vouchers.c.delivery_sealed).where(
                loyalty_vouchers.c.delivery_requested_at.is_not(None)
            )
        ).scalar_one()
    assert delivery_details(book, sealed)["address"].startswith("197101")
    raw = book.engine.url.database
    assert raw is not None and "Каменноостровский".encode() not in Path(raw).read_bytes()


def test_unknown_phones_and_missing_fields_are_field_errors(
    app_book: tuple[TestClient, LoyaltyBook],
) -> None:
    client, _book = app_book
    not_selected = next(k for k in range(PLAN.members) if not PLAN.qualifies(k))
    answer = client.post("/api/v1/registrations", json=_form(not_selected))
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"phone"}
    missing = client.post("/api/v1/registrations", json={"phone": "12", "consent": False})
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) == {"phone", "name", "address", "consent", "age_confirmed"}


def test_a_plain_form_post_gets_a_page(app_book: tuple[TestClient, LoyaltyBook]) -> None:
    client, _book = app_book
    k = PLAN.qualified[1]
    form = {**_form(k), "consent": "yes", "age_confirmed": "on"}
    answer = client.post("/api/v1/registrations", data=form)
    assert answer.status_code == 201
    assert answer.headers["content-type"].startswith("text/html")
    assert "Заявка принята" in answer.text


def test_a_handed_over_gift_cannot_be_delivered(app_book: tuple[TestClient, LoyaltyBook]) -> None:
    client, book = app_book
    k = PLAN.qualified[2]
    hand_over(book, card=card(k))
    answer = client.post("/api/v1/registrations", json=_form(k))
    assert answer.status_code == 409
    assert answer.json()["message"] == "Подарок по этому номеру уже получен."
