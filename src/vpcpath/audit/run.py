"""Run every check; a crashing check becomes an internal-error finding and the run goes on."""

from __future__ import annotations

import traceback
from collections.abc import Sequence

from vpcpath.audit.catalogue import CHECKS
from vpcpath.audit.context import AuditContext
from vpcpath.audit.findings import Finding, Severity
from vpcpath.audit.registry import Check


def run_checks(ctx: AuditContext, checks: Sequence[Check] = CHECKS) -> list[Finding]:
    findings: list[Finding] = []
    for check in checks:
        try:
            produced = list(check.run(ctx))
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            findings.append(
                Finding(
                    id=f"internal-error:{check.info.id}",
                    check="internal-error",
                    severity=Severity.HIGH,
                    title=f"check {check.info.id} failed: {type(exc).__name__}",
                    region="",
                    vpc_id="",
                    explanation=(
                        f"{type(exc).__name__}: {exc} (at {where.filename}:{where.lineno}); "
                        "its findings are missing from this report. Please report this."
                    ),
                )
            )
            continue
        findings.extend(produced)
    return findings
