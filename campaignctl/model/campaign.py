"""The root of the typed campaign model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from campaignctl.model.channels import Channels, Crm
from campaignctl.model.codes import CodesSpec
from campaignctl.model.infrastructure import Infrastructure
from campaignctl.model.mechanics import Mechanics
from campaignctl.model.parties import Identity, LegalEntity
from campaignctl.model.period import Audience, Period, Territory
from campaignctl.model.policy import AntiFraud, Budget, PersonalData, Rules
from campaignctl.model.prizes import Draw, Prize


@dataclass(frozen=True)
class Campaign:
    """A validated campaign. Built only by :func:`campaignctl.spec.load_campaign`."""

    spec_version: int
    campaign: Identity
    organizer: LegalEntity
    period: Period
    territory: Territory
    audience: Audience
    mechanics: Mechanics
    prizes: tuple[Prize, ...]
    rules: Rules
    personal_data: PersonalData
    operator: LegalEntity | None = None
    draws: tuple[Draw, ...] = ()
    codes: CodesSpec | None = None
    channels: Channels = Channels()
    crm: Crm | None = None
    anti_fraud: AntiFraud = AntiFraud()
    budget: Budget = Budget()
    infrastructure: Infrastructure = Infrastructure()
    source: Path = field(default=Path("campaign.yaml"), compare=False)
    """The campaign.yaml this model was loaded from."""

    @property
    def slug(self) -> str:
        return self.campaign.slug

    @property
    def folder(self) -> Path:
        """The campaign folder: assets, state and build output live under it."""
        return self.source.parent

    def asset(self, name: str) -> Path | None:
        """The file ``name`` relative to the campaign folder, if it stays inside it.

        None for paths that lead outside the folder or that the OS cannot
        represent (an embedded NUL byte); whether the file exists is the
        caller's question.
        """
        folder = self.folder.resolve()
        try:
            path = (folder / name).resolve()
        except (OSError, ValueError):
            return None
        return path if path.is_relative_to(folder) else None

    def prize(self, prize_id: str) -> Prize | None:
        return next((p for p in self.prizes if p.id == prize_id), None)
