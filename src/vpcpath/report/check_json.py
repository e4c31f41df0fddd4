"""``vpcpath check --format json``: the ``vpcpath.audit/1`` contract, plus the Terraform side.

Each finding adds ``addresses`` (the Terraform resources it concerns), ``terraform_id``
(``<check>:<address>``, usable in a baseline) and ``remediation_hcl``; the document adds
``terraform`` (the file, its kind, what was not modelled, the notes). Fields are only added.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from vpcpath.report.audit_json import audit_to_json, finding_to_json
from vpcpath.report.check_model import CheckResult


def check_to_json(result: CheckResult) -> dict[str, Any]:
    doc = audit_to_json(result.report)
    doc["findings"] = [
        {
            **finding_to_json(f),
            "addresses": result.addresses(f),
            "terraform_id": result.terraform_id(f),
            "remediation_hcl": result.hcl(f),
        }
        for f in result.report.findings
    ]
    source = result.source
    doc["terraform"] = {
        "file": source.path,
        "kind": source.kind,
        "terraform_version": source.terraform_version,
        "region": source.region,
        "ip_ranges": result.ip_ranges_source,
        "unmodelled": {
            "count": len(source.unmodelled),
            "by_type": dict(sorted(Counter(t for _, t in source.unmodelled).items())),
            "addresses": [a for a, _ in source.unmodelled],
        },
        "notes": list(source.notes),
    }
    return doc
