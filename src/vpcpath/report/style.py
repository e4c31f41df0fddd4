"""Terminal styling: colour only when asked (the CLI asks when stdout is a terminal)."""

from __future__ import annotations

from dataclasses import dataclass

from vpcpath.model import Verdict

_CODES = {"red": "31", "green": "32", "yellow": "33", "bold": "1", "dim": "2", "cyan": "36"}

FREE = frozenset({Verdict.GATEWAY_ENDPOINT, Verdict.LOCAL})
COSTLY = frozenset({Verdict.NAT_GATEWAY, Verdict.TRANSIT_GATEWAY})
BROKEN = frozenset({Verdict.BLACKHOLE, Verdict.NO_ROUTE})


@dataclass(frozen=True, slots=True)
class Style:
    color: bool = False

    def paint(self, text: str, *styles: str) -> str:
        if not self.color or not styles:
            return text
        codes = ";".join(_CODES[s] for s in styles)
        return f"\033[{codes}m{text}\033[0m"

    def verdict(self, verdict: Verdict) -> str:
        if verdict in FREE:
            return self.paint(str(verdict), "green")
        if verdict in COSTLY or verdict in BROKEN:
            return self.paint(str(verdict), "red", "bold")
        return self.paint(str(verdict), "yellow")


def usd_per_gb(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"${value:.3f}/GB".replace(".000/", ".00/") if value else "$0/GB"


def table(
    rows: list[list[str]], headers: list[str], widths_from_plain: list[list[str]] | None = None
) -> str:
    """Aligned columns; ``widths_from_plain`` gives the uncoloured text to measure."""
    plain = widths_from_plain or rows
    widths = [len(h) for h in headers]
    for row in plain:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row, raw in zip(rows, plain, strict=True):
        cells = [cell + " " * (widths[i] - len(raw[i])) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
