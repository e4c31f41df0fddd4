"""Bucket-policy conditions on aws:SourceIp that change meaning when traffic leaves the NAT.

Through a NAT gateway, S3 sees the NAT's public address as aws:SourceIp. Through a gateway
endpoint it does not: "The source IPv4 addresses from instances in your affected subnets as
received by Amazon S3 change from public IPv4 addresses to the private IPv4 addresses in your
VPC" (VPC User Guide, "Gateway endpoints for Amazon S3"), and aws:SourceIp "is included in the
request context, except when the requester uses a VPC endpoint to make the request" (IAM User
Guide, "AWS global condition context keys"); aws:SourceVpce and aws:SourceVpc are set instead.
The S3 User Guide ("Controlling access from VPC endpoints with bucket policies",
https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html)
therefore keys such policies on aws:SourceVpce / aws:SourceVpc.

So an ``IpAddress`` condition naming the NAT's address stops holding (an Allow stops granting
access), and a ``NotIpAddress`` condition naming it starts holding (a "deny unless from our
NAT" statement starts denying).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from vpcpath.errors import UsageError
from vpcpath.policy.check import PolicyInput, as_policy
from vpcpath.policy.conditions import clause_holds
from vpcpath.policy.document import Effect

SOURCE_IP_KEY = "aws:sourceip"


class SourceIpChange(StrEnum):
    ALLOW_STOPS_MATCHING = "allow-stops-matching"  # access granted via the NAT is lost
    DENY_STARTS_MATCHING = "deny-starts-matching"  # a deny starts to hit the workloads
    ALLOW_STARTS_MATCHING = "allow-starts-matching"  # access widens
    DENY_STOPS_MATCHING = "deny-stops-matching"  # a deny no longer protects the bucket


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceIpCondition:
    """One aws:SourceIp condition whose outcome differs between the NAT and the endpoint."""

    statement: str
    effect: Effect
    operator: str
    values: tuple[str, ...]
    nat_ip: str
    holds_via_nat: bool
    holds_via_endpoint: bool
    change: SourceIpChange

    @property
    def breaks_access(self) -> bool:
        return self.change in (
            SourceIpChange.ALLOW_STOPS_MATCHING,
            SourceIpChange.DENY_STARTS_MATCHING,
        )

    @property
    def explanation(self) -> str:
        via_nat = "holds" if self.holds_via_nat else "does not hold"
        via_endpoint = "holds" if self.holds_via_endpoint else "does not hold"
        return (
            f"{self.statement} ({self.effect.value}): {self.operator} aws:SourceIp "
            f"{list(self.values)} {via_nat} for NAT address {self.nat_ip} but {via_endpoint} "
            "through the gateway endpoint, where aws:SourceIp is absent; key the statement on "
            "aws:SourceVpce or aws:SourceVpc instead"
        )


def source_ip_conditions(
    bucket_policy: PolicyInput,
    nat_public_ips: Sequence[str | ipaddress.IPv4Address | ipaddress.IPv6Address],
) -> tuple[SourceIpCondition, ...]:
    """Every aws:SourceIp condition that holds differently via the NAT and via the endpoint."""
    addresses: list[str] = []
    for address in nat_public_ips:
        try:
            addresses.append(str(ipaddress.ip_address(address)))
        except ValueError as exc:
            raise UsageError(f"{address!r} is not an IP address") from exc
    policy = as_policy(bucket_policy)
    found: list[SourceIpCondition] = []
    variables = policy.supports_variables
    for statement in policy.statements:
        for clause in statement.conditions:
            if clause.key.lower() != SOURCE_IP_KEY:
                continue
            holds_via_endpoint = clause_holds(
                clause.operator, clause.values, None, _no_value, variables=variables
            )
            for address in addresses:
                holds_via_nat = clause_holds(
                    clause.operator, clause.values, (address,), _no_value, variables=variables
                )
                if holds_via_nat == holds_via_endpoint:
                    continue
                found.append(
                    SourceIpCondition(
                        statement=statement.label,
                        effect=statement.effect,
                        operator=clause.operator.name,
                        values=clause.values,
                        nat_ip=address,
                        holds_via_nat=holds_via_nat,
                        holds_via_endpoint=holds_via_endpoint,
                        change=_change(statement.effect, holds_via_endpoint),
                    )
                )
    return tuple(found)


def _no_value(_key: str) -> str | None:
    return None


def _change(effect: Effect, holds_via_endpoint: bool) -> SourceIpChange:
    if effect is Effect.ALLOW:
        return (
            SourceIpChange.ALLOW_STARTS_MATCHING
            if holds_via_endpoint
            else SourceIpChange.ALLOW_STOPS_MATCHING
        )
    return (
        SourceIpChange.DENY_STARTS_MATCHING
        if holds_via_endpoint
        else SourceIpChange.DENY_STOPS_MATCHING
    )
