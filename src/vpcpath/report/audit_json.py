"""``vpcpath.audit/1``: the JSON contract of the audit issue; fields are only ever added."""

from __future__ import annotations

from collections import Counter
from typing import Any

from vpcpath.audit.catalogue import CHECKS
from vpcpath.audit.findings import Finding
from vpcpath.audit.grouping import FindingGroup
from vpcpath.audit.report_model import AuditReport
from vpcpath.report.baseline_report import baseline_to_json
from vpcpath.report.explain_json import path_to_json

SCHEMA = "vpcpath.audit/1"
_DOCS = {c.info.id: c.info.doc_url for c in CHECKS}


def audit_to_json(report: AuditReport) -> dict[str, Any]:
    ev = report.evidence
    flows = (
        {
            "files": ev.flows.files,
            "records": ev.flows.records,
            "window": {"start": ev.flows.window_start, "end": ev.flows.window_end},
            "notes": list(ev.flows.notes),
        }
        if ev.flows
        else None
    )
    cloudwatch = (
        {
            "days": ev.cloudwatch.days,
            "start": ev.cloudwatch.start,
            "end": ev.cloudwatch.end,
            "nat_gateways": sorted(ev.cloudwatch.nat_gateways),
            "missing": [{"nat_gateway_id": n, "reason": r} for n, r in ev.cloudwatch.missing],
        }
        if ev.cloudwatch
        else None
    )
    severities = Counter(str(f.severity) for f in report.findings)
    group_of = {fid: g.id for g in report.groups for fid in g.finding_ids}
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "generated_at": report.generated_at,
        "prices": {"source": report.price_source, "date": report.price_date},
        "evidence": {"flow_logs": flows, "cloudwatch": cloudwatch},
        "findings": [
            {
                **finding_to_json(f),
                "group_id": group_of.get(f.id),
                "usd_per_month_share": report.shares.get(f.id),
            }
            for f in report.findings
        ],
        "groups": [group_to_json(g) for g in report.groups],
        "summary": {
            "findings": len(report.findings),
            "groups": len(report.groups),
            "usd_per_month_avoidable": report.usd_per_month_avoidable,
            "bytes_per_month_avoidable": report.bytes_per_month_avoidable,
            "by_severity": dict(sorted(severities.items())),
            "scaling": report.scaling,
            "skipped": [{"what": w, "why": y} for w, y in report.skipped],
        },
    }
    return with_baseline(doc, report)


def with_baseline(doc: dict[str, Any], report: AuditReport) -> dict[str, Any]:
    """Accepted findings, when a baseline was read: ``baseline`` and ``summary.suppressed``."""
    if report.baseline is not None:
        doc["summary"]["suppressed"] = len(report.baseline.suppressed)
        doc["baseline"] = baseline_to_json(report.baseline)
    return doc


def finding_to_json(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "check": f.check,
        "severity": str(f.severity),
        "title": f.title,
        "region": f.region,
        "vpc_id": f.vpc_id,
        "route_table_ids": list(f.route_table_ids),
        "subnet_ids": list(f.subnet_ids),
        "nat_gateway_ids": list(f.nat_gateway_ids),
        "endpoint_id": f.endpoint_id,
        "bytes_per_month": f.bytes_per_month,
        "usd_per_month": f.usd_per_month,
        "explanation": f.explanation,
        "remediation": f.remediation,
        "money_basis": f.money_basis,
        "upper_bound": f.upper_bound,
        "doc_url": _DOCS.get(f.check),
        "traces": [path_to_json(p) for p in f.traces],
    }


def group_to_json(g: FindingGroup) -> dict[str, Any]:
    return {
        "id": g.id,
        "check": g.check,
        "severity": str(g.severity),
        "account_id": g.account_id,
        "region": g.region,
        "vpc_id": g.vpc_id,
        "findings": g.size,
        "finding_ids": list(g.finding_ids),
        "route_table_ids": list(g.route_table_ids),
        "subnet_ids": list(g.subnet_ids),
        "bytes_per_month": g.bytes_per_month,
        "usd_per_month": g.usd_per_month,
        "usd_per_month_share": g.usd_per_month_share,
        "upper_bound": g.upper_bound,
        "action": {"summary": g.action.summary, "commands": list(g.action.commands)},
    }
