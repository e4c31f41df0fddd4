"""Generate a large synthetic snapshot: N VPCs × M subnets, as raw describe-* JSON.

Each VPC (10.x.y.0/22-style addressing over a /16 space per VPC) has public subnets with an
internet gateway and one NAT gateway per zone, private subnets with one route table each,
an S3 gateway endpoint on most private tables (and missing on some, as in real estates),
a DynamoDB endpoint on some, and a static override route on a few.

    python benchmarks/explain/generate.py OUT_DIR [--vpcs 2000] [--subnets-per-vpc 10]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

REGIONS = ("us-east-1", "eu-west-1")
ACCOUNTS = ("111111111111", "222222222222")
S3 = {
    "us-east-1": (
        "pl-63a5400a",
        ["52.216.0.0/15", "54.231.0.0/16", "3.5.0.0/19", "16.182.0.0/16", "18.34.0.0/19"],
    ),
    "eu-west-1": ("pl-6da54004", ["52.218.0.0/17", "3.5.64.0/21", "52.92.0.0/17"]),
}
DDB = {
    "us-east-1": ("pl-02cd2c6b", ["52.94.0.0/22", "3.218.180.0/22"]),
    "eu-west-1": ("pl-6fa54006", ["52.119.240.0/21"]),
}


def hexid(prefix: str, n: int) -> str:
    return f"{prefix}-{n:017x}"


def generate(out: Path, vpcs: int, per_vpc: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    docs: dict[tuple[str, str], dict[str, list[Any]]] = {}
    counter = 0

    def nid(prefix: str) -> str:
        nonlocal counter
        counter += 1
        return hexid(prefix, counter)

    for v in range(vpcs):
        account, region = ACCOUNTS[v % 2], REGIONS[(v // 2) % 2]
        d = docs.setdefault((account, region), {})
        cidr = f"10.{v % 256}.0.0/16" if v < 256 else f"172.{16 + (v // 256) % 16}.{v % 256}.0/24"
        base = f"10.{v % 256}" if v < 256 else None
        vpc_id = nid("vpc")
        d.setdefault("Vpcs", []).append({"VpcId": vpc_id, "CidrBlock": cidr, "OwnerId": account})
        igw = nid("igw")
        d.setdefault("InternetGateways", []).append(
            {"InternetGatewayId": igw, "Attachments": [{"VpcId": vpc_id, "State": "available"}]}
        )
        zones = ("a", "b", "c")
        public_subnets, nats = [], {}
        public_rt = nid("rtb")
        for zi, zone in enumerate(zones):
            sid = nid("subnet")
            sub_cidr = f"{base}.{zi}.0/24" if base else f"{cidr.rsplit('.', 1)[0]}.{zi * 16}/28"
            d.setdefault("Subnets", []).append(
                {
                    "SubnetId": sid,
                    "VpcId": vpc_id,
                    "CidrBlock": sub_cidr,
                    "AvailabilityZone": f"{region}{zone}",
                    "OwnerId": account,
                }
            )
            public_subnets.append(sid)
            nat = nid("nat")
            nats[zone] = nat
            d.setdefault("NatGateways", []).append(
                {
                    "NatGatewayId": nat,
                    "VpcId": vpc_id,
                    "SubnetId": sid,
                    "State": "available",
                    "ConnectivityType": "public",
                    "NatGatewayAddresses": [
                        {
                            "NetworkInterfaceId": nid("eni"),
                            "PrivateIp": sub_cidr.split("/")[0][:-1] + "5",
                        }
                    ],
                }
            )
        routes_public = [
            {
                "DestinationCidrBlock": cidr,
                "GatewayId": "local",
                "Origin": "CreateRouteTable",
                "State": "active",
            },
            {
                "DestinationCidrBlock": "0.0.0.0/0",
                "GatewayId": igw,
                "Origin": "CreateRoute",
                "State": "active",
            },
        ]
        rts = d.setdefault("RouteTables", [])
        rts.append(
            {
                "RouteTableId": public_rt,
                "VpcId": vpc_id,
                "Routes": routes_public,
                "Associations": [{"Main": True, "RouteTableId": public_rt}]
                + [
                    {"Main": False, "SubnetId": s, "RouteTableId": public_rt}
                    for s in public_subnets
                ],
            }
        )
        s3_vpce, ddb_vpce = nid("vpce"), nid("vpce")
        s3_tables, ddb_tables = [], []
        for i in range(per_vpc - len(zones)):
            zone = zones[i % 3]
            sid = nid("subnet")
            sub_cidr = (
                f"{base}.{16 + i}.0/24" if base else f"{cidr.rsplit('.', 1)[0]}.{48 + i * 16}/28"
            )
            d["Subnets"].append(
                {
                    "SubnetId": sid,
                    "VpcId": vpc_id,
                    "CidrBlock": sub_cidr,
                    "AvailabilityZone": f"{region}{zone}",
                    "OwnerId": account,
                }
            )
            rt = nid("rtb")
            routes = [
                {
                    "DestinationCidrBlock": cidr,
                    "GatewayId": "local",
                    "Origin": "CreateRouteTable",
                    "State": "active",
                },
                {
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": nats[zone],
                    "Origin": "CreateRoute",
                    "State": "active",
                },
            ]
            if rng.random() < 0.8:
                routes.append(
                    {
                        "DestinationPrefixListId": S3[region][0],
                        "GatewayId": s3_vpce,
                        "Origin": "CreateRoute",
                        "State": "active",
                    }
                )
                s3_tables.append(rt)
            if rng.random() < 0.4:
                routes.append(
                    {
                        "DestinationPrefixListId": DDB[region][0],
                        "GatewayId": ddb_vpce,
                        "Origin": "CreateRoute",
                        "State": "active",
                    }
                )
                ddb_tables.append(rt)
            if rng.random() < 0.05:
                routes.append(
                    {
                        "DestinationCidrBlock": "52.216.0.0/16",
                        "NatGatewayId": nats[zone],
                        "Origin": "CreateRoute",
                        "State": "active",
                    }
                )
            rts.append(
                {
                    "RouteTableId": rt,
                    "VpcId": vpc_id,
                    "Routes": routes,
                    "Associations": [{"Main": False, "SubnetId": sid, "RouteTableId": rt}],
                }
            )
        eps = d.setdefault("VpcEndpoints", [])
        eps.append(
            {
                "VpcEndpointId": s3_vpce,
                "VpcEndpointType": "Gateway",
                "VpcId": vpc_id,
                "ServiceName": f"com.amazonaws.{region}.s3",
                "State": "available",
                "RouteTableIds": s3_tables,
            }
        )
        eps.append(
            {
                "VpcEndpointId": ddb_vpce,
                "VpcEndpointType": "Gateway",
                "VpcId": vpc_id,
                "ServiceName": f"com.amazonaws.{region}.dynamodb",
                "State": "available",
                "RouteTableIds": ddb_tables,
            }
        )
    for (account, region), d in docs.items():
        folder = out / account / region
        folder.mkdir(parents=True, exist_ok=True)
        d["PrefixLists"] = [
            {
                "PrefixListId": S3[region][0],
                "PrefixListName": f"com.amazonaws.{region}.s3",
                "Cidrs": S3[region][1],
            },
            {
                "PrefixListId": DDB[region][0],
                "PrefixListName": f"com.amazonaws.{region}.dynamodb",
                "Cidrs": DDB[region][1],
            },
        ]
        for key, items in d.items():
            (folder / f"{key}.json").write_text(json.dumps({key: items}))
    return {"vpcs": vpcs, "subnets": vpcs * per_vpc}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--vpcs", type=int, default=2000)
    parser.add_argument("--subnets-per-vpc", type=int, default=10)
    args = parser.parse_args()
    print(generate(args.out, args.vpcs, args.subnets_per_vpc))


if __name__ == "__main__":
    main()
