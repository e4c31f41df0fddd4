"""``vpcpath check`` for a terminal and for a pull request (Markdown)."""

from __future__ import annotations

from collections import Counter

from vpcpath.audit.findings import Severity
from vpcpath.report.baseline_report import baseline_lines
from vpcpath.report.check_model import CheckResult
from vpcpath.report.money_format import usd
from vpcpath.report.style import Style


def check_headline(result: CheckResult) -> str:
    report = result.report
    count = len(report.findings)
    by_severity = Counter(str(f.severity) for f in report.findings)
    parts = ", ".join(f"{by_severity[str(s)]} {s}" for s in Severity if by_severity[str(s)])
    noun = "finding" if count == 1 else "findings"
    money = (
        "not priced (a plan carries no traffic)"
        if report.usd_per_month_avoidable is None
        else f"{usd(report.usd_per_month_avoidable)}/month assumed"
    )
    return f"{count} {noun}" + (f" ({parts})" if parts else "") + f"; {money}"


def _source_line(result: CheckResult) -> str:
    s = result.source
    version = f"Terraform {s.terraform_version}, " if s.terraform_version else ""
    return f"{s.path}: {s.kind} ({version}{s.region})"


def _unmodelled_lines(result: CheckResult, verbose: bool) -> list[str]:
    unmodelled = result.source.unmodelled
    if not unmodelled:
        return []
    types = Counter(t for _, t in unmodelled)
    lines = [
        f"{len(unmodelled)} resource(s) of {len(types)} type(s) not modelled "
        "(they do not decide where VPC traffic goes)"
        + ("" if verbose else "; --verbose lists them")
    ]
    if verbose:
        lines += [f"  {address}" for address, _ in unmodelled]
    return lines


def render_check_text(result: CheckResult, style: Style, *, verbose: bool = False) -> str:
    report = result.report
    lines = [style.paint(f"vpcpath check: {check_headline(result)}", "bold"), _source_line(result)]
    lines += [style.paint(f"note: {n}", "dim") for n in result.source.notes]
    if not report.findings:
        lines += ["", style.paint("No findings.", "green")]
    for f in report.findings:
        lines += ["", style.paint(f"[{f.severity}] {f.id}", "bold") + f"  {f.title}"]
        addresses = result.addresses(f)
        if addresses:
            lines.append("  addresses: " + ", ".join(addresses))
        lines.append(f"  {f.explanation}")
        hcl = result.hcl(f)
        if hcl:
            lines.append("  " + style.paint("fix (add to your Terraform):", "cyan"))
            lines += [f"    {line}" for line in hcl.splitlines()]
        elif f.remediation:
            lines.append("  " + style.paint("fix: ", "cyan") + f.remediation)
        if f.money_basis:
            lines.append("  " + style.paint(f"money: {f.money_basis}", "dim"))
    for what, why in report.skipped:
        lines.append(style.paint(f"skipped {what}: {why}", "yellow"))
    extra = baseline_lines(report.baseline) + _unmodelled_lines(result, verbose)
    lines += ["", *extra] if extra else []
    lines += [
        "",
        style.paint(
            f"Prices: {report.price_source} ({report.price_date}); 1 GiB = 2^30 bytes. "
            f"Service ranges: {result.ip_ranges_source}.",
            "dim",
        ),
    ]
    return style.fit("\n".join(lines))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_check_markdown(result: CheckResult) -> str:
    report = result.report
    lines = [f"# vpcpath check: {check_headline(result)}", "", f"`{_source_line(result)}`", ""]
    if report.findings:
        lines += ["| severity | finding | addresses |", "| --- | --- | --- |"]
        for f in report.findings:
            addresses = "<br>".join(f"`{_cell(a)}`" for a in result.addresses(f))
            lines.append(f"| {f.severity} | `{_cell(f.id)}` | {addresses} |")
    else:
        lines.append("No findings.")
    for f in report.findings:
        lines += ["", f"## `{f.id}`", "", f"**{_cell(f.title)}**", "", _cell(f.explanation), ""]
        hcl = result.hcl(f)
        if hcl:
            lines += ["**Fix** (add to your Terraform):", "", "```hcl", hcl, "```"]
        elif f.remediation:
            lines.append(f"**Fix:** {_cell(f.remediation)}")
        if f.money_basis:
            lines += ["", f"**Money:** {_cell(f.money_basis)}"]
    accepted = baseline_lines(report.baseline, markdown=True)
    if accepted:
        lines += ["", "## Accepted findings", "", *accepted]
    if result.source.notes:
        lines += ["", "## Notes", ""] + [f"- {_cell(n)}" for n in result.source.notes]
    unmodelled = _unmodelled_lines(result, verbose=False)
    lines += ["", *unmodelled] if unmodelled else []
    lines += [
        "",
        f"Prices: {report.price_source} ({report.price_date}); 1 GiB = 2^30 bytes. "
        f"Service ranges: {result.ip_ranges_source}.",
    ]
    return "\n".join(lines) + "\n"
