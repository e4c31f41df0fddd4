"""The findings of the HTML report as one compact JSON document, embedded once in the page.

A 1,000-VPC estate has thousands of findings whose texts differ only in their ids ("vpc-… has
DynamoDB gateway endpoint vpce-…, but rtb-… has no route to it"). Each text is stored as a
template with the ids taken out, plus the ids, and every template and id once in a string
table ``s``: a text is an index into ``s`` (no ids), a list ``[template, id, id, …]`` (the
template's ``\\x01`` marks where each id goes), or the string itself (when it holds ``\\x01``).
The page's script (``assets/audit.js``) rebuilds the texts and renders them as text nodes.

Layout (positional lists; "S" marks an index into ``s``, "T" a text as above):

- ``groups``: ``[check S, severity S, account S, region S, vpc S, vpc name S, first finding,
  finding count, usd, share, upper bound 0/1, action summary T, [commands T]]``; the group id
  is ``check:account:region:vpc``.
- ``findings`` (grouped: a group's findings are contiguous): ``[id T, severity S, title T,
  explanation T, remediation T, money basis T, usd, share, bytes, upper bound 0/1,
  [subnet id S], [[verdict S, cidrs T, [hop]], …]]``
- ``hops``: ``[[id S, type S, route S], …]`` (hops repeat across findings; each is stored once)
- ``subnets``: ``{subnet id: [name, zone, [[instance id, [[key, value], …]], …]]}``
"""

from __future__ import annotations

import json
import re
from typing import Any

from vpcpath.audit.findings import Finding
from vpcpath.audit.report_model import AuditReport
from vpcpath.model.paths import Path

# AWS resource ids: vpc-…, subnet-…, rtb-…, nat-…, vpce-…, tgw-attach-…, i-…, eni-…
ID_PATTERN = re.compile(r"\b(?:[a-z0-9]+-)*[a-z]+-[0-9a-f]{8,17}\b")
MARK = "\x01"
MAX_CIDRS = 6


class _Strings:
    def __init__(self) -> None:
        self.table: list[str] = []
        self.index: dict[str, int] = {}
        self.hops: list[list[int]] = []
        self.hop_index: dict[tuple[int, int, int], int] = {}

    def hop(self, hop_id: str, hop_type: str, route: str) -> int:
        key = (self.add(hop_id), self.add(hop_type), self.add(route))
        found = self.hop_index.get(key)
        if found is None:
            found = self.hop_index[key] = len(self.hops)
            self.hops.append(list(key))
        return found

    def add(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.table)
            self.table.append(text)
        return found

    def text(self, text: str) -> int | list[int] | str:
        if MARK in text:
            return text
        ids = ID_PATTERN.findall(text)
        template = self.add(ID_PATTERN.sub(MARK, text))
        return [template, *(self.add(i) for i in ids)] if ids else template


def report_data(report: AuditReport) -> dict[str, Any]:
    strings = _Strings()
    by_id = {f.id: f for f in report.findings}
    groups: list[list[Any]] = []
    findings: list[list[Any]] = []
    for g in report.groups:
        groups.append(
            [
                strings.add(g.check),
                strings.add(str(g.severity)),
                strings.add(g.account_id),
                strings.add(g.region),
                strings.add(g.vpc_id),
                strings.add(report.vpc_names.get(g.vpc_id, "")),
                len(findings),
                g.size,
                g.usd_per_month,
                g.usd_per_month_share,
                int(g.upper_bound),
                strings.text(g.action.summary),
                [strings.text(c) for c in g.action.commands],
            ]
        )
        findings.extend(_finding(by_id[i], report, strings) for i in g.finding_ids)
    subnet_ids = {s for f in report.findings for s in f.subnet_ids}
    subnets = {
        s.subnet_id: [
            s.name or "",
            s.availability_zone,
            [[w.instance_id, [list(t) for t in w.tags]] for w in s.workloads],
        ]
        for s in report.subnets.values()
        if s.subnet_id in subnet_ids and (s.name or s.workloads)
    }
    return {
        "s": strings.table,
        "groups": groups,
        "findings": findings,
        "hops": strings.hops,
        "subnets": subnets,
    }


def _finding(f: Finding, report: AuditReport, strings: _Strings) -> list[Any]:
    return [
        strings.text(f.id),
        strings.add(str(f.severity)),
        strings.text(f.title),
        strings.text(f.explanation),
        strings.text(f.remediation),
        strings.text(f.money_basis),
        f.usd_per_month,
        report.shares.get(f.id),
        f.bytes_per_month,
        int(f.upper_bound),
        [strings.add(s) for s in f.subnet_ids],
        [_trace(p, strings) for p in f.traces],
    ]


def _trace(path: Path, strings: _Strings) -> list[Any]:
    cidrs = ", ".join(str(c) for c in path.cidrs[:MAX_CIDRS])
    if len(path.cidrs) > MAX_CIDRS:
        cidrs += f" and {len(path.cidrs) - MAX_CIDRS} more"
    hops = [strings.hop(h.id, h.type, h.route or "") for h in path.hops]
    return [strings.add(str(path.verdict)), strings.text(cidrs), hops]


def script_json(data: object) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``</script>``, no
    ``<!--``, no HTML-significant characters, no line terminators JavaScript rejects."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
