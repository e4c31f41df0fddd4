"""The sample estate's designed paths (src/vpcpath/sources/sample/README.md), computed."""

from __future__ import annotations

import pytest

from tests.contracts import assert_contract
from vpcpath.model import Snapshot, Verdict
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.report.explain_json import explanation_to_json
from vpcpath.routing.explain import explain

PRICES = load_bundled_prices()
V = Verdict
NAT, GW, IF, MIX = V.NAT_GATEWAY, V.GATEWAY_ENDPOINT, V.INTERFACE_ENDPOINT, V.MIXED
IGW, BH = V.INTERNET_GATEWAY, V.BLACKHOLE

# subnet: (s3, dynamodb, ecr.api, ecr.dkr, s3-layers)
EXPECTED = {
    "subnet-0696861e9575598a4": (IGW, IGW, IF, IF, IGW),  # prod-public-a
    "subnet-085300abd30e0b0c8": (GW, GW, IF, IF, GW),  # prod-eks-nodes-a
    "subnet-0317bf03de44a62f8": (MIX, GW, IF, IF, MIX),  # prod-eks-nodes-b: 52.216.0.0/16 → NAT
    "subnet-04b48fe40f9d9fa52": (NAT, GW, IF, IF, NAT),  # prod-eks-nodes-c: endpoint missing
    "subnet-06a183592e89e1674": (NAT, NAT, IF, IF, NAT),  # prod-batch: main table
    "subnet-0681f0396fae2649b": (BH, BH, IF, IF, BH),  # prod-isolated
    "subnet-0db3227a2063237ab": (IGW, IGW, IGW, IGW, IGW),  # legacy-public-a
    "subnet-0d6ded07ffccddbea": (NAT, NAT, NAT, NAT, NAT),  # legacy-private-a
    "subnet-0cf2a5124e693498e": (NAT, NAT, NAT, NAT, NAT),  # legacy-private-b, cross-AZ
    "subnet-05c61c580cb3b7f78": (GW, NAT, NAT, NAT, GW),  # analytics-a
    "subnet-04690cea4b7e4cd9a": (GW, NAT, NAT, NAT, GW),  # analytics-b
    # Centralized egress: through the transit gateway to the egress VPC's NAT gateways.
    "subnet-09eed3500faad3480": (NAT, NAT, NAT, NAT, NAT),  # client-a
    "subnet-0c8d0e2f4a6b81923": (NAT, NAT, NAT, NAT, NAT),  # platform-b
    "subnet-0d9e1f3a5b7c92a34": (NAT, NAT, NAT, NAT, NAT),  # platform-c
}


@pytest.mark.parametrize("subnet", sorted(EXPECTED))
def test_sample_paths(sample: Snapshot, subnet: str) -> None:
    results = [explain(sample, subnet, d, prices=PRICES) for d in ("s3", "dynamodb", "ecr")]
    for result in results:
        assert_contract(explanation_to_json(result), "explain-1")
    legs = [leg for result in results for leg in result.legs]
    assert tuple(leg.verdict for leg in legs) == EXPECTED[subnet]


def test_eks_c_pays_nat_and_cross_az_endpoint(sample: Snapshot) -> None:
    legs = explain(sample, "subnet-04b48fe40f9d9fa52", "ecr", prices=PRICES).legs
    use1 = PRICES.for_region("us-east-1")
    assert legs[0].usd_per_gb_in == pytest.approx(use1.interface_endpoint_gb + 2 * use1.cross_az_gb)
    assert legs[2].usd_per_gb_in == use1.nat_gateway_gb
    assert legs[2].hint == (
        "associate vpce-0ce063733efb53556 with rtb-02852e1ef289c2429: S3 then goes through the "
        "gateway endpoint at $0/GiB"
    )


def test_eks_b_mixed_split(sample: Snapshot) -> None:
    leg = explain(sample, "subnet-0317bf03de44a62f8", "s3", prices=PRICES).legs[0]
    nat_paths = [p for p in leg.paths if p.verdict is NAT]
    assert [str(c) for p in nat_paths for c in p.cidrs] == ["52.216.0.0/16"]
    assert nat_paths[0].hops[1].id == "nat-042ee1dba81478e44"


def test_legacy_b_crosses_zones(sample: Snapshot) -> None:
    leg = explain(sample, "subnet-0cf2a5124e693498e", "s3", prices=PRICES).legs[0]
    use1 = PRICES.for_region("us-east-1")
    assert leg.paths[0].facts.nat_cross_az
    assert leg.usd_per_gb_out == pytest.approx(use1.nat_gateway_gb + 2 * use1.cross_az_gb)


def test_s3_ranges_outside_the_prefix_list_use_the_default_route(sample: Snapshot) -> None:
    # 3.2.64.0/24 is S3 in ip-ranges but not in pl-63a5400a: it does not use the endpoint.
    leg = explain(sample, "subnet-085300abd30e0b0c8", "3.2.64.10", prices=PRICES).legs[0]
    assert leg.verdict is NAT


def test_other_region_s3_from_an_endpoint_subnet(sample: Snapshot) -> None:
    leg = explain(sample, "subnet-085300abd30e0b0c8", "s3:eu-west-1", prices=PRICES).legs[0]
    assert leg.verdict is NAT
    assert leg.cidr_source.startswith("prefix list pl-6da54004")
