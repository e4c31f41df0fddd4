"""The audit as Markdown that fits a pull-request or ticket comment, for any estate.

GitHub holds 65,536 characters in a comment. The report spends them in order of use: the
headline and the totals by check and by account/region, the top groups (each with its one fix
as a command, its money and a path), every group, then every finding. What does not fit is
left out, and a line at the top says what was cut and how to get the full report.
"""

from __future__ import annotations

from vpcpath.audit.findings import Finding
from vpcpath.audit.grouping import FindingGroup, by_account_region, by_check
from vpcpath.audit.report_model import AuditReport
from vpcpath.model.paths import Path
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
from vpcpath.report.baseline_report import baseline_lines
from vpcpath.report.money_format import size, usd

COMMENT_LIMIT = 65_536
TOP_GROUPS = 10
TOP_ACCOUNTS = 20
_RESERVE = 1_200  # the cut notice and the footer


def _text(text: str) -> str:
    """Text for a table cell or a line: no table breaks, no raw HTML from AWS values."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\n", " ")
    )


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


class _Budget:
    """Blocks of text that together stay under a character limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.used = 0

    def add(self, block: str) -> bool:
        if self.used + len(block) + 1 > self.limit:
            return False
        self.parts.append(block)
        self.used += len(block) + 1
        return True


def render_audit_markdown(report: AuditReport, *, limit: int = COMMENT_LIMIT) -> str:
    budget = _Budget(limit - _RESERVE)
    for block in _head(report):
        budget.add(block)
    accepted = baseline_lines(report.baseline, markdown=True)
    if accepted:
        budget.add("\n## Accepted findings\n")
        for n, line in enumerate(accepted):
            if not budget.add(line):
                budget.add(f"- … and {len(accepted) - n:,} more (cut to fit)")
                break
    groups = report.groups
    by_id = {f.id: f for f in report.findings}
    if groups:
        budget.add("\n## Top groups\n")
        for n, g in enumerate(groups[:TOP_GROUPS], start=1):
            if not budget.add(_group_block(n, g, report, by_id)):
                break
    listed_groups = _table(
        budget,
        f"All {len(groups):,} groups",
        "| group | findings | share $/month | fix |\n| --- | ---: | ---: | --- |",
        [_group_row(g, report) for g in groups],
    )
    details = _finding_details(budget, report)
    cut = []
    if listed_groups < len(groups):
        cut.append(f"{len(groups) - listed_groups:,} of {len(groups):,} groups")
    if details < len(report.findings):
        missing = len(report.findings) - details
        cut.append(f"the details of {missing:,} of {findings_count(len(report.findings))}")
    lines = budget.parts
    if cut:
        notice = (
            f"> **Cut to fit a comment ({limit:,} characters):** {' and '.join(cut)} are not "
            "shown. The full report: `vpcpath audit … --format html --output audit.html` "
            "(every finding, searchable) or `--format json`."
        )
        lines = [*lines[:2], notice, *lines[2:]]
    lines += _footer(report)
    out = "\n".join(lines) + "\n"
    assert len(out) <= limit, len(out)
    return out


def _head(report: AuditReport) -> list[str]:
    lines = [f"# vpcpath audit: {headline(report)}", ""]
    if not report.findings:
        return [*lines, "No findings: every audited path is already on its cheapest route."]
    lines += [scope_line(report) + ".", ""]
    if priced(report):
        lines += [f"> **Why the rows add up to more than the headline:** {SHARE_NOTE}", ""]
    lines += [
        "## By check",
        "",
        "| check | severity | findings | VPCs | share $/month |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {_code(r.key[0])} | {r.severity} | {r.findings:,} | {r.vpcs:,} | "
        f"{share_text(r.usd_per_month_share)} |"
        for r in by_check(report.groups)
    ]
    rollups = by_account_region(report.groups)
    lines += [
        "",
        "## By account and region",
        "",
        "| account | region | findings | VPCs | share $/month |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r.key[0] or '—'} | {r.key[1] or '—'} | {r.findings:,} | {r.vpcs:,} | "
        f"{share_text(r.usd_per_month_share)} |"
        for r in rollups[:TOP_ACCOUNTS]
    ]
    if len(rollups) > TOP_ACCOUNTS:
        lines.append(f"\n… and {len(rollups) - TOP_ACCOUNTS:,} more accounts and regions.")
    if report.skipped:
        lines += ["", "## Not covered", ""]
        lines += [f"- {_text(w)}: {_text(y)}" for w, y in report.skipped[:TOP_ACCOUNTS]]
        if len(report.skipped) > TOP_ACCOUNTS:
            lines.append(f"- … and {len(report.skipped) - TOP_ACCOUNTS:,} more")
    return lines


def _group_block(n: int, g: FindingGroup, report: AuditReport, by_id: dict[str, Finding]) -> str:
    first = by_id[g.finding_ids[0]]
    money = (
        f" — {share_text(g.usd_per_month_share, g.upper_bound)}/month"
        if g.usd_per_month_share is not None
        else ""
    )
    lines = [
        f"### {n}. {_code(g.check)}: {findings_count(g.size)}{money}",
        "",
        f"In {_text(group_place(g, report.vpc_names))}.",
        "",
        f"**Fix:** {_text(g.action.summary)}",
    ]
    if g.action.commands:
        lines += ["", "```sh", *g.action.commands, "```"]
    lines += ["", f"**Money:** {_money_line(g, first)}", ""]
    if first.traces:
        lines += [f"**Path** (of {_code(first.id)}): {_path(first.traces[0])}", ""]
    rows = [
        f"| {_code(f.id)} | {f.severity} | {usd(f.usd_per_month)} | "
        f"{share_text(report.shares.get(f.id))} |"
        for f in (by_id[i] for i in g.finding_ids[:50])
    ]
    more = f"\n\n… and {g.size - 50:,} more." if g.size > 50 else ""
    lines += [
        f"<details><summary>{findings_count(g.size)}</summary>",
        "",
        "| finding | severity | $/month | share |",
        "| --- | --- | ---: | ---: |",
        *rows,
        more,
        "</details>",
        "",
    ]
    return "\n".join(lines)


def _money_line(g: FindingGroup, first: Finding) -> str:
    if g.usd_per_month is None:
        return _text(first.money_basis or "not priced")
    named = f"{usd(g.usd_per_month)}/month named by its findings"
    share = f", {share_text(g.usd_per_month_share, g.upper_bound)} of it its share of the total"
    return f"{named}{share}; {size(g.bytes_per_month)}/month. {_text(first.money_basis)}"


def _path(path: Path) -> str:
    hops = " → ".join(_code(h.id) + (f" ({_text(h.route)})" if h.route else "") for h in path.hops)
    return f"{hops} ({path.verdict})"


def _group_row(g: FindingGroup, report: AuditReport) -> str:
    return (
        f"| {_code(g.check)} in {_text(group_place(g, report.vpc_names))} | {g.size:,} | "
        f"{share_text(g.usd_per_month_share, g.upper_bound)} | {_text(g.action.summary)} |"
    )


def _table(budget: _Budget, title: str, header: str, rows: list[str]) -> int:
    """A table inside ``<details>``, as many rows as fit; returns how many did."""
    if not rows or not budget.add(f"\n<details><summary>{title}</summary>\n\n{header}"):
        return 0
    shown = 0
    closing = "</details>"
    budget.limit -= len(closing) + 40
    for row in rows:
        if not budget.add(row):
            break
        shown += 1
    budget.limit += len(closing) + 40
    if shown < len(rows):
        budget.add(f"\n… {len(rows) - shown:,} more (cut to fit).")
    budget.add(closing)
    return shown


def _finding_details(budget: _Budget, report: AuditReport) -> int:
    if not report.findings or not budget.add("\n## Every finding\n"):
        return 0
    shown = 0
    for f in report.findings:
        if not budget.add(_finding_block(f, report)):
            break
        shown += 1
    return shown


def _finding_block(f: Finding, report: AuditReport) -> str:
    share = report.shares.get(f.id)
    lines = [
        f"<details><summary><code>{_text(f.id)}</code> ({f.severity}, "
        f"{usd(f.usd_per_month)}/month)</summary>",
        "",
        _text(f.title) + ".",
        "",
        _text(f.explanation),
        "",
    ]
    if f.remediation.startswith("aws "):
        lines += ["**Fix:**", "", "```sh", f.remediation, "```", ""]
    elif f.remediation:
        lines += [f"**Fix:** {_text(f.remediation)}", ""]
    if f.money_basis:
        extra = f" Share of the total: {usd(share)}." if share is not None else ""
        lines += [f"**Money:** {_text(f.money_basis)}.{extra}", ""]
    for path in f.traces:
        lines += [f"**Path:** {_path(path)}", ""]
    lines.append("</details>")
    return "\n".join(lines)


def _footer(report: AuditReport) -> list[str]:
    lines = [""]
    if any(f.upper_bound for f in report.findings):
        lines += [UPPER_BOUND_NOTE, ""]
    lines += [
        "---",
        f"Generated {report.generated_at} by vpcpath. Money: {_text(report.scaling)}. "
        f"Prices: {_text(report.price_source)} ({report.price_date}); 1 GiB = 2^30 bytes.",
    ]
    return lines
