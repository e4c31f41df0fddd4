"""The audit for a terminal: a one-screen summary by default, every finding with ``details``.

The summary: the headline, totals by check, the top groups (one check in one VPC, with the
one action that fixes it), totals by account and region, and how to get the rest.
"""

from __future__ import annotations

from vpcpath.audit.findings import Severity
from vpcpath.audit.grouping import by_account_region, by_check
from vpcpath.audit.report_model import AuditReport
from vpcpath.report.audit_wording import (
    SHARE_NOTE,
    UPPER_BOUND_NOTE,
    findings_count,
    group_place,
    price_line,
    priced,
    scope_line,
    share_text,
)
from vpcpath.report.baseline_report import baseline_lines
from vpcpath.report.money_format import size, usd
from vpcpath.report.style import Style, table
from vpcpath.report.terminal import wrap_command

_SEVERITY_STYLE = {
    Severity.CRITICAL: ("red", "bold"),
    Severity.HIGH: ("red",),
    Severity.MEDIUM: ("yellow",),
    Severity.LOW: ("cyan",),
    Severity.INFO: ("dim",),
}
TOP_GROUPS = 10
TOP_ACCOUNTS = 10


def headline(report: AuditReport) -> str:
    count = len(report.findings)
    noun = "finding" if count == 1 else "findings"
    if report.usd_per_month_avoidable is None:
        return f"{count} {noun}; not priced (add --flow-logs or --cloudwatch)"
    bound = " at most" if report.evidence.flows is None else ""
    return f"{usd(report.usd_per_month_avoidable)}/month{bound} avoidable, {count} {noun}"


def render_audit(report: AuditReport, style: Style, *, details: bool = False) -> str:
    """The summary; with ``details`` every finding follows it. Fits ``style.width``."""
    lines = [style.paint(headline(report), "bold")]
    lines += [line for text in _evidence(report) for line in _wrap(text, style)]
    if not report.findings and report.skipped:
        # "No findings" is only said when the input proves it; with gaps it is partial.
        lines += [
            "",
            style.paint(
                f"No findings in what could be audited; {len(report.skipped)} part(s) of the "
                "snapshot could not be (listed below), so this is not an all-clear.",
                "yellow",
            ),
        ]
    elif not report.findings:
        lines += [
            "",
            style.paint(
                "No findings: every audited path is already on its cheapest route.", "green"
            ),
        ]
    else:
        lines += _wrap(scope_line(report) + ".", style)
        lines += _by_check(report, style)
        lines += _top_groups(report, style)
        lines += _by_account(report, style)
        if priced(report):
            lines += ["", *_wrap(SHARE_NOTE, style)]
        if any(f.upper_bound for f in report.findings):
            lines += _wrap(UPPER_BOUND_NOTE, style)
        if details:
            lines += _details(report, style)
        else:
            shown = (
                f"Showing the top {TOP_GROUPS} of {len(report.groups):,} groups."
                if len(report.groups) > TOP_GROUPS
                else "All groups shown."
            )
            lines += [
                "",
                *_wrap(
                    f"{shown} Every finding with its explanation and fix: add --details. A "
                    "browsable report: --format html --output audit.html; for scripts: "
                    "--format json.",
                    style,
                ),
            ]
    for what, why in report.skipped:
        lines += [style.paint(line, "yellow") for line in _wrap(f"skipped {what}: {why}", style)]
    accepted = [line for text in baseline_lines(report.baseline) for line in _wrap(text, style)]
    lines += ["", *accepted] if accepted else []
    lines += [""] + [style.paint(line, "dim") for line in _wrap(price_line(report), style)]
    return "\n".join(lines)


def _evidence(report: AuditReport) -> list[str]:
    if report.evidence.flows is not None:
        flows = report.evidence.flows
        return [
            f"evidence: {flows.records:,} flow-log records in {flows.files} file(s); "
            f"{report.scaling}"
        ]
    if report.evidence.cloudwatch is not None:
        return [f"evidence: {report.scaling}"]
    return []


def _wrap(text: str, style: Style, indent: str = "") -> list[str]:
    return style.wrap(text, indent=indent)


def _by_check(report: AuditReport, style: Style) -> list[str]:
    rows = [
        [
            r.key[0],
            style.paint(str(r.severity), *_SEVERITY_STYLE[r.severity]),
            f"{r.findings:,}",
            f"{r.vpcs:,}",
            share_text(r.usd_per_month_share),
        ]
        for r in by_check(report.groups)
    ]
    headers = ["check", "severity", "findings", "VPCs", "share $/month"]
    return ["", style.paint("By check", "bold"), table(rows, headers, width=style.width)]


def _top_groups(report: AuditReport, style: Style) -> list[str]:
    ranking = "money" if priced(report) else "severity and count"
    lines = ["", style.paint(f"Top groups (by {ranking})", "bold")]
    names = report.vpc_names
    for n, g in enumerate(report.groups[:TOP_GROUPS], start=1):
        money = (
            f" — {share_text(g.usd_per_month_share, g.upper_bound)}/month"
            if g.usd_per_month_share is not None
            else ""
        )
        title = f"{n}. {g.check}: {findings_count(g.size)}{money}"
        lines.append(style.paint(title, "bold"))
        lines += _wrap(f"in {group_place(g, names)}", style, "   ")
        lines += [
            style.paint(line, "cyan") if i == 0 else line
            for i, line in enumerate(_wrap(f"fix: {g.action.summary}", style, "   "))
        ]
        for command in g.action.commands:
            lines += _command(command, style)
    return lines


def _command(command: str, style: Style) -> list[str]:
    """A shell command that still pastes as one (its trailing comment moved above it)."""
    return wrap_command(f"$ {command}", style.width, indent="   ")


def _by_account(report: AuditReport, style: Style) -> list[str]:
    rollups = by_account_region(report.groups)
    rows = [
        [
            r.key[0] or "—",
            r.key[1] or "—",
            f"{r.findings:,}",
            f"{r.vpcs:,}",
            share_text(r.usd_per_month_share),
        ]
        for r in rollups[:TOP_ACCOUNTS]
    ]
    headers = ["account", "region", "findings", "VPCs", "share $/month"]
    lines = ["", style.paint("By account and region", "bold")]
    lines.append(table(rows, headers, width=style.width, key_columns=2))
    if len(rollups) > TOP_ACCOUNTS:
        lines.append(f"… and {len(rollups) - TOP_ACCOUNTS:,} more (--details, --format json)")
    return lines


def _details(report: AuditReport, style: Style) -> list[str]:
    lines = ["", style.paint("Every finding", "bold")]
    rows = [
        [
            f.id,
            style.paint(str(f.severity), *_SEVERITY_STYLE[f.severity]),
            usd(f.usd_per_month) + ("*" if f.upper_bound else ""),
            share_text(report.shares.get(f.id)),
            size(f.bytes_per_month),
        ]
        for f in report.findings
    ]
    headers = ["finding", "severity", "$/month", "share", "bytes/month"]
    lines.append(table(rows, headers, width=style.width))
    for f in report.findings:
        lines += ["", style.paint(f.id, "bold")]
        lines += _wrap(f.title, style, "  ")
        lines += _wrap(f.explanation, style, "  ")
        if f.remediation:
            fix = _wrap("fix: " + f.remediation, style, "  ")
            lines += [style.paint(line, "cyan") if i == 0 else line for i, line in enumerate(fix)]
        if f.money_basis:
            lines += [
                style.paint(line, "dim") for line in _wrap("money: " + f.money_basis, style, "  ")
            ]
    if any(f.upper_bound for f in report.findings):
        lines += ["", "* upper bound from NAT gateway metrics (all traffic of the NAT gateway)"]
    return lines
