"""The terminal report of ``vpcpath flows``: where the NAT gateway bytes come from, what they
cost, and how much of it a gateway endpoint would carry for free. 1 GiB = 2^30 bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from vpcpath.flows.result import Evidence, FlowsResult, NatTraffic
from vpcpath.flows.workload_match import REASONS
from vpcpath.model import Snapshot
from vpcpath.report.style import Style, service_label, table

_UNITS = (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10))


def human_bytes(n: int) -> str:
    for unit, size in _UNITS:
        if n >= size:
            return f"{n / size:,.2f} {unit}"
    return f"{n} B"


def usd(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.01 or value == 0 else f"${value:.4f}"


def _time(epoch: int | None) -> str:
    if epoch is None:
        return "?"
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d %H:%M")


def _named(snapshot: Snapshot | None, kind: str, rid: str | None) -> str:
    if rid is None:
        return "(unknown)"
    if snapshot is None:
        return rid
    name: str | None = None
    if kind == "subnet" and rid in snapshot.subnets:
        name = snapshot.subnets[rid].name
    elif kind == "nat" and rid in snapshot.nat_gateways:
        name = snapshot.nat_gateways[rid].name
    elif kind == "instance" and rid in snapshot.instances:
        name = snapshot.instances[rid].name
    return f"{rid} ({name})" if name else rid


def _top(
    rows: Iterable[NatTraffic], key: Callable[[NatTraffic], str], top: int
) -> list[tuple[str, int, int, float, float]]:
    """(key, NAT bytes, avoidable bytes, usd, avoidable usd), largest avoidable first."""
    acc: dict[str, list[float]] = {}
    for r in rows:
        entry = acc.setdefault(key(r), [0, 0, 0.0, 0.0])
        entry[0] += r.nat_bytes
        entry[2] += r.usd
        if r.avoidable_by:
            entry[1] += r.nat_bytes
            entry[3] += r.usd
    ranked = sorted(acc.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
    return [(k, int(v[0]), int(v[1]), v[2], v[3]) for k, v in ranked[:top]]


def _money_table(
    title: str, label: str, ranked: list[tuple[str, int, int, float, float]], style: Style
) -> list[str]:
    if not ranked:
        return []
    body = [
        [k, human_bytes(total), human_bytes(avoid), usd(cost), usd(avoid_cost)]
        for k, total, avoid, cost, avoid_cost in ranked
    ]
    headers = [label, "NAT bytes", "avoidable", "NAT $", "avoidable $"]
    return ["", style.paint(title, "bold"), table(body, headers, width=style.width)]


_BUCKET_TITLES = {
    "ipv6": "IPv6 flows (attributed through the IPv6 routes)",
    "unattributed": "Not attributed (source subnet, direction or route unknown)",
    "nat-eni-other": "NAT ENI records that are neither client nor internet leg",
}


def _service_label(r: NatTraffic) -> str:
    if r.evidence is Evidence.NAT_ENI:
        return "remote not recorded (NAT ENI, no pkt-* fields)"
    label = (
        f"{service_label(r.service) if r.service else 'outside AWS'} / {r.service_region or '-'}"
    )
    return label + (f" → {r.avoidable_by}" if r.avoidable_by else "")


def render_flows(
    result: FlowsResult, style: Style, *, snapshot: Snapshot | None = None, top: int = 10
) -> str:
    s = result.input
    lines = [style.paint("NAT gateway traffic in the flow logs", "bold")]
    if s.records == 0 and result.window_start is None:
        # Rows computed elsewhere (``--from-athena-csv``): no record was read here.
        lines.append(
            f"Read {len(result.nat_traffic):,} NAT gateway rows ({human_bytes(s.bytes_read)});"
            " the records were read by the query that wrote them."
        )
    else:
        lines.append(
            f"Read {s.files} files ({human_bytes(s.bytes_read)}): {s.records:,} records, "
            f"{s.malformed:,} malformed, {s.nodata:,} NODATA, {s.skipdata:,} SKIPDATA."
        )
        lines.append(
            f"Window: {_time(result.window_start)} → {_time(result.window_end)} UTC "
            "(from the records' start and end)."
        )
    for err in s.errors:
        lines.append(style.paint(f"error: {err.file}: {err.message}", "red"))
    if s.malformed_examples:
        lines.append("First malformed lines (counted, skipped):")
        for m in s.malformed_examples:
            where = f"{m.file}:{m.line}" if m.line is not None else m.file
            lines.append(f"  {where}: {m.reason}")
            lines.append(style.paint(f"    {m.text}", "dim"))
    lines.append("")
    total_line = (
        f"NAT gateway bytes: {human_bytes(result.nat_bytes)} = {usd(result.usd)}; "
        f"avoidable with a gateway endpoint: {human_bytes(result.avoidable_bytes)} = "
        f"{usd(result.avoidable_usd)}."
    )
    lines.append(style.paint(total_line, "red" if result.avoidable_bytes else "green"))
    rows = result.nat_traffic
    lines += _money_table(
        "Top NAT gateways",
        "NAT gateway",
        _top(rows, lambda r: _named(snapshot, "nat", r.nat_gateway_id), top),
        style,
    )
    lines += _money_table(
        "Top source subnets (by avoidable bytes)",
        "subnet",
        _top(rows, lambda r: _named(snapshot, "subnet", r.source_subnet_id), top),
        style,
    )
    lines += _money_table(
        "Top source ENIs / instances",
        "ENI / instance",
        _top(
            rows,
            lambda r: (
                f"{r.source_eni_id or '(unknown)'} / "
                f"{_named(snapshot, 'instance', r.source_instance_id)}"
            ),
            top,
        ),
        style,
    )
    lines += _money_table(
        "By service and region",
        "service / region",
        _top(
            rows,
            lambda r: (
                f"{service_label(r.service) if r.service else 'outside AWS / unknown'}"
                f" / {r.service_region or '-'}" + (f" → {r.avoidable_by}" if r.avoidable_by else "")
            ),
            top,
        ),
        style,
    )
    lines += _coverage(result, style)
    for bucket in result.buckets:
        if bucket.name == "unattributed" and result.unattributed:
            continue  # the same bytes, per reason, below
        detail = f"; {bucket.detail}" if bucket.detail else ""
        lines.append(
            f"{_BUCKET_TITLES.get(bucket.name, bucket.name)}: {bucket.records:,} records, "
            f"{human_bytes(bucket.bytes)}{detail}."
        )
    if result.unattributed:
        lines.append("Not attributed to the snapshot (ACCEPT records, not counted above):")
        for u in result.unattributed:
            named = f" ({', '.join(u.named)})" if u.named else ""
            lines.append(
                f"  {human_bytes(u.bytes)} in {u.records:,} records: "
                f"{REASONS.get(u.reason, u.reason)}{named}"
            )
    for note in result.notes:
        lines.append(style.paint(f"note: {note}", "yellow"))
    lines.append("")
    lines.append(f"Prices: {result.price_source} ({result.price_date}); 1 GiB = 2^30 bytes.")
    lines.append(f"IP ranges: {result.ip_ranges_source}.")
    return style.fit("\n".join(lines))


def _coverage(result: FlowsResult, style: Style) -> list[str]:
    if not result.coverage:
        return []
    body: list[list[str]] = []
    for c in result.coverage:
        if not c.nat_eni_logged:
            status = "NAT ENI not in the input: no cross-check"
        elif c.direct:
            status = "attributed from the NAT ENI's pkt-* fields"
        elif c.client_leg_bytes == c.attributed_bytes:
            status = "all bytes accounted for"
        else:
            status = f"{(c.ratio or 0) * 100:.1f}% of NAT ENI bytes attributed"
        body.append(
            [
                c.nat_gateway_id,
                human_bytes(c.client_leg_bytes),
                human_bytes(c.attributed_bytes),
                human_bytes(c.model_bytes),
                status,
            ]
        )
    headers = ["NAT gateway", "seen on NAT ENI", "attributed", "routing model", "check"]
    return ["", style.paint("Coverage check", "bold"), table(body, headers, width=style.width)]
