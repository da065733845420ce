"""Site colours from the brand colours, adjusted so text stays readable.

Brand colours are chosen for packaging, not for text: a light green button with
white text fails WCAG 2.1 AA (contrast 4.5:1, success criterion 1.4.3), which
the accessibility scan reports as a serious violation. The theme keeps the
brand colour for surfaces and picks the text colour on it, and derives a darker
shade of the brand colour for links and headings on white.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaignctl.model.channels import Branding

WHITE = "#ffffff"
INK = "#1a1a1a"
SURFACE = "#f4f4f2"
"""Background of alternate page sections: brand-coloured text must read on it too."""
AA_NORMAL_TEXT = 4.5


@dataclass(frozen=True)
class Theme:
    primary: str
    """Brand colour, for the hero band and buttons."""
    on_primary: str
    """Text on the primary colour."""
    primary_text: str
    """The brand colour darkened until it reads on white and on SURFACE (links, headings)."""
    surface: str
    accent: str
    on_accent: str


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def luminance(color: str) -> float:
    """Relative luminance (WCAG 2.1 definition)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """White or ink, whichever reads better on ``background``."""
    return WHITE if contrast(WHITE, background) >= contrast(INK, background) else INK


def readable_on(color: str, background: str = WHITE) -> str:
    """``color`` mixed with black in 5% steps until it reaches 4.5:1 on ``background``.

    Meant for light backgrounds, where darker always means more contrast.
    """
    r, g, b = _rgb(color)
    for step in range(21):
        keep = 1 - step * 0.05
        shade = _hex((round(r * keep), round(g * keep), round(b * keep)))
        if contrast(shade, background) >= AA_NORMAL_TEXT:
            return shade
    return INK


def surface(color: str) -> tuple[str, str]:
    """A background close to ``color`` and its text colour, at least 4.5:1 apart."""
    text = text_on(color)
    if contrast(text, color) >= AA_NORMAL_TEXT:
        return color, text
    return readable_on(color), WHITE


def theme(branding: Branding) -> Theme:
    primary, on_primary = surface(branding.primary_color.lower())
    accent, on_accent = surface(branding.accent_color.lower())
    return Theme(
        primary=primary,
        on_primary=on_primary,
        # SURFACE is darker than white, so text that reads on it reads on white too.
        primary_text=readable_on(branding.primary_color.lower(), SURFACE),
        surface=SURFACE,
        accent=accent,
        on_accent=on_accent,
    )
