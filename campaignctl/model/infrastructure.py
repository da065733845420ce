"""Where the campaign runs: this machine, or Yandex Cloud."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class LocalTarget:
    host: str = "127.0.0.1"
    port: int = 8080


@dataclass(frozen=True)
class YandexTarget:
    cloud_id: str
    folder_id: str
    zone: Literal["ru-central1-a", "ru-central1-b", "ru-central1-d"] = "ru-central1-a"
    domain: str | None = None
    owner: str | None = None
    cost_center: str | None = None
    expected_requests_per_day: int | None = None
    operators: tuple[str, ...] = ()
    """IAM members (``userAccount:ID`` ...) with access to the private buckets."""


@dataclass(frozen=True)
class Infrastructure:
    target: Literal["local", "yandex"] = "local"
    local: LocalTarget = LocalTarget()
    yandex: YandexTarget | None = None
