"""Checks as data (after cfn-lint's rules and Cloud Custodian's registry): one explicit list.

Each check has its metadata — id, title, severity, description, the AWS documentation it rests
on — and a function from the audit context to findings. ``docs/checks.md`` is generated from
this metadata (``python -m vpcpath.audit.docs``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from vpcpath.audit.context import AuditContext
from vpcpath.audit.findings import Finding, Severity


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckInfo:
    id: str
    title: str
    severity: Severity
    description: str
    doc_url: str
    remediation: str


@dataclass(frozen=True, slots=True)
class Check:
    info: CheckInfo
    run: Callable[[AuditContext], Iterable[Finding]]
