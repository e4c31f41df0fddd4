"""Small estates for audit checks: one private subnet per zone behind NAT, knobs for each trap."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.estate_builder import DDB_PL, S3_PL, Estate, route, to_endpoint, to_igw, to_nat
from vpcpath.model import Snapshot
from vpcpath.sources.folder import load_snapshot


@dataclass
class Built:
    estate: Estate
    vpc: str
    private: str
    private_rt: str
    nat: str
    second: str  # a second private subnet, zone b, on the main route table
    main_rt: str
    s3_endpoint: str | None = None
    ddb_endpoint: str | None = None


def build(
    *,
    s3_endpoint: bool = False,
    s3_on_main: bool = True,
    ddb_endpoint: bool = False,
    ddb_on_main: bool = True,
    ddb_policy: str | None = None,
    override: str | None = None,
    containers: bool = False,
    nat_zone_for_second: str = "b",
    default_target: dict[str, str] | None = None,
    s3_policy: str | None = None,
) -> Built:
    e = Estate()
    e.prefix_lists()
    vpc = e.vpc()
    public_a = e.subnet(vpc, "10.0.0.0/24", "a")
    public_b = e.subnet(vpc, "10.0.1.0/24", "b")
    igw = e.igw(vpc)
    nat_a = e.nat(vpc, public_a, "10.0.0.10")
    nat_b = e.nat(vpc, public_b, "10.0.1.10")
    e.route_table(vpc, [to_igw("0.0.0.0/0", igw)], subnets=(public_a, public_b))
    private = e.subnet(vpc, "10.0.16.0/20", "a", name="app-a")
    second = e.subnet(vpc, "10.0.32.0/20", "b", name="app-b")
    default = route("0.0.0.0/0", **default_target) if default_target else to_nat("0.0.0.0/0", nat_a)
    routes = [default] + ([to_nat(override, nat_a)] if override else [])
    private_rt = e.route_table(vpc, routes, subnets=(private,))
    second_nat = nat_a if nat_zone_for_second == "a" else nat_b
    main_rt = e.route_table(vpc, [to_nat("0.0.0.0/0", second_nat)], main=True)
    tables = {private_rt: e.docs["RouteTables"][-2], main_rt: e.docs["RouteTables"][-1]}
    s3_vpce = ddb_vpce = None
    if s3_endpoint:
        targets = (private_rt, main_rt) if s3_on_main else (private_rt,)
        s3_vpce = e.gateway_endpoint(vpc, "s3", targets)
        if s3_policy is not None:
            e.docs["VpcEndpoints"][-1]["PolicyDocument"] = s3_policy
        for rt in targets:
            tables[rt]["Routes"].append(to_endpoint(S3_PL["us-east-1"], s3_vpce))
    if ddb_endpoint:
        targets = (private_rt, main_rt) if ddb_on_main else (private_rt,)
        ddb_vpce = e.gateway_endpoint(vpc, "dynamodb", targets)
        if ddb_policy is not None:
            e.docs["VpcEndpoints"][-1]["PolicyDocument"] = ddb_policy
        for rt in targets:
            tables[rt]["Routes"].append(to_endpoint(DDB_PL["us-east-1"], ddb_vpce))
    tags = {"eks:cluster-name": "prod", "Name": "node"} if containers else {"Name": "app"}
    e.instance(vpc, private, "10.0.16.5", tags=tags)
    e.instance(vpc, second, "10.0.32.5", tags=tags)
    return Built(e, vpc, private, private_rt, nat_a, second, main_rt, s3_vpce, ddb_vpce)


def load(built: Built, tmp_path: Path) -> Snapshot:
    return load_snapshot(built.estate.write(tmp_path))
