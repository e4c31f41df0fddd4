"""The audit for a terminal: the headline, then findings by money, then what to do."""

from __future__ import annotations

from vpcpath.audit.findings import Severity
from vpcpath.audit.report_model import AuditReport
from vpcpath.report.money_format import size, usd
from vpcpath.report.style import Style, table

_SEVERITY_STYLE = {
    Severity.CRITICAL: ("red", "bold"),
    Severity.HIGH: ("red",),
    Severity.MEDIUM: ("yellow",),
    Severity.LOW: ("cyan",),
    Severity.INFO: ("dim",),
}


def headline(report: AuditReport) -> str:
    count = len(report.findings)
    noun = "finding" if count == 1 else "findings"
    if report.usd_per_month_avoidable is None:
        return f"{count} {noun}; not priced (add --flow-logs or --cloudwatch)"
    bound = " at most" if report.evidence.flows is None else ""
    return f"{usd(report.usd_per_month_avoidable)}/month{bound} avoidable, {count} {noun}"


def render_audit(report: AuditReport, style: Style) -> str:
    lines = [style.paint(headline(report), "bold")]
    if report.evidence.flows is not None:
        flows = report.evidence.flows
        lines.append(
            f"evidence: {flows.records:,} flow-log records in {flows.files} file(s); "
            f"{report.scaling}"
        )
    elif report.evidence.cloudwatch is not None:
        lines.append(f"evidence: {report.scaling}")
    lines.append("")
    rows = []
    for f in report.findings:
        sev = str(f.severity)
        money = usd(f.usd_per_month) + ("*" if f.upper_bound else "")
        cells = [sev, money, size(f.bytes_per_month), f.id]
        rows.append([style.paint(sev, *_SEVERITY_STYLE[f.severity]), *cells[1:]])
    if rows:
        lines.append(
            table(rows, ["severity", "$/month", "bytes/month", "finding"], width=style.width)
        )
    else:
        lines.append(
            style.paint(
                "No findings: every audited path is already on its cheapest route.", "green"
            )
        )
    for f in report.findings:
        lines += ["", style.paint(f"{f.id}", "bold") + f"  {f.title}", f"  {f.explanation}"]
        if f.remediation:
            lines.append("  " + style.paint("fix: ", "cyan") + f.remediation)
        if f.money_basis:
            lines.append("  " + style.paint(f"money: {f.money_basis}", "dim"))
    if any(f.upper_bound for f in report.findings):
        lines += ["", "* upper bound from NAT gateway metrics (all traffic of the NAT gateway)"]
    for what, why in report.skipped:
        lines.append(style.paint(f"skipped {what}: {why}", "yellow"))
    lines += [
        "",
        style.paint(
            f"Prices: {report.price_source} ({report.price_date}); 1 GB = 2^30 bytes.", "dim"
        ),
    ]
    return style.fit("\n".join(lines))
