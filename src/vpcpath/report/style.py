"""Terminal styling: colour only when asked, and the width the text must fit.

The CLI decides both (``report.terminal.color_enabled`` and ``terminal_width``: NO_COLOR,
FORCE_COLOR, COLUMNS, a terminal or a pipe); renderers only follow the ``Style`` they get.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcpath.model import Verdict
from vpcpath.report.terminal import fit_lines, fit_table, wrap

_CODES = {"red": "31", "green": "32", "yellow": "33", "bold": "1", "dim": "2", "cyan": "36"}

FREE = frozenset({Verdict.GATEWAY_ENDPOINT, Verdict.LOCAL})
COSTLY = frozenset({Verdict.NAT_GATEWAY, Verdict.TRANSIT_GATEWAY})
BROKEN = frozenset({Verdict.BLACKHOLE, Verdict.NO_ROUTE})


@dataclass(frozen=True, slots=True)
class Style:
    color: bool = False
    width: int | None = None  # columns the text must fit; None: no limit (a pipe, a file)

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

    def wrap(self, text: str, *, indent: str = "", hang: str | None = None) -> list[str]:
        """One paragraph as lines that fit the width (``hang`` indents the continuations)."""
        return wrap(text, self.width, indent=indent, hang=hang)

    def fit(self, text: str) -> str:
        """Every line of ``text`` wrapped to the width, continuations under its indent."""
        return fit_lines(text, self.width)


# Service names in human output, one casing everywhere (AWS's own: S3, DynamoDB); JSON keeps
# the contract's names (leg ``dynamodb``, ip-ranges service ``DYNAMODB``).
_SERVICE_LABELS = {
    "s3": "S3",
    "dynamodb": "DynamoDB",
    "DYNAMODB": "DynamoDB",
    "s3-layers": "S3 layers",
}


def service_label(name: str) -> str:
    """``S3``, ``DynamoDB``, ``S3 layers``; other names (``ecr.api``, ``EC2``) as they are."""
    return _SERVICE_LABELS.get(name, name)


def usd_per_gb(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"${value:.3f}/GiB".replace(".000/", ".00/") if value else "$0/GiB"


def table(
    rows: list[list[str]],
    headers: list[str],
    widths_from_plain: list[list[str]] | None = None,
    *,
    width: int | None = None,
    key_columns: int = 1,
) -> str:
    """Aligned columns that fit ``width`` (see ``terminal.fit_table``).

    Cells are measured without their colour codes, so ``widths_from_plain`` is no longer
    needed; it is accepted, and ignored, for callers that still pass it.
    """
    del widths_from_plain
    return fit_table(rows, headers, width, key_columns=key_columns)
