"""The codes of one campaign: key, codec and state database together.

This is the library API the CLI, the runtime and the cloud functions share:
:meth:`CodeLedger.validate`, :meth:`CodeLedger.redeem`, :meth:`CodeLedger.batch_state`.
"""

from __future__ import annotations

import hmac
import time
from pathlib import Path

from campaignctl.codes.book import CodeBook, Verdict
from campaignctl.codes.codec import KeyedCodec
from campaignctl.codes.errors import CodesError, KeyMissing, UnknownBatch
from campaignctl.codes.imported import normalise_imported
from campaignctl.codes.keys import (
    KeyRing,
    create_keys,
    hash_key,
    key_path,
    load_keys,
    permutation_key,
    rotate_keys,
)
from campaignctl.model.campaign import Campaign
from campaignctl.model.codes import CodesSpec
from campaignctl.state import database_url
from campaignctl.store import BatchRow, CodeStore, open_engine, upgrade


class CodeLedger:
    book_ttl = 5.0
    """Seconds a loaded batch book is trusted before :meth:`validate` reloads it, so a
    long-running server sees batches generated and voided by other processes."""

    def __init__(self, folder: Path, spec: CodesSpec, store: CodeStore) -> None:
        self.folder = folder
        self.spec = spec
        self.store = store
        self._keys: KeyRing | None = None
        self._codecs: dict[int, KeyedCodec] = {}
        self._hash_keys: dict[int, bytes] = {}
        self._book: CodeBook | None = None
        self._book_loaded = 0.0

    @classmethod
    def open(cls, folder: Path, spec: CodesSpec, url: str | None = None) -> CodeLedger:
        """The ledger of the campaign in ``folder``; the database is migrated to the newest schema."""
        engine = open_engine(url or database_url(folder))
        upgrade(engine)
        return cls(folder, spec, CodeStore(engine))

    def close(self) -> None:
        self.store.engine.dispose()

    # -- keys -----------------------------------------------------------------------

    def key_ring(self, *, create: bool = False) -> KeyRing:
        """The campaign's key ring. Created only when asked and no code exists yet."""
        if self._keys is None:
            if key_path(self.folder).exists():
                self._keys = load_keys(self.folder)
            elif self.store.batches():
                self._keys = load_keys(self.folder)  # raises KeyMissing with the hint
            elif create:
                self._keys = create_keys(self.folder)
            else:
                raise KeyMissing(
                    "no codes have been generated or imported for this campaign yet",
                    hint="run `campaignctl codes generate` or `campaignctl codes import` first",
                    path=key_path(self.folder),
                )
        return self._keys

    @property
    def key_version(self) -> int:
        """The version new batches are made with: the newest."""
        return max(self.key_ring())

    def rotate_key(self) -> int:
        """Add a key version for future batches (docs/codes.md, 'Rotating the key')."""
        self.key_ring()  # the file must exist (KeyMissing otherwise)
        version = rotate_keys(self.folder)
        self._keys = None
        self._codecs.clear()
        self._hash_keys.clear()
        return version

    def codec_for(self, version: int) -> KeyedCodec:
        codec = self._codecs.get(version)
        if codec is None:
            keys = self.key_ring()
            if version not in keys:
                raise KeyMissing(
                    f"key version {version} is not in the codes key file",
                    hint="restore the key file from the backup made after that version was added",
                    path=key_path(self.folder),
                )
            codec = KeyedCodec.for_spec(permutation_key(keys[version]), self.spec)
            self._codecs[version] = codec
        return codec

    @property
    def codec(self) -> KeyedCodec:
        """The codec of the newest key version."""
        return self.codec_for(self.key_version)

    def digest(self, code: str, version: int | None = None) -> bytes:
        """Keyed hash of an imported code (already normalised)."""
        v = version if version is not None else self.key_version
        key = self._hash_keys.get(v)
        if key is None:
            key = self._hash_keys[v] = hash_key(self.key_ring()[v])
        return hmac.digest(key, code.encode("utf-8"), "sha256")

    # -- state --------------------------------------------------------------------

    @property
    def book(self) -> CodeBook:
        book = self._book
        if book is None or time.monotonic() - self._book_loaded > self.book_ttl:
            return self.refresh()
        return book

    def refresh(self) -> CodeBook:
        """Reload batches and voided ranges now."""
        self._book = CodeBook(self.store.batches(), self.store.voids())
        self._book_loaded = time.monotonic()
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
        book = self.book
        versions = book.key_versions or [self.key_version]
        if self.spec.scheme == "imported":
            code = normalise_imported(text)
            if not code:
                return Verdict(code, "malformed")
            for version in versions:
                serial = self.store.serial_of_digest(self.digest(code, version))
                if serial is not None:
                    return book.judge(code, serial, version)
            return Verdict(code, "not_a_code")
        # After a rotation a string is tried under each key version in use, newest
        # first; it is a code only if it decrypts to a serial of a batch of that version.
        for version in versions:
            decoded = self.codec_for(version).decode(text)
            if decoded.serial is None:  # malformed or typo: the same under every key
                return Verdict(decoded.text, decoded.failure)
            verdict = book.judge(decoded.text, decoded.serial, version)
            if verdict.reason != "not_a_code" or version == versions[-1]:
                return verdict
        return Verdict(text, "not_a_code")  # not reached: versions is never empty

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
