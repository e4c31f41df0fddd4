"""The demo table: one row per private subnet, the verdict and price of each destination."""

from __future__ import annotations

from vpcpath.report.style import Style, service_label, table, usd_per_gb
from vpcpath.routing.overview import SubnetOverview

COLUMNS = ("s3", "dynamodb", "ecr.api", "ecr.dkr", "s3-layers")


def render_overview(
    rows: list[SubnetOverview], style: Style, price_note: str, *, hints: bool = True
) -> str:
    headers = ["subnet", "name", "zone", *(service_label(c) for c in COLUMNS)]
    shown: list[list[str]] = []
    found_hints: list[str] = []
    for row in rows:
        by_name = {leg.name: leg for leg in row.legs}
        base = [row.subnet.id, row.subnet.name or "", row.subnet.availability_zone]
        cells = list(base)
        for col in COLUMNS:
            leg = by_name[col]
            price = usd_per_gb(leg.usd_per_gb_out)
            cells.append(f"{style.verdict(leg.verdict)} {price}")
            if leg.hint:
                found_hints.append(f"{row.subnet.id} {col}: {leg.hint}")
        shown.append(cells)
    out = [
        table(shown, headers, width=style.width, key_columns=3),
        "",
        *(style.paint(line, "dim") for line in style.wrap(price_note)),
    ]
    if hints and found_hints:
        out += ["", style.paint("What would make it cheaper", "bold")]
        for h in dict.fromkeys(found_hints):
            out += style.wrap(h, indent="  - ", hang="    ")
    return "\n".join(out)
