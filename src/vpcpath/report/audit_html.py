"""The audit as one self-contained HTML file: summary, charts, findings with traces and fixes.

Everything that came from AWS (ids, names, tag values — tags are user-controlled) goes
through ``html.escape``; the page loads nothing from the network.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from html import escape
from importlib import resources

from vpcpath.audit.findings import Finding
from vpcpath.audit.report_model import AuditReport, SubnetSummary
from vpcpath.model.enums import Charge
from vpcpath.model.paths import Path
from vpcpath.report.audit_text import headline
from vpcpath.report.money_format import size, usd
from vpcpath.report.svg_chart import bar_chart

_CHARGE_LABEL = {
    Charge.NAT_PROCESSING: "NAT gateway processing",
    Charge.CROSS_AZ: "cross-AZ transfer",
    Charge.TRANSIT_GATEWAY: "transit gateway processing",
}


def _asset(name: str) -> str:
    return (resources.files("vpcpath.report") / "assets" / name).read_text(encoding="utf-8")


def render_audit_html(report: AuditReport) -> str:
    e = escape
    findings = report.findings
    body = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>vpcpath audit</title>",
        f"<style>{_asset('audit.css')}</style></head><body>",
        "<h1>vpcpath audit</h1>",
        f'<p class="headline" id="headline">{e(headline(report))}</p>',
        f'<p class="muted">Generated {e(report.generated_at)} · prices: {e(report.price_source)} '
        f"({e(report.price_date)}) · 1 GB = 2<sup>30</sup> bytes"
        + (f" · {e(report.scaling)}" if report.scaling else "")
        + "</p>",
        '<div class="charts">',
        bar_chart("Avoidable monthly cost by path", _by_path(report), chart_id="chart-path"),
        bar_chart(
            "Avoidable monthly cost by VPC and subnet (or NAT gateway)",
            _by_place(report),
            chart_id="chart-place",
        ),
        "</div>",
        '<h2>Findings</h2><p class="filters">Show: '
        '<button data-min="info">all</button><button data-min="medium">medium and above</button>'
        '<button data-min="high">high and above</button> '
        f'<span class="muted"><span id="shown">{len(findings)}</span> shown</span></p>',
        _summary_table(findings),
    ]
    body.extend(_finding_block(f, report.subnets) for f in findings)
    if report.skipped:
        body.append("<h2>Not covered</h2><ul>")
        body.extend(f"<li>{e(w)}: {e(y)}</li>" for w, y in report.skipped)
        body.append("</ul>")
    body.append(f"<script>{_asset('audit-filter.js')}</script></body></html>")
    return "\n".join(body)


def _by_path(report: AuditReport) -> list[tuple[str, float, str]]:
    totals: dict[str, float] = defaultdict(float)
    for share in report.breakdown:
        totals[_CHARGE_LABEL[share.charge]] += share.usd_per_month
    if not totals:
        counts: dict[str, int] = defaultdict(int)
        for f in report.findings:
            counts[f.check] += 1
        return [(k, float(v), f"{v} finding(s), not priced") for k, v in sorted(counts.items())]
    return [(k, v, usd(v) + "/month") for k, v in sorted(totals.items(), key=lambda kv: -kv[1])]


def _by_place(report: AuditReport) -> list[tuple[str, float, str]]:
    totals: dict[str, float] = defaultdict(float)
    for share in report.breakdown:
        summary = report.subnets.get(share.place)
        vpc = report.vpc_names.get(share.vpc_id, share.vpc_id)
        place = (summary.name if summary else None) or share.place
        totals[f"{vpc} / {place}"] += share.usd_per_month
    rows = sorted(totals.items(), key=lambda kv: -kv[1])[:15]
    return [(k, v, usd(v) + "/month") for k, v in rows]


def _summary_table(findings: tuple[Finding, ...]) -> str:
    e = escape
    rows = [
        "<table><thead><tr><th>severity</th><th>$/month</th><th>bytes/month</th><th>finding</th>"
        "<th>title</th></tr></thead><tbody>"
    ]
    for f in findings:
        money = usd(f.usd_per_month) + (" ≤" if f.upper_bound else "")
        sev = e(str(f.severity))
        rows.append(
            f'<tr data-severity="{sev}"><td><span class="sev sev-{sev}">{sev}</span></td>'
            f'<td class="num">{e(money)}</td>'
            f'<td class="num">{e(size(f.bytes_per_month))}</td>'
            f'<td><a href="#{e(f.id)}"><code>{e(f.id)}</code></a></td><td>{e(f.title)}</td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _finding_block(f: Finding, names: Mapping[str, SubnetSummary]) -> str:
    e = escape
    parts = [
        f'<details class="finding" id="{e(f.id)}" data-severity="{e(str(f.severity))}" open>',
        f'<summary><span class="sev sev-{e(str(f.severity))}">{e(str(f.severity))}</span> '
        f"{e(f.title)} — {e(usd(f.usd_per_month))}/month</summary>",
        f"<p>{e(f.explanation)}</p>",
    ]
    if f.remediation:
        parts.append(f"<p><strong>What to do:</strong> {e(f.remediation)}</p>")
    if f.money_basis:
        parts.append(f'<p class="muted">Money: {e(f.money_basis)}</p>')
    for path in f.traces:
        parts.append(_trace(path))
    affected = [names[s] for s in f.subnet_ids if s in names]
    if affected:
        parts.append(
            "<table><thead><tr><th>subnet</th><th>zone</th><th>workloads</th></tr></thead><tbody>"
        )
        for s in affected:
            loads = "".join(
                f"<div><code>{e(w.instance_id)}</code> "
                + "".join(f'<span class="tag">{e(k)}={e(v)}</span>' for k, v in w.tags)
                + "</div>"
                for w in s.workloads
            )
            parts.append(
                f"<tr><td><code>{e(s.subnet_id)}</code> {e(s.name or '')}</td>"
                f"<td>{e(s.availability_zone)}</td><td>{loads or '—'}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</details>")
    return "".join(parts)


def _trace(path: Path) -> str:
    e = escape
    hops = "".join(
        f"<li><code>{e(h.id)}</code> {e(h.type.replace('-', ' '))}"
        + (f" — route <code>{e(h.route)}</code>" if h.route else "")
        + "</li>"
        for h in path.hops
    )
    cidrs = ", ".join(str(c) for c in path.cidrs[:6]) + (" …" if len(path.cidrs) > 6 else "")
    return (
        f'<p class="muted">Path ({e(str(path.verdict))}) for {e(cidrs)}:</p>'
        f'<ol class="hops">{hops}</ol>'
    )
