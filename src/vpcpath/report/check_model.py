"""``vpcpath check``'s answer: the audit of a plan or state, tied back to Terraform code."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from vpcpath.audit.findings import Finding
from vpcpath.audit.report_model import AuditReport
from vpcpath.report.terraform_hcl import remediation_hcl
from vpcpath.sources.terraform import TerraformSource


def _natural(address: str) -> list[object]:
    """``x[2]`` before ``x[10]``."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", address)]


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    report: AuditReport
    source: TerraformSource
    ip_ranges_source: str
    locations: Mapping[str, tuple[str, int]] = field(default_factory=dict)  # address → file, line

    def addresses(self, finding: Finding) -> list[str]:
        """The Terraform addresses a finding concerns: route tables, subnets, NAT gateways,
        the endpoint it names, then the VPC."""
        endpoints = (finding.endpoint_id,) if finding.endpoint_id else ()
        found: list[str] = []
        for group in (
            finding.route_table_ids,
            finding.subnet_ids,
            finding.nat_gateway_ids,
            endpoints,
            (finding.vpc_id,),
        ):
            found += sorted(self.source.addresses_of(list(group)), key=_natural)
        return list(dict.fromkeys(found))

    def terraform_id(self, finding: Finding) -> str | None:
        """``<check>:<address>``: the finding's id with the resource's address for its id,
        which stays the same when apply turns unknown ids into real ones."""
        check, _, rest = finding.id.partition(":")
        resource, _, tail = rest.partition(":")
        address = self.source.addresses.get(resource)
        if address is None:
            return None
        return f"{check}:{address}" + (f":{tail}" if tail else "")

    def aliases(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for f in self.report.findings:
            alias = self.terraform_id(f)
            if alias:
                found[f.id] = alias
        return found

    def hcl(self, finding: Finding) -> str | None:
        return remediation_hcl(finding, self.source)

    def location(self, finding: Finding) -> tuple[str, int] | None:
        for address in self.addresses(finding):
            if address in self.locations:
                return self.locations[address]
        return None
