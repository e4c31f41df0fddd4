"""The audit as one self-contained HTML file that stays small and fast for thousands of VPCs.

The page shows what a person reads first — the headline and why rows add up to more than it,
money by fix and by VPC/subnet (only when there is evidence: no chart that looks like money
without it), totals by check and by account/region, and the top groups with their fix. Every
group and finding is in the page once, as JSON (``audit_html_data``); the page's script
renders a group's findings when it is opened and filters by account, VPC, check or id.

Everything that came from AWS (ids, names, tag values — tags are user-controlled) is escaped
here, or set as text by the script; the page loads nothing from the network.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from importlib import resources

from vpcpath.audit.catalogue import CHECKS
from vpcpath.audit.grouping import FindingGroup, by_account_region, by_check
from vpcpath.audit.report_model import AuditReport
from vpcpath.model.enums import Charge
from vpcpath.report.audit_html_data import report_data, script_json
from vpcpath.report.audit_text import headline
from vpcpath.report.audit_wording import (
    SHARE_NOTE,
    UPPER_BOUND_NOTE,
    findings_count,
    group_place,
    priced,
    scope_line,
    share_text,
)
from vpcpath.report.bar_chart import bar_chart
from vpcpath.report.baseline_report import baseline_lines
from vpcpath.report.html_text import text_html
from vpcpath.report.money_format import usd

TOP_GROUPS = 10
CHART_ROWS = 12
TOP_ACCOUNTS = 25
_TITLES = {c.info.id: c.info.title for c in CHECKS}
_CHARGE_LABEL = {
    Charge.NAT_PROCESSING: "NAT gateway processing",
    Charge.CROSS_AZ: "cross-AZ transfer",
    Charge.TRANSIT_GATEWAY: "transit gateway processing",
}


def _asset(name: str) -> str:
    return (resources.files("vpcpath.report") / "assets" / name).read_text(encoding="utf-8")


def render_audit_html(report: AuditReport) -> str:
    e = escape
    body = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>vpcpath audit</title>",
        f"<style>{_asset('audit.css')}</style></head><body>",
        "<header><h1>vpcpath audit</h1>",
        f'<p class="headline" id="headline">{e(headline(report))}</p>',
        f'<p class="scope">{e(scope_line(report))}</p>',
        f'<p class="muted">{e(_evidence(report))}</p></header>',
    ]
    if report.findings:
        body += _money_sections(report)
        body += _totals(report)
        body += _top_groups(report)
        body += _all_groups(report)
    else:
        body.append("<p>No findings: every audited path is already on its cheapest route.</p>")
    if report.skipped:
        body.append('<h2>Not covered</h2><ul id="skipped">')
        body.extend(f"<li>{e(w)}: {e(y)}</li>" for w, y in report.skipped)
        body.append("</ul>")
    accepted = baseline_lines(report.baseline)
    if accepted:
        body.append('<h2>Accepted findings</h2><ul id="accepted">')
        body.extend(f"<li>{text_html(line.strip())}</li>" for line in accepted)
        body.append("</ul>")
    body += [
        _footer(report),
        f'<script type="application/json" id="audit-data">{script_json(report_data(report))}'
        "</script>",
        f"<script>{_asset('audit.js')}</script></body></html>",
    ]
    return "\n".join(body)


def _evidence(report: AuditReport) -> str:
    flows = report.evidence.flows
    if flows is not None:
        return f"Evidence: {flows.records:,} flow-log records in {flows.files} file(s); " + (
            report.scaling
        )
    if report.evidence.cloudwatch is not None:
        return f"Evidence: {report.scaling}."
    return (
        "No traffic evidence: findings are not priced. Run with --flow-logs PATH (exact) or "
        "--cloudwatch (upper bound from NAT gateway metrics) to see money."
    )


def _money_sections(report: AuditReport) -> list[str]:
    if not priced(report):
        return []
    total = report.usd_per_month_avoidable or 0.0
    note = f"Bars add up to {usd(total)}/month, the headline: each byte once."
    return [
        f'<p class="note" id="share-note"><strong>Why the rows add up to more than the '
        f"headline:</strong> {escape(SHARE_NOTE)}</p>",
        '<div class="charts">',
        bar_chart(
            "Avoidable monthly cost by fix (share of the total)",
            _by_fix(report),
            chart_id="chart-fix",
            note=note,
        ),
        bar_chart(
            "Avoidable monthly cost by VPC and subnet (or NAT gateway)",
            _by_place(report),
            chart_id="chart-place",
            note=note,
        ),
        bar_chart("Avoidable monthly cost by charge", _by_charge(report), chart_id="chart-path"),
        "</div>",
    ]


def _rest(rows: list[tuple[str, float, str]], noun: str) -> list[tuple[str, float, str]]:
    """The first CHART_ROWS rows, then one row for all the others."""
    if len(rows) <= CHART_ROWS:
        return rows
    others = rows[CHART_ROWS - 1 :]
    value = sum(v for _, v, _ in others)
    label = f"{len(others):,} other {noun}"
    return [*rows[: CHART_ROWS - 1], (label, value, usd(value) + "/month")]


def _by_fix(report: AuditReport) -> list[tuple[str, float, str]]:
    rows = [
        (g.action.summary, g.usd_per_month_share, share_text(g.usd_per_month_share) + "/month")
        for g in report.groups
        if g.usd_per_month_share
    ]
    return _rest(sorted(rows, key=lambda r: -r[1]), "fixes")


def _by_place(report: AuditReport) -> list[tuple[str, float, str]]:
    totals: dict[str, float] = defaultdict(float)
    for share in report.breakdown:
        summary = report.subnets.get(share.place)
        vpc = report.vpc_names.get(share.vpc_id, share.vpc_id)
        place = (summary.name if summary else None) or share.place
        totals[f"{vpc} / {place}"] += share.usd_per_month
    rows = sorted(totals.items(), key=lambda kv: -kv[1])
    return _rest([(k, v, usd(v) + "/month") for k, v in rows if v > 0], "places")


def _by_charge(report: AuditReport) -> list[tuple[str, float, str]]:
    totals: dict[str, float] = defaultdict(float)
    for share in report.breakdown:
        totals[_CHARGE_LABEL[share.charge]] += share.usd_per_month
    rows = sorted(totals.items(), key=lambda kv: -kv[1])
    return [(k, v, usd(v) + "/month") for k, v in rows if v > 0]


def _totals(report: AuditReport) -> list[str]:
    e = escape
    money = priced(report)
    head = "<th class='num'>share $/month</th>" if money else ""
    rows = [
        "<h2>By check</h2>",
        '<table id="by-check"><thead><tr><th>check</th><th>severity</th>'
        f"<th class='num'>findings</th><th class='num'>VPCs</th>{head}</tr></thead><tbody>",
    ]
    for r in by_check(report.groups):
        check = r.key[0]
        title = _TITLES.get(check, "")
        cell = f"<td class='num'>{e(share_text(r.usd_per_month_share))}</td>" if money else ""
        rows.append(
            f"<tr><td><code>{e(check)}</code><div class='muted'>{e(title)}</div></td>"
            f"<td>{_severity(str(r.severity))}</td><td class='num'>{r.findings:,}</td>"
            f"<td class='num'>{r.vpcs:,}</td>{cell}</tr>"
        )
    rows.append("</tbody></table>")
    rollups = by_account_region(report.groups)
    rows += [
        "<h2>By account and region</h2>",
        '<table id="by-account"><thead><tr><th>account</th><th>region</th>'
        f"<th class='num'>findings</th><th class='num'>VPCs</th>{head}</tr></thead><tbody>",
    ]
    for r in rollups[:TOP_ACCOUNTS]:
        cell = f"<td class='num'>{e(share_text(r.usd_per_month_share))}</td>" if money else ""
        rows.append(
            f"<tr><td>{e(r.key[0] or '—')}</td><td>{e(r.key[1] or '—')}</td>"
            f"<td class='num'>{r.findings:,}</td><td class='num'>{r.vpcs:,}</td>{cell}</tr>"
        )
    rows.append("</tbody></table>")
    if len(rollups) > TOP_ACCOUNTS:
        rows.append(
            f"<p class='muted'>… and {len(rollups) - TOP_ACCOUNTS:,} more: filter below.</p>"
        )
    return rows


def _severity(sev: str) -> str:
    return f'<span class="sev sev-{escape(sev)}">{escape(sev)}</span>'


def _top_groups(report: AuditReport) -> list[str]:
    ranking = "share of the avoidable money" if priced(report) else "severity and count"
    out = [f"<h2>Top groups</h2><p class='muted'>By {ranking}; open one for its findings.</p>"]
    out += [_group(i, g, report) for i, g in enumerate(report.groups[:TOP_GROUPS])]
    return out


def _group(index: int, g: FindingGroup, report: AuditReport) -> str:
    """A group, collapsed; the script fills ``.findings`` from the data when it opens."""
    money = (
        f'<span class="money">{escape(share_text(g.usd_per_month_share, g.upper_bound))}'
        "/month</span>"
        if g.usd_per_month_share is not None
        else ""
    )
    commands = "".join(f"<pre><code>{text_html(c)}</code></pre>" for c in g.action.commands)
    return (
        f'<details class="group" data-g="{index}"><summary>{_severity(str(g.severity))} '
        f"<code>{escape(g.check)}</code> in {text_html(group_place(g, report.vpc_names))} "
        f'<span class="count">{escape(findings_count(g.size))}</span>{money}</summary>'
        f'<div class="group-body"><p class="action"><strong>Fix:</strong> '
        f"{text_html(g.action.summary)}</p>{commands}"
        f'<div class="findings" data-g="{index}"></div></div></details>'
    )


def _all_groups(report: AuditReport) -> list[str]:
    e = escape
    out = [
        f"<h2>All {len(report.groups):,} groups</h2>",
        '<p class="filter"><label for="filter">Filter</label> <input id="filter" '
        'type="search" autocomplete="off" placeholder="account, VPC, check or finding id">'
        ' <span id="match-count" class="muted"></span></p>',
        '<div id="results" hidden></div><div id="tree">',
    ]
    checks = {r.key[0]: r for r in by_check(report.groups)}
    places: dict[str, dict[tuple[str, str], list[FindingGroup]]] = defaultdict(dict)
    for g in report.groups:
        places[g.check].setdefault((g.account_id, g.region), []).append(g)
    for check, rollup in checks.items():
        out.append(
            f'<details class="check" data-check="{e(check)}"><summary>'
            f"{_severity(str(rollup.severity))} "
            f"<code>{e(check)}</code> "
            f'<span class="count">{rollup.groups:,} group(s), '
            f"{e(findings_count(rollup.findings))}</span>"
            + (
                f'<span class="money">{e(share_text(rollup.usd_per_month_share))}/month</span>'
                if rollup.usd_per_month_share is not None
                else ""
            )
            + "</summary>"
        )
        for (account, region), members in places[check].items():
            count = sum(g.size for g in members)
            out.append(
                f'<details class="place" data-check="{e(check)}" data-account="{e(account)}" '
                f'data-region="{e(region)}"><summary>{e(account or "—")} {e(region or "—")} '
                f'<span class="count">{len(members):,} VPC group(s), '
                f"{e(findings_count(count))}</span></summary>"
                '<div class="groups"></div></details>'
            )
        out.append("</details>")
    out.append("</div>")
    return out


def _footer(report: AuditReport) -> str:
    e = escape
    bound = f"<p>{e(UPPER_BOUND_NOTE)}</p>" if any(f.upper_bound for f in report.findings) else ""
    return (
        f'<footer id="footer">{bound}<p>Generated {e(report.generated_at)} by vpcpath. '
        f"Money: {e(report.scaling)}. 1 GiB = 2<sup>30</sup> bytes.</p>"
        f'<p id="prices">Prices: {e(report.price_source)} ({e(report.price_date)}).</p>'
        "</footer>"
    )
