"""The registration form in a real Chromium against a recording server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.server import Api, serve
from tests.conftest import ROOT

CODE = "7KQ4-M2XD-9FHA"
PHONE = "+7 900 123-45-67"
QR = "t=20270805T1016&s=1250.00&fn=9960440300123456&i=12345&fp=1234567890&n=1"
PHOTO = ROOT / "examples" / "receipt-draw" / "assets" / "hero.png"


@pytest.fixture
def open_form(browser: Any, sites: dict[str, Path]) -> Iterator[Any]:
    """Opens an example's form page; yields (page, api) pairs through a callable."""
    opened: list[Any] = []

    def _open(example: str, *, javascript: bool = True) -> tuple[Any, Api]:
        server = serve(sites[example])
        base, api = server.__enter__()
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        opened.append((server, context))
        page.goto(f"{base}/register.html", wait_until="load")
        return page, api

    yield _open
    for server, context in opened:
        context.close()
        server.__exit__(None, None, None)


def _fill_codes_form(page: Any) -> None:
    page.fill("#f-code", CODE)
    page.fill("#f-phone", PHONE)
    page.check("#f-consent")
    page.check("#f-age_confirmed")


def test_code_form_posts_json_and_shows_the_outcome(open_form: Any) -> None:
    page, api = open_form("bottle-caps")
    api.answer(201, {"message": "Код принят! Вы выиграли купон на бутылку «Бриз»."})
    _fill_codes_form(page)
    page.click("button[type=submit]")
    page.wait_for_selector(".form-status-ok")
    [request] = api.received
    assert request.content_type == "application/json"
    assert request.accept == "application/json"
    assert request.json() == {
        "code": CODE,
        "phone": PHONE,
        "consent": True,
        "age_confirmed": True,
    }
    assert page.inner_text(".form-status") == "Код принят! Вы выиграли купон на бутылку «Бриз»."
    assert page.input_value("#f-code") == ""  # reset for the next code


def test_validation_messages_appear_next_to_their_fields(open_form: Any, artifacts: Path) -> None:
    page, api = open_form("bottle-caps")
    api.answer(422, {"errors": {"code": "Такого кода нет", "phone": "Нужен российский номер"}})
    _fill_codes_form(page)
    page.click("button[type=submit]")
    page.wait_for_selector("#f-phone-error:not([hidden])")
    assert page.inner_text("#f-code-error") == "Такого кода нет"
    assert page.inner_text("#f-phone-error") == "Нужен российский номер"
    assert page.get_attribute("#f-code", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "f-code"
    assert page.input_value("#f-code") == CODE  # kept for correction
    page.screenshot(path=str(artifacts / "bottle-caps-register-errors.png"), full_page=True)
    # Fixed and sent again: the old messages go away.
    api.answer(201, {"message": "Принято"})
    page.click("button[type=submit]")
    page.wait_for_selector(".form-status-ok")
    assert page.is_hidden("#f-phone-error")
    assert page.get_attribute("#f-code", "aria-invalid") is None
    assert len(api.received) == 2


REFUSALS = [
    (409, {}, "Этот код уже зарегистрирован."),
    (409, {"message": "Код уже зарегистрирован 05.08.2027"}, "Код уже зарегистрирован 05.08.2027"),
    (429, {}, "Слишком много попыток. Попробуйте позже."),
    (500, {}, "Не удалось отправить. Попробуйте еще раз или позвоните на горячую линию."),
]


def test_refusals_show_a_message_and_allow_another_try(open_form: Any) -> None:
    page, api = open_form("bottle-caps")
    _fill_codes_form(page)
    for attempt, (status, body, shown) in enumerate(REFUSALS, start=1):
        api.answer(status, body)
        page.click("button[type=submit]")
        # The click resets the status and disables the button; wait for the answer.
        page.wait_for_selector(".form-status-error")
        page.wait_for_selector("button[type=submit]:enabled")
        assert page.inner_text(".form-status") == shown, status
        assert len(api.received) == attempt
        assert page.input_value("#f-code") == CODE  # nothing lost


def test_consent_must_be_ticked_by_the_participant(open_form: Any) -> None:
    page, api = open_form("bottle-caps")
    assert not page.is_checked("#f-consent")
    page.fill("#f-code", CODE)
    page.fill("#f-phone", PHONE)
    page.check("#f-age_confirmed")
    page.click("button[type=submit]")
    page.wait_for_timeout(300)
    assert api.received == []
    assert page.evaluate("document.querySelector('#f-consent').matches(':invalid')")


def test_receipt_qr_string_goes_as_json(open_form: Any) -> None:
    page, api = open_form("receipt-draw")
    page.fill("#f-receipt", QR)
    page.fill("#f-phone", PHONE)
    page.fill("#f-name", "Анна")
    page.fill("#f-email", "anna@example.ru")
    page.check("#f-consent")
    page.check("#f-age_confirmed")
    page.click("button[type=submit]")
    page.wait_for_selector(".form-status-ok")
    [request] = api.received
    assert request.json() == {
        "receipt": QR,
        "phone": PHONE,
        "name": "Анна",
        "email": "anna@example.ru",
        "consent": True,
        "age_confirmed": True,
    }


def test_receipt_photo_goes_as_multipart(open_form: Any) -> None:
    page, api = open_form("receipt-draw")
    page.set_input_files("#f-receipt_photo", str(PHOTO))
    page.fill("#f-phone", PHONE)
    page.fill("#f-name", "Анна")
    page.fill("#f-email", "anna@example.ru")
    page.check("#f-consent")
    page.check("#f-age_confirmed")
    page.click("button[type=submit]")
    page.wait_for_selector(".form-status-ok")
    [request] = api.received
    assert request.content_type.startswith("multipart/form-data; boundary=")
    assert b'name="receipt_photo"; filename="hero.png"' in request.body
    assert PHOTO.read_bytes() in request.body
    assert b'name="consent"\r\n\r\nyes' in request.body


def test_receipt_needs_the_qr_string_or_a_photo(open_form: Any) -> None:
    page, api = open_form("receipt-draw")
    page.fill("#f-phone", PHONE)
    page.fill("#f-name", "Анна")
    page.fill("#f-email", "anna@example.ru")
    page.check("#f-consent")
    page.check("#f-age_confirmed")
    page.click("button[type=submit]")
    page.wait_for_selector("#f-receipt-error:not([hidden])")
    assert page.inner_text("#f-receipt-error") == "Введите данные QR-кода или приложите фото чека."
    assert api.received == []


def test_loyalty_delivery_form_takes_the_address(open_form: Any) -> None:
    page, api = open_form("loyalty-gift")
    page.fill("#f-phone", PHONE)
    page.fill("#f-name", "Ольга")
    page.fill("#f-address", "197101, Санкт-Петербург, Каменноостровский пр., 11, кв. 5")
    page.check("#f-consent")
    page.check("#f-age_confirmed")
    page.click("button[type=submit]")
    page.wait_for_selector(".form-status-ok")
    assert api.received[0].json()["address"].startswith("197101")


def test_without_javascript_the_form_posts_as_a_plain_form(open_form: Any) -> None:
    page, api = open_form("bottle-caps", javascript=False)
    _fill_codes_form(page)
    page.click("button[type=submit]")
    assert api.arrived.wait(5)
    [request] = api.received
    assert request.content_type == "application/x-www-form-urlencoded"
    assert request.body.decode() == (
        "code=7KQ4-M2XD-9FHA&phone=%2B7+900+123-45-67&consent=yes&age_confirmed=yes"
    )


def test_winners_are_filled_in_from_the_api(browser: Any, sites: dict[str, Path]) -> None:
    with serve(sites["bottle-caps"]) as (base, api):
        api.winners = {
            "winners": [
                {"draw": "week-01", "prize": "Электросамокат", "winner": "+7 *** ***-45-67"},
                {"draw": None, "prize": "Термосумка «Бриз»", "winner": "+7 *** ***-11-22"},
            ]
        }
        page = browser.new_page()
        page.goto(f"{base}/winners.html", wait_until="load")
        page.wait_for_selector('[data-draw="week-01"] li')
        assert page.inner_text('[data-draw="week-01"] li') == "Электросамокат — +7 *** ***-45-67"
        assert page.inner_text('[data-draw=""] li') == "Термосумка «Бриз» — +7 *** ***-11-22"
        assert page.is_visible('[data-draw=""]')
        assert page.locator('[data-draw="week-02"] li').count() == 0
        page.close()


def test_winners_page_says_when_the_api_is_down(browser: Any, sites: dict[str, Path]) -> None:
    with serve(sites["receipt-draw"]) as (base, api):
        api.winners_status = 503
        page = browser.new_page()
        page.on("console", lambda m: None)
        page.goto(f"{base}/winners.html", wait_until="load")
        page.wait_for_function("document.querySelector('.winners-status').textContent")
        assert "недоступен" in page.inner_text(".winners-status")
        assert page.is_visible('[data-draw="grand"]')  # the schedule stays
        page.close()
