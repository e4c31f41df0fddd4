"""The audit as Markdown, for a pull request or a ticket."""

from __future__ import annotations

from vpcpath.audit.report_model import AuditReport
from vpcpath.report.audit_text import headline
from vpcpath.report.baseline_report import baseline_lines
from vpcpath.report.money_format import size, usd


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_audit_markdown(report: AuditReport) -> str:
    lines = [f"# vpcpath audit: {headline(report)}", ""]
    lines.append(
        f"Generated {report.generated_at}. Prices: {report.price_source} ({report.price_date})."
    )
    if report.scaling:
        lines.append(f"Money: {report.scaling}.")
    lines += [
        "",
        "| severity | $/month | bytes/month | finding | title |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for f in report.findings:
        money = usd(f.usd_per_month) + (" (upper bound)" if f.upper_bound else "")
        cells = [
            str(f.severity),
            money,
            size(f.bytes_per_month),
            f"`{_cell(f.id)}`",
            _cell(f.title),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    for f in report.findings:
        lines += ["", f"## `{f.id}`", "", _cell(f.explanation), ""]
        if f.remediation:
            lines.append(f"**Fix:** {_cell(f.remediation)}")
        if f.money_basis:
            lines.append(f"**Money:** {_cell(f.money_basis)}")
        for path in f.traces:
            hops = " → ".join(f"`{h.id}`" + (f" ({h.route})" if h.route else "") for h in path.hops)
            lines.append(f"**Path** ({path.verdict}): {hops}")
    if report.skipped:
        lines += ["", "## Not covered", ""]
        lines += [f"- {_cell(w)}: {_cell(y)}" for w, y in report.skipped]
    accepted = baseline_lines(report.baseline, markdown=True)
    if accepted:
        lines += ["", "## Accepted findings", "", *accepted]
    return "\n".join(lines) + "\n"
