"""The codes of one campaign: key, codec and state database together.

This is the library API the CLI, the runtime and the cloud functions share:
:meth:`CodeLedger.validate`, :meth:`CodeLedger.redeem`, :meth:`CodeLedger.batch_state`.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from campaignctl.codes.book import CodeBook, Verdict
from campaignctl.codes.codec import KeyedCodec
from campaignctl.codes.errors import CodesError, KeyMissing, UnknownBatch
from campaignctl.codes.imported import normalise_imported
from campaignctl.codes.keys import create_key, hash_key, key_path, load_key, permutation_key
from campaignctl.model.campaign import Campaign
from campaignctl.model.codes import CodesSpec
from campaignctl.state import database_url
from campaignctl.store import BatchRow, CodeStore, open_engine, upgrade


class CodeLedger:
    def __init__(self, folder: Path, spec: CodesSpec, store: CodeStore) -> None:
        self.folder = folder
        self.spec = spec
        self.store = store
        self._key: bytes | None = None
        self._codec: KeyedCodec | None = None
        self._book: CodeBook | None = None

    @classmethod
    def open(cls, folder: Path, spec: CodesSpec, url: str | None = None) -> CodeLedger:
        """The ledger of the campaign in ``folder``; the database is migrated to the newest schema."""
        engine = open_engine(url or database_url(folder))
        upgrade(engine)
        return cls(folder, spec, CodeStore(engine))

    def close(self) -> None:
        self.store.engine.dispose()

    # -- key ------------------------------------------------------------------------

    def key(self, *, create: bool = False) -> bytes:
        """The campaign key. Created only when asked and no code exists yet."""
        if self._key is None:
            if key_path(self.folder).exists():
                self._key = load_key(self.folder)
            elif self.store.batches():
                self._key = load_key(self.folder)  # raises KeyMissing with the hint
            elif create:
                self._key = create_key(self.folder)
            else:
                raise KeyMissing(
                    "no codes have been generated or imported for this campaign yet",
                    hint="run `campaignctl codes generate` or `campaignctl codes import` first",
                    path=key_path(self.folder),
                )
        return self._key

    @property
    def codec(self) -> KeyedCodec:
        if self._codec is None:
            self._codec = KeyedCodec.for_spec(permutation_key(self.key()), self.spec)
        return self._codec

    def digest(self, code: str) -> bytes:
        """Keyed hash of an imported code (normalised first)."""
        return hmac.new(hash_key(self.key()), code.encode("utf-8"), hashlib.sha256).digest()

    # -- state --------------------------------------------------------------------

    @property
    def book(self) -> CodeBook:
        return self._book if self._book is not None else self.refresh()

    def refresh(self) -> CodeBook:
        """Reload batches and voided ranges (after a void, or periodically in a server)."""
        self._book = CodeBook(self.store.batches(), self.store.voids())
        return self._book

    def batch(self, name: str) -> BatchRow:
        batch = self.store.batch(name)
        if batch is None:
            known = ", ".join(b.name for b in self.store.batches()) or "none yet"
            raise UnknownBatch(f"no batch named {name!r}", hint=f"batches: {known}")
        return batch

    def batch_state(self, name: str) -> str:
        return self.batch(name).state

    # -- validation -------------------------------------------------------------------

    def validate(self, text: str) -> Verdict:
        """Is ``text`` an issued, not voided code? Redemptions are not consulted."""
        if self.spec.scheme == "imported":
            code = normalise_imported(text)
            if not code:
                return Verdict(code, "malformed")
            serial = self.store.serial_of_digest(self.digest(code))
            if serial is None:
                return Verdict(code, "not_a_code")
            return self.book.judge(code, serial)
        decoded = self.codec.decode(text)
        if decoded.serial is None:
            return Verdict(decoded.text, decoded.failure)
        return self.book.judge(decoded.text, decoded.serial)

    def check(self, text: str) -> Verdict:
        """:meth:`validate`, then whether the code was redeemed already."""
        verdict = self.validate(text)
        if verdict.ok and verdict.serial is not None and self.store.is_redeemed(verdict.serial):
            return Verdict(verdict.code, "redeemed", verdict.serial, verdict.batch, verdict.state)
        return verdict

    def redeem(self, text: str, channel: str | None = None) -> Verdict:
        """Validate and redeem ``text`` at most once, whatever runs concurrently."""
        verdict = self.validate(text)
        if not verdict.ok or verdict.serial is None or verdict.batch is None:
            return verdict
        batch = self.book.find(verdict.serial)
        if batch is None:  # pragma: no cover - validate found it a moment ago
            raise CodesError("batch disappeared during redemption")
        if self.store.redeem(verdict.serial, batch.id, channel):
            return verdict
        # Lost the race, redeemed before, or voided since the book was loaded.
        if self.store.is_redeemed(verdict.serial):
            return Verdict(verdict.code, "redeemed", verdict.serial, verdict.batch, verdict.state)
        return Verdict(verdict.code, "voided", verdict.serial, verdict.batch, verdict.state)


def open_ledger(campaign: Campaign, url: str | None = None) -> CodeLedger:
    """The code ledger of a loaded campaign; :class:`CodesError` if it has no codes section."""
    if campaign.codes is None:
        raise CodesError(
            "this campaign has no codes section",
            hint="add codes: {count: ..., length: ...}",
            path=campaign.source,
        )
    return CodeLedger.open(campaign.folder, campaign.codes, url)
