"""Human output of ``explain``: numbered hops, the verdict, the price, and a hint."""

from __future__ import annotations

from vpcpath.report.style import Style, usd_per_gb
from vpcpath.routing.paths import Explanation, Hop, Leg, Path

MAX_CIDRS_SHOWN = 4


def render_explanation(exp: Explanation, style: Style) -> str:
    src = exp.source
    lines = [
        style.paint(f"{src.id}", "bold")
        + f"  ({src.type} in {src.subnet_id}, {src.vpc_id}, {src.availability_zone})",
        f"route table {src.route_table_id} ({src.association} association)",
        f"destination {exp.destination_query}",
    ]
    if exp.price_source:
        lines.append(style.paint(f"prices: {exp.price_source}, {exp.price_date}", "dim"))
    for number, leg in enumerate(exp.legs, start=1):
        lines.append("")
        lines.extend(_leg_lines(number, leg, style, len(exp.legs)))
    return "\n".join(lines)


def _leg_lines(number: int, leg: Leg, style: Style, total: int) -> list[str]:
    title = f"leg {number}/{total}  {leg.name}" if total > 1 else f"{leg.name}"
    lines = [
        style.paint(title, "bold") + f"  → {leg.destination}",
        f"  verdict  {style.verdict(leg.verdict)}   "
        f"{usd_per_gb(leg.usd_per_gb_in)} in · {usd_per_gb(leg.usd_per_gb_out)} out",
    ]
    for index, path in enumerate(leg.paths, start=1):
        if len(leg.paths) > 1:
            lines.append(
                f"  path {index}: {style.verdict(path.verdict)} for {_cidrs(path)}   "
                f"{usd_per_gb(path.usd_per_gb_in)} in · {usd_per_gb(path.usd_per_gb_out)} out"
            )
            indent = "    "
        else:
            indent = "  "
        lines.extend(f"{indent}{n}. {_hop_text(hop)}" for n, hop in enumerate(path.hops, 1))
    if leg.hint:
        lines.append("  " + style.paint("hint: ", "cyan") + leg.hint)
    return lines


def _cidrs(path: Path) -> str:
    shown = [str(c) for c in path.cidrs[:MAX_CIDRS_SHOWN]]
    more = len(path.cidrs) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _hop_text(hop: Hop) -> str:
    if hop.type == "route-table":
        if hop.route is None:
            return f"{hop.id}  no matching route"
        return f"{hop.id}  route {hop.route}"
    label = hop.type.replace("-", " ")
    return f"{hop.id}  {label}" + (f" ({hop.detail})" if hop.detail else "")
