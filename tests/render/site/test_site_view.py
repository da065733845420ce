"""Facts the site derives from the model: code shape, draw times, links, policy."""

from __future__ import annotations

from campaignctl.render import site_view
from campaignctl.spec.validate import load_campaign
from tests.render.site.examples import campaign_file


def test_code_format_follows_the_codes_spec() -> None:
    fmt = site_view.code_format(load_campaign(campaign_file("bottle-caps")))
    assert fmt is not None
    assert (fmt.characters, fmt.mask, fmt.kind) == (12, "XXXX-XXXX-XXXX", "mixed")


def test_draws_are_sorted_and_shown_in_the_campaign_time_zone() -> None:
    draws = site_view.draw_views(load_campaign(campaign_file("receipt-draw")))
    assert [d.id for d in draws] == ["august", "september", "october", "grand"]
    assert draws[-1].at.isoformat() == "2027-11-05T15:00:00+07:00"
    assert draws[-1].utc_offset == "UTC+7"
    assert (draws[0].prizes[0].name, draws[0].prizes[0].quantity) == ("Телевизор 55″ 4K", 1)


def test_form_fields_follow_mechanics_and_personal_data() -> None:
    forms = {
        name: site_view.form_view(load_campaign(campaign_file(name)), "")
        for name in ("bottle-caps", "receipt-draw", "loyalty-gift")
    }
    assert {k: (f.fields, f.multipart) for k, f in forms.items() if f} == {
        "bottle-caps": (("code", "phone"), False),
        "receipt-draw": (("receipt", "receipt_photo", "phone", "name", "email"), True),
        "loyalty-gift": (("phone", "name", "address"), False),
    }


def test_links_and_policy() -> None:
    assert site_view.tel_href("8-800-350-27-27") == "tel:88003502727"
    assert site_view.tel_href("+7 495 780-27-27") == "tel:+74957802727"
    contacts = site_view.contacts(load_campaign(campaign_file("receipt-draw")))
    assert contacts.chatbot_href == "https://t.me/berezka_udacha_bot"
    assert site_view.origin("https://api.example.ru/v1") == "https://api.example.ru"
    assert site_view.origin("/api") is None
    policy = site_view.content_security_policy("https://api.example.ru")
    assert "connect-src 'self' https://api.example.ru;" in policy
    assert "frame-ancestors" not in policy  # ignored (and logged) in a <meta> policy
