"""What of a campaign's Yandex stack still exists after a destroy, read from the stack's state.

``down`` without ``--include-protected`` destroys everything but the protected
resources (the MySQL cluster, the archive bucket) and what they stand on (the
network, subnet, security group, the storage key). The stack's state is then
the only handle on them: it is kept, and this module says from it what is
left, so that ``down`` never reports personal data destroyed while the
database that holds it exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PERSONAL_DATA = frozenset({"MdbMysqlCluster"})
"""Resource types that hold participants' personal data (the registrations, the winners)."""


@dataclass(frozen=True)
class Leftover:
    type: str
    """``MdbMysqlCluster``, ``StorageBucket``, ``VpcNetwork`` ..."""
    name: str
    """The name in Yandex Cloud (a bucket's name), else Pulumi's."""

    @property
    def personal_data(self) -> bool:
        return self.type in PERSONAL_DATA

    def describe(self) -> str:
        held = " (holds the participants' personal data)" if self.personal_data else ""
        return f"{self.type} {self.name}{held}"


def leftovers(deployment: Mapping[str, Any]) -> tuple[Leftover, ...]:
    """The cloud resources in a stack's exported state (``pulumi stack export``)."""
    left = []
    for resource in deployment.get("resources") or []:
        kind = str(resource.get("type", ""))
        if not resource.get("custom") or not kind.startswith("yandex:"):
            continue  # components and providers exist only in the state
        outputs = resource.get("outputs") or {}
        logical = str(resource.get("urn", "")).rpartition("::")[2]
        name = outputs.get("bucket") or outputs.get("name") or logical
        left.append(Leftover(kind.rpartition(":")[2], str(name)))
    return tuple(sorted(left, key=lambda item: (not item.personal_data, item.type, item.name)))
