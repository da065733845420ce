"""Resource names fit Yandex limits; labels carry slug, owner and cost centre."""

from __future__ import annotations

import dataclasses

import pytest

from campaignctl.errors import UserError
from campaignctl.model.infrastructure import Infrastructure, YandexTarget
from campaignctl.stack.yandex.naming import Naming, naming
from tests.stack.conftest import MAIN, example

TARGET = YandexTarget(cloud_id="b1gabcdefghijklmnopq", folder_id="b1gqrstuvwxyzabcdefg")


def test_names_are_cut_to_the_limit() -> None:
    n = Naming("a" * 63, TARGET)
    name = n.name("timer-draw-september")
    assert len(name) == 63
    assert name.endswith("-timer-draw-september")
    assert n.bucket("print-files").endswith("-print-files-bcdefg")


def test_labels_follow_the_spec() -> None:
    assert naming(example(MAIN)).labels == {
        "campaign": "berezka-receipts-autumn-2027",
        "managed-by": "campaignctl",
        "owner": "promolab",
        "cost-center": "berezka-autumn-2027",
    }
    assert Naming("x-campaign", TARGET).labels == {
        "campaign": "x-campaign",
        "managed-by": "campaignctl",
    }


def test_a_campaign_without_a_yandex_section_is_a_user_error() -> None:
    local = dataclasses.replace(example(MAIN), infrastructure=Infrastructure())
    with pytest.raises(UserError, match=r"infrastructure\.yandex is missing"):
        naming(local)
