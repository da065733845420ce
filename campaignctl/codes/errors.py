"""User errors of the codes commands; all derive from :class:`~campaignctl.errors.UserError`."""

from __future__ import annotations

from campaignctl.errors import UserError


class CodesError(UserError):
    """A codes operation the user asked for cannot be done as asked."""


class KeyMissing(CodesError):
    """Codes exist but the key that makes and checks them is gone."""


class KeyInvalid(CodesError):
    """The key file exists but does not hold a key."""


class CountInvalid(CodesError):
    """A batch count that is negative, zero, or beyond what the code space allows."""


class BatchExists(CodesError):
    """A batch of that name was already generated or imported."""


class UnknownBatch(CodesError):
    """No batch of that name."""


class FileInvalid(CodesError):
    """A misprint list or an import file with lines that cannot be used."""

    def __init__(self, message: str, problems: list[tuple[int, str]], **kwargs: object) -> None:
        shown = "\n".join(f"  line {line}: {what}" for line, what in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{message}\n{shown}{more}", **kwargs)  # type: ignore[arg-type]
        self.problems = problems


class SchemeMismatch(CodesError):
    """A keyed-codes operation on an imported campaign, or the other way round."""
