"""What can go wrong with a draw, as user errors with exit code 1."""

from __future__ import annotations

from campaignctl.errors import UserError


class DrawError(UserError):
    """Base of draw errors."""


class EntriesInvalid(DrawError):
    """A published entries file is not in the canonical form."""


class NoEligibleEntries(DrawError):
    """A round has nothing to draw from."""


class RoundAlreadyDrawn(DrawError):
    """A round was drawn before; drawing again would let someone pick a better result."""


class ProtocolInvalid(DrawError):
    """A protocol file cannot be read."""


class VerificationFailed(DrawError):
    """A protocol does not match its commitment, its entries or its own re-run."""
