"""The legal text block for packaging, POS materials and ads (38-FZ art. 9), with its size.

Two variants: ``compact`` for a cap label or a pack side, ``full`` for
leaflets, posters and ads. Each comes with character counts so a designer
knows before layout whether it fits the space.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from campaignctl.model import Campaign
from campaignctl.render.context import base_context
from campaignctl.render.environment import environment, render_template

GROUP = "pos"
VARIANTS = ("compact", "full")


@dataclass(frozen=True)
class PosText:
    variant: str
    text: str

    @property
    def characters(self) -> int:
        return len(self.text)

    @property
    def characters_no_spaces(self) -> int:
        return sum(1 for ch in self.text if not ch.isspace())

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def lines(self) -> int:
        return self.text.count("\n") + 1

    def counts(self) -> dict[str, int]:
        return {
            "characters": self.characters,
            "characters_without_spaces": self.characters_no_spaces,
            "words": self.words,
            "lines": self.lines,
        }


def _tidy(text: str) -> str:
    """One paragraph per line, no stray blanks: what a designer pastes into the layout."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def pos_texts(campaign: Campaign) -> tuple[PosText, ...]:
    env = environment(GROUP, campaign.folder)
    return tuple(
        PosText(v, _tidy(render_template(env, f"{v}.txt", **base_context(campaign))))
        for v in VARIANTS
    )


def _readme(campaign: Campaign, texts: tuple[PosText, ...]) -> str:
    lines = [
        f"POS and packaging text of «{campaign.campaign.name}» ({campaign.slug})",
        "",
        "38-FZ art. 9: keep the dates, where to learn about the organizer and the rules,",
        "the number of prizes, and the time, place and procedure of receiving them.",
        "Characters count spaces and punctuation; line breaks in full.txt separate paragraphs.",
        "",
        f"{'file':<12} {'characters':>10} {'no spaces':>10} {'words':>6} {'lines':>6}",
    ]
    for t in texts:
        lines.append(
            f"{t.variant + '.txt':<12} {t.characters:>10} {t.characters_no_spaces:>10} "
            f"{t.words:>6} {t.lines:>6}"
        )
    return "\n".join(lines) + "\n"


def render_pos(campaign: Campaign, out: Path) -> list[Path]:
    """Write compact.txt, full.txt, counts.json and README.txt into ``out``."""
    texts = pos_texts(campaign)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for t in texts:
        path = out / f"{t.variant}.txt"
        path.write_text(t.text + "\n", encoding="utf-8")
        written.append(path)
    counts = {t.variant: t.counts() for t in texts}
    files = {
        "counts.json": json.dumps(counts, ensure_ascii=False, indent=2) + "\n",
        "README.txt": _readme(campaign, texts),
    }
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
