"""Human output of ``explain``: numbered hops, the verdict, the price, and a hint."""

from __future__ import annotations

from vpcpath.model.paths import Explanation, Hop, Leg, Path
from vpcpath.report.style import BROKEN, Style, service_label, usd_per_gb

MAX_CIDRS_SHOWN = 4


def render_explanation(exp: Explanation, style: Style) -> str:
    src = exp.source
    where = [src.subnet_id] if src.id != src.subnet_id else []
    where += [f"“{src.name}”"] if src.name else []
    where += [src.vpc_id, src.availability_zone]
    lines = [
        style.paint(f"{src.id}", "bold") + f"  ({', '.join(where)})",
        f"route table {src.route_table_id} ({src.association} association)",
        f"destination {exp.destination_query}",
    ]
    if exp.price_source:
        lines.append(style.paint(f"prices: {exp.price_source}, {exp.price_date}", "dim"))
    for number, leg in enumerate(exp.legs, start=1):
        lines.append("")
        lines.extend(_leg_lines(number, leg, style, len(exp.legs)))
    return style.fit("\n".join(lines))


def _leg_lines(number: int, leg: Leg, style: Style, total: int) -> list[str]:
    name = service_label(leg.name)
    title = f"leg {number}/{total}  {name}" if total > 1 else name
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
        hops = path.hops
        lines.extend(
            f"{indent}{n}. {_hop_text(hop, hops[n] if n < len(hops) else None)}"
            for n, hop in enumerate(hops, 1)
        )
        if path.verdict in BROKEN:
            lines.append(f"{indent}why: {path.explanation.rsplit('; ', 1)[-1]}")
    lines.extend("  " + style.paint("note: ", "yellow") + note for note in leg.notes)
    if leg.hint:
        lines.append("  " + style.paint("hint: ", "cyan") + leg.hint)
    return lines


def _cidrs(path: Path) -> str:
    shown = [str(c) for c in path.cidrs[:MAX_CIDRS_SHOWN]]
    more = len(path.cidrs) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _hop_text(hop: Hop, following: Hop | None) -> str:
    if hop.type.is_route_table:
        if hop.route is None:
            return f"{hop.id}  no matching route"
        target = following.id if following else hop.detail.rsplit(" → ", 1)[-1]
        return f"{hop.id}  route {hop.route} → {target}"
    if hop.type == "local":
        # The VPC's own CIDR ("Route tables": every table's local route, which cannot be removed).
        return "local  (stays inside the VPC)"
    label = hop.type.replace("-", " ")
    return f"{hop.id}  {label}" + (f" ({hop.detail})" if hop.detail else "")
