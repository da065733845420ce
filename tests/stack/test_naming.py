"""Resource names fit Yandex limits; labels carry slug, owner and cost centre."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from campaignctl.errors import UserError
from campaignctl.model.infrastructure import Infrastructure, YandexTarget
from campaignctl.spec.schema import is_slug
from campaignctl.stack.yandex.naming import Naming, naming
from campaignctl.stack.yandex.offline import run_offline
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


# Yandex Cloud's documented name rules, per resource type: most names are
# [a-z]([-a-z0-9]{0,61}[a-z0-9])?; bucket names are 3-63 of [a-z0-9.-], starting
# and ending with a letter or digit; Message Queue names up to 80 of [a-zA-Z0-9_-].
_RESOURCE_NAME = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?")
_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_QUEUE_NAME = re.compile(r"[a-zA-Z0-9_-]{1,80}")
_SHORTEST = "a1b"
_LONGEST = "z" + "9" * 61 + "x"


@pytest.mark.parametrize("slug", [_SHORTEST, _LONGEST, "promo-2027"])
def test_every_resource_name_is_one_yandex_accepts(slug: str, tmp_path: Path) -> None:
    assert is_slug(slug)
    campaign = dataclasses.replace(
        example(MAIN), campaign=dataclasses.replace(example(MAIN).campaign, slug=slug)
    )
    stack = run_offline(campaign, tmp_path)
    checked = 0
    for resource in stack.cloud_resources:
        if resource.short_type == "yandex:StorageBucket":
            name, rule = resource.inputs["bucket"], _BUCKET_NAME
        elif resource.short_type == "yandex:MessageQueue":
            name, rule = resource.inputs["name"], _QUEUE_NAME
        elif "name" in resource.inputs:
            name, rule = resource.inputs["name"], _RESOURCE_NAME
        else:
            continue
        assert rule.fullmatch(name), (resource.short_type, name)
        checked += 1
    assert checked >= 30


@pytest.mark.parametrize("slug", ["2027-promo", "promo-", "ab", "Promo-2027", "a" * 64])
def test_slugs_yandex_would_refuse_are_not_slugs(slug: str) -> None:
    assert not is_slug(slug)
