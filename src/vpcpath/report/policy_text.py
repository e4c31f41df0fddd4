"""``policy check`` for people: per endpoint, every catalogue request and its decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vpcpath.policy import EndpointPolicyCheck, SourceIpCondition
from vpcpath.report.style import Style, table


def render_policy_checks(
    checks: Sequence[EndpointPolicyCheck],
    style: Style,
    *,
    errors: Mapping[str, str],
    source_ip: Mapping[str, Sequence[SourceIpCondition]],
) -> str:
    lines: list[str] = []
    for check in checks:
        title = f"{check.vpc_endpoint_id or 'policy'}  {check.service_name}  ({check.region})"
        if check.default_policy:
            title += "  default full-access policy"
        lines += [style.paint(title, "bold")]
        rows = []
        for r in check.results:
            verdict = "allowed" if r.allowed else "denied"
            mark = "BREAKS" if r.breaks else ("GAP" if r.perimeter_gap else "ok")
            cells = [r.name, verdict, f"expected {r.expectation}", mark, r.decided_by or "—"]
            painted = (
                style.paint(mark, "red", "bold") if mark != "ok" else style.paint(mark, "green")
            )
            rows.append([*cells[:3], painted, cells[4]])
        lines.append(
            table(rows, ["request", "decision", "expected", "", "decided by"], width=style.width)
        )
        if check.size_problem:
            lines.append(style.paint(check.size_problem, "red"))
        if check.breaks:
            lines.append(style.paint(f"breaks: {', '.join(check.breaks)}", "red"))
        if check.perimeter_gaps:
            lines.append(
                style.paint(f"data-perimeter gaps: {', '.join(check.perimeter_gaps)}", "yellow")
            )
        lines.append("")
    for endpoint_id, why in errors.items():
        lines.append(style.paint(f"{endpoint_id}: policy not evaluated: {why}", "red"))
    for bucket, conditions in source_ip.items():
        for c in conditions:
            lines.append(
                f"bucket {bucket}: statement {c.statement} ({c.effect.value} on {c.operator} "
                f"{', '.join(c.values)}) {c.change.value} once traffic moves to the endpoint"
                + (" — access BREAKS" if c.breaks_access else "")
            )
    return style.fit("\n".join(lines).rstrip())
