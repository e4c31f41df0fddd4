"""The 1,000-VPC estate, audited once per test session (about half a minute)."""

from __future__ import annotations

import pytest

from tests.report.large_estate import large_estate, nat_evidence
from vpcpath.audit.engine import audit
from vpcpath.audit.report_model import AuditReport
from vpcpath.model.evidence import Evidence
from vpcpath.pricing.table import load_bundled_prices


@pytest.fixture(scope="session")
def thousand_vpcs(tmp_path_factory: pytest.TempPathFactory) -> AuditReport:
    snapshot = large_estate(tmp_path_factory.mktemp("estate") / "snapshot", 1000)
    return audit(snapshot, load_bundled_prices(), Evidence(flows=nat_evidence(snapshot)))
