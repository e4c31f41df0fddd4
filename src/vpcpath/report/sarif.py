"""SARIF 2.1.0 for code scanning (GitHub's upload-sarif, GitLab, any SARIF viewer).

OASIS "Static Analysis Results Interchange Format (SARIF) Version 2.1.0"; GitHub's
"SARIF support for code scanning" lists what it reads: ``tool.driver.rules`` (id, name,
short/full description, ``helpUri``, ``defaultConfiguration.level``), results with
``ruleId``, ``message.text``, a ``physicalLocation`` and ``partialFingerprints`` (to follow a
result from one run to the next). A result points at the ``.tf`` file and line of the
resource when it was found, else at the plan file, with the Terraform address as a logical
location. Accepted findings are results with an ``accepted`` suppression.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from vpcpath import __version__
from vpcpath.audit.findings import Finding, Severity
from vpcpath.audit.plan_check import STATIC_CHECKS
from vpcpath.audit.registry import CheckInfo
from vpcpath.report.check_model import CheckResult
from vpcpath.sources.terraform.locations import repository_path

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/vpcpath/"
FINGERPRINT = "vpcpathFinding/v1"
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_INTERNAL = CheckInfo(
    id="internal-error",
    title="A check failed inside vpcpath",
    severity=Severity.HIGH,
    description="A check raised an error; its findings are missing from this run.",
    doc_url=INFORMATION_URI,
    remediation="Report the error.",
)


def _rule_name(check_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", check_id) if part)


def _rule(info: CheckInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "name": _rule_name(info.id),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.description},
        "helpUri": info.doc_url or INFORMATION_URI,
        "help": {"text": f"{info.description} Fix: {info.remediation} See {info.doc_url}."},
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {"tags": ["aws", "vpc", "cost"], "severity": str(info.severity)},
    }


def fingerprint(result: CheckResult, finding: Finding) -> str:
    """Stable across runs, and across the apply that turns unknown ids into real ones: the
    check and the Terraform addresses, not the ids."""
    key = result.terraform_id(finding) or finding.id
    return hashlib.sha256(key.encode()).hexdigest()


def _location(result: CheckResult, finding: Finding) -> dict[str, Any]:
    addresses = result.addresses(finding)
    where = result.location(finding)
    physical: dict[str, Any] = {
        "artifactLocation": {
            "uri": where[0] if where else repository_path(Path(result.source.path))
        }
    }
    if where:
        physical["region"] = {"startLine": where[1]}
    location: dict[str, Any] = {"physicalLocation": physical}
    if addresses:
        location["logicalLocations"] = [
            {"name": a, "fullyQualifiedName": a, "kind": "resource"} for a in addresses
        ]
    return location


def _result(
    result: CheckResult, finding: Finding, rule_index: dict[str, int], suppression: Any
) -> dict[str, Any]:
    hcl = result.hcl(finding)
    text = f"{finding.title}. {finding.explanation}."
    out: dict[str, Any] = {
        "ruleId": finding.check if finding.check in rule_index else "internal-error",
        "ruleIndex": rule_index.get(finding.check, rule_index["internal-error"]),
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [_location(result, finding)],
        "partialFingerprints": {FINGERPRINT: fingerprint(result, finding)},
        "properties": {
            "findingId": finding.id,
            "terraformId": result.terraform_id(finding),
            "addresses": result.addresses(finding),
            "remediationHcl": hcl,
            "remediation": finding.remediation,
            "usdPerMonth": finding.usd_per_month,
            "moneyBasis": finding.money_basis,
        },
    }
    if suppression is not None:
        out["suppressions"] = [suppression]
    return out


def check_to_sarif(result: CheckResult) -> dict[str, Any]:
    infos = [c.info for c in STATIC_CHECKS] + [_INTERNAL]
    rule_index = {info.id: i for i, info in enumerate(infos)}
    report = result.report
    results = [_result(result, f, rule_index, None) for f in report.findings]
    if report.baseline is not None:
        for s in report.baseline.suppressed:
            justification = s.accepted.reason + (
                f" (until {s.accepted.expires})" if s.accepted.expires else ""
            )
            suppression = {
                "kind": "external",
                "status": "accepted",
                "justification": justification,
                "location": {
                    "physicalLocation": {
                        "artifactLocation": {"uri": repository_path(Path(report.baseline.source))}
                    }
                },
            }
            results.append(_result(result, s.finding, rule_index, suppression))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vpcpath",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(info) for info in infos],
                    }
                },
                "automationDetails": {"id": f"vpcpath/check/{result.source.path}"},
                "results": results,
                "properties": {
                    "terraformKind": result.source.kind,
                    "terraformVersion": result.source.terraform_version,
                    "region": result.source.region,
                    "prices": f"{report.price_source} ({report.price_date})",
                    "notes": list(result.source.notes),
                },
            }
        ],
    }
