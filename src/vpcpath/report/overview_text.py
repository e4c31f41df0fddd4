"""The demo table: one row per private subnet, the verdict and price of each destination."""

from __future__ import annotations

from vpcpath.report.style import Style, table, usd_per_gb
from vpcpath.routing.overview import SubnetOverview

COLUMNS = ("s3", "dynamodb", "ecr.api", "ecr.dkr", "s3-layers")


def render_overview(
    rows: list[SubnetOverview], style: Style, price_note: str, *, hints: bool = True
) -> str:
    headers = ["subnet", "name", "zone", *COLUMNS]
    plain: list[list[str]] = []
    shown: list[list[str]] = []
    found_hints: list[str] = []
    for row in rows:
        by_name = {leg.name: leg for leg in row.legs}
        base = [row.subnet.id, row.subnet.name or "", row.subnet.availability_zone]
        cells_plain, cells = list(base), list(base)
        for col in COLUMNS:
            leg = by_name[col]
            price = usd_per_gb(leg.usd_per_gb_out)
            cells_plain.append(f"{leg.verdict} {price}")
            cells.append(f"{style.verdict(leg.verdict)} {price}")
            if leg.hint:
                found_hints.append(f"{row.subnet.id} {col}: {leg.hint}")
        plain.append(cells_plain)
        shown.append(cells)
    out = [table(shown, headers, plain), "", style.paint(price_note, "dim")]
    if hints and found_hints:
        out += ["", style.paint("What would make it cheaper", "bold")]
        out += [f"  - {h}" for h in dict.fromkeys(found_hints)]
    return "\n".join(out)
