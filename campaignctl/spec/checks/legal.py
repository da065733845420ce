"""Legal duties: 38-FZ art. 9 items, NDFL on prizes, 152-FZ on personal data."""

from __future__ import annotations

import re
from collections.abc import Iterator

from campaignctl.model import Campaign
from campaignctl.model.parties import LegalEntity
from campaignctl.spec.checks.registry import check, ptr
from campaignctl.spec.findings import Finding, error, warning

_PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX+)\b|уточнить|заполнить|\?\?\?", re.IGNORECASE)
_ART9 = "38-FZ art. 9: ads of a promotion must say where to learn the organizer, the rules, the number of prizes, and the time, place and procedure for receiving them"


def inn_valid(inn: str) -> bool:
    """Check digits of a Russian INN (10 digits for companies, 12 for individuals)."""
    digits = [int(ch) for ch in inn]

    def control(weights: tuple[int, ...]) -> int:
        return sum(w * d for w, d in zip(weights, digits, strict=False)) % 11 % 10

    if len(digits) == 10:
        return control((2, 4, 10, 3, 5, 9, 4, 6, 8)) == digits[9]
    if len(digits) == 12:
        first = control((7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
        second = control((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
        return first == digits[10] and second == digits[11]
    return False


def ogrn_valid(ogrn: str) -> bool:
    """Check digit of an OGRN (13 digits, mod 11) or OGRNIP (15 digits, mod 13)."""
    if len(ogrn) == 13:
        return int(ogrn[:12]) % 11 % 10 == int(ogrn[12])
    if len(ogrn) == 15:
        return int(ogrn[:14]) % 13 % 10 == int(ogrn[14])
    return False


def _entity(section: str, entity: LegalEntity) -> Iterator[Finding]:
    if not inn_valid(entity.inn):
        yield error(
            ptr(section, "inn"),
            f"INN {entity.inn} has wrong check digits",
            "copy the INN from the extract of the state register (ЕГРЮЛ)",
            "legal.inn",
        )
    if not ogrn_valid(entity.ogrn):
        yield error(
            ptr(section, "ogrn"),
            f"OGRN {entity.ogrn} has a wrong check digit",
            "copy the OGRN from the extract of the state register (ЕГРЮЛ)",
            "legal.ogrn",
        )
    if len(entity.inn) == 12 and len(entity.ogrn) == 13:
        yield warning(
            ptr(section, "ogrn"),
            "a 12-digit INN (sole proprietor) usually goes with a 15-digit OGRNIP",
            None,
            "legal.ogrn",
        )
    for name in ("legal_name", "legal_address"):
        if _PLACEHOLDER.search(getattr(entity, name)):
            yield error(ptr(section, name), "still a placeholder", _ART9, "legal.art9")


@check
def parties(c: Campaign) -> Iterator[Finding]:
    yield from _entity("organizer", c.organizer)
    if c.operator is not None:
        yield from _entity("operator", c.operator)
        if c.operator.inn == c.organizer.inn:
            yield warning(
                ptr("operator", "inn"),
                "the operator is the organizer itself",
                "leave operator out when there is none",
                "legal.operator",
            )


@check
def art9(c: Campaign) -> Iterator[Finding]:
    claim = c.rules.claim
    for name in ("place", "procedure", "deadline"):
        if _PLACEHOLDER.search(getattr(claim, name)):
            yield error(ptr("rules", "claim", name), "still a placeholder", _ART9, "legal.art9")
    if not c.rules.url.startswith("https://"):
        yield warning(
            ptr("rules", "url"), "the rules should be published over https", None, "legal.art9"
        )


_TAX_FIELDS = ("name", "birth_date", "passport", "inn", "address")


@check
def ndfl(c: Campaign) -> Iterator[Finding]:
    taxable = [(i, p) for i, p in enumerate(c.prizes) if p.taxable]
    if not taxable:
        return
    pd = c.personal_data
    collected = set(pd.fields) | set(pd.winner_fields)
    missing = [f for f in _TAX_FIELDS if f not in collected]
    if missing:
        yield error(
            ptr("personal_data", "winner_fields"),
            f"prizes over 4,000 RUB make the organizer a tax agent, but {', '.join(missing)} are not collected from winners",
            "Tax Code art. 226 and 230: the organizer withholds NDFL and reports each winner's income; add them to winner_fields",
            "tax.winner-data",
        )
    for i, prize in taxable:
        yield warning(
            ptr("prizes", i, "value_rub"),
            f"'{prize.id}' ({prize.value_rub} RUB) is taxed: NDFL 35% above 4,000 RUB; cash part C = 0.35*(V-4000)/0.65 = {prize.cash_part_rub} RUB",
            "Tax Code art. 217 p. 28, art. 224 p. 2; withholding the whole cash part exceeds the 50% cap of art. 226 p. 4 - confirm with the lawyers",
            "tax.ndfl",
        )


_WINNERS_ONLY = ("passport", "inn", "snils", "bank_details")


@check
def personal_data(c: Campaign) -> Iterator[Finding]:
    pd = c.personal_data
    if pd.storage_country != "RU":
        yield error(
            ptr("personal_data", "storage_country"),
            f"personal data of Russian participants must be collected into databases in Russia, not {pd.storage_country}",
            "152-FZ art. 18 p. 5 (localisation, in force since 1 Jul 2025)",
            "pd.localisation",
        )
    for i, name in enumerate(pd.fields):
        if name in _WINNERS_ONLY:
            yield warning(
                ptr("personal_data", "fields", i),
                f"{name} is collected from every participant",
                "152-FZ art. 5: collect only what the purpose needs; move it to winner_fields",
                "pd.minimisation",
            )
    consent = pd.consent_document
    if not consent.startswith(("https://", "http://")):
        path = c.asset(consent)
        if path is None or not path.is_file():
            yield error(
                ptr("personal_data", "consent_document"),
                f"consent document {consent!r} is neither a URL nor a file inside the campaign folder",
                "152-FZ art. 9 p. 1: the consent is a separate document participants can read; "
                f"looked in {c.folder}",
                "pd.consent",
            )
    if pd.retention_days > 180:
        yield warning(
            ptr("personal_data", "retention_days"),
            f"participants' data kept {pd.retention_days} days after the promotion",
            "152-FZ art. 21: destroy data once the purpose is achieved, typically within 30 days",
            "pd.retention",
        )
    registers = c.mechanics.codes is not None or c.mechanics.receipts is not None
    if registers and "phone" not in pd.fields:
        yield error(
            ptr("personal_data", "fields"),
            "registrations are identified by phone, but phone is not collected",
            "add phone to personal_data.fields",
            "pd.phone",
        )
    if c.audience.min_age < 18 and c.prizes and any(p.taxable for p in c.prizes):
        yield warning(
            ptr("audience", "min_age"),
            "minors may win prizes over 4,000 RUB",
            "their parents' consent and tax data are needed",
            "audience.age",
        )
