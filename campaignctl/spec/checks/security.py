"""Channels well-formed, secrets referenced never inlined, assets present."""

from __future__ import annotations

import re
from collections.abc import Iterator

from campaignctl.model import Campaign
from campaignctl.spec.checks.registry import check, ptr
from campaignctl.spec.findings import Finding, error

_BITRIX_TOKEN_URL = re.compile(r"/rest/\d+/[A-Za-z0-9]{6,}")


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


@check
def phone_numbers(c: Campaign) -> Iterator[Finding]:
    hotline = c.channels.hotline
    if hotline is not None:
        digits = _digits(hotline.number)
        if len(digits) != 11 or not (digits.startswith("8800") or digits.startswith("7800")):
            yield error(
                ptr("channels", "hotline", "number"),
                f"{hotline.number!r} is not a toll-free 8-800 number",
                "write it as 8-800-XXX-XX-XX",
                "channels.hotline",
            )
        if hotline.ivr is not None:
            keys: set[str] = set()
            for i, option in enumerate(hotline.ivr.options):
                if option.key in keys:
                    yield error(
                        ptr("channels", "hotline", "ivr", "options", i, "key"),
                        f"IVR key {option.key} is used twice",
                        None,
                        "channels.ivr",
                    )
                keys.add(option.key)
    sms = c.channels.sms
    if sms is not None and not re.fullmatch(r"[0-9]{4,6}", sms.short_number):
        yield error(
            ptr("channels", "sms", "short_number"),
            f"{sms.short_number!r} is not a short number",
            "short numbers have 4 to 6 digits, e.g. 5533",
            "channels.sms",
        )
    if c.organizer.phone is not None and len(_digits(c.organizer.phone)) != 11:
        yield error(
            ptr("organizer", "phone"),
            f"{c.organizer.phone!r} is not a Russian phone number",
            "write it as +7 XXX XXX-XX-XX",
            "channels.phone",
        )


@check
def channels_configured(c: Campaign) -> Iterator[Finding]:
    sections = {"sms": c.channels.sms, "chatbot": c.channels.chatbot, "hotline": c.channels.hotline}
    mechanics = {"codes": c.mechanics.codes, "receipts": c.mechanics.receipts}
    for mechanic_name, mechanic in mechanics.items():
        if mechanic is None:
            continue
        for i, name in enumerate(mechanic.channels):
            if name in sections and sections[name] is None:
                yield error(
                    ptr("mechanics", mechanic_name, "channels", i),
                    f"registration by {name} is enabled but channels.{name} is not configured",
                    f"add a channels.{name} section",
                    "channels.missing",
                )


@check
def assets(c: Campaign) -> Iterator[Finding]:
    branding = c.channels.site.branding
    files = [
        (ptr("channels", "site", "branding", n), getattr(branding, n))
        for n in ("logo", "hero_image", "font")
    ]
    files += [(ptr("prizes", i, "image"), p.image) for i, p in enumerate(c.prizes)]
    for pointer, name in files:
        if name is None:
            continue
        path = c.asset(name)
        if path is None:
            yield error(
                pointer,
                f"{name!r} is not a path inside the campaign folder",
                "keep assets inside the campaign folder",
                "assets.outside",
            )
        elif not path.is_file():
            yield error(
                pointer,
                f"file {name!r} not found next to the campaign",
                f"looked for {path}",
                "assets.missing",
            )


@check
def secrets(c: Campaign) -> Iterator[Finding]:
    urls = []
    if c.crm is not None and c.crm.url:
        urls.append((ptr("crm", "url"), c.crm.url))
    if (
        c.channels.sms is not None
        and c.channels.sms.provider is not None
        and c.channels.sms.provider.url
    ):
        urls.append((ptr("channels", "sms", "provider", "url"), c.channels.sms.provider.url))
    for pointer, url in urls:
        if not url.startswith("https://"):
            yield error(
                pointer,
                "personal data must travel over https",
                f"{url} is not https",
                "security.https",
            )
    crm = c.crm
    if crm is not None and crm.target in ("webhook", "bitrix24", "amocrm"):
        if crm.url is None:
            yield error(ptr("crm"), f"crm target {crm.target} needs a url", None, "security.crm")
        if crm.secret_ref is None:
            yield error(
                ptr("crm"),
                f"crm target {crm.target} needs a secret_ref (signing secret or token)",
                "e.g. secret_ref: env:CRM_TOKEN",
                "security.crm",
            )
        if crm.url and _BITRIX_TOKEN_URL.search(crm.url):
            yield error(
                ptr("crm", "url"),
                "the URL embeds a Bitrix24 webhook token",
                "keep the token in secret_ref and the portal URL here",
                "security.secret-inline",
            )
    captcha = c.anti_fraud.captcha
    if (
        captcha is not None
        and captcha.provider != "none"
        and (captcha.site_key is None or captcha.secret_ref is None)
    ):
        yield error(
            ptr("anti_fraud", "captcha"),
            "SmartCaptcha needs site_key and secret_ref",
            None,
            "security.captcha",
        )
    sms = c.channels.sms
    if (
        sms is not None
        and sms.provider is not None
        and sms.provider.kind == "http"
        and (sms.provider.url is None or sms.provider.secret_ref is None)
    ):
        yield error(
            ptr("channels", "sms", "provider"),
            "an http SMS provider needs url and secret_ref",
            None,
            "security.sms",
        )
