"""Build small, purpose-made snapshot folders as raw describe-* JSON (the real wire shapes).

Tests describe an estate in a few lines and get a folder the loader reads exactly as it reads
`aws ec2 describe-…` output, so every scenario also exercises the loader.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACCOUNT = "111122223333"
S3_PL = {"us-east-1": "pl-63a5400a", "eu-west-1": "pl-6da54004"}
DDB_PL = {"us-east-1": "pl-02cd2c6b", "eu-west-1": "pl-6fa54006"}
# A few real S3/DynamoDB CIDRs per region (from AWS's managed prefix lists).
S3_CIDRS = {
    "us-east-1": ["52.216.0.0/15", "54.231.0.0/16", "3.5.0.0/19"],
    "eu-west-1": ["52.218.0.0/17", "3.5.64.0/21"],
}
DDB_CIDRS = {"us-east-1": ["52.94.0.0/22", "3.218.180.0/22"], "eu-west-1": ["52.119.240.0/21"]}

_counter = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}-{next(_counter):017x}"


@dataclass
class Estate:
    region: str = "us-east-1"
    account: str = ACCOUNT
    docs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extra_files: dict[str, Any] = field(default_factory=dict)

    def _add(self, key: str, item: dict[str, Any]) -> dict[str, Any]:
        self.docs.setdefault(key, []).append(item)
        return item

    def vpc(self, cidr: str = "10.0.0.0/16", *, ipv6: str | None = None) -> str:
        vpc_id = new_id("vpc")
        item: dict[str, Any] = {
            "VpcId": vpc_id,
            "CidrBlock": cidr,
            "OwnerId": self.account,
            "State": "available",
            "IsDefault": False,
            "CidrBlockAssociationSet": [
                {"CidrBlock": cidr, "CidrBlockState": {"State": "associated"}}
            ],
        }
        if ipv6:
            item["Ipv6CidrBlockAssociationSet"] = [
                {"Ipv6CidrBlock": ipv6, "Ipv6CidrBlockState": {"State": "associated"}}
            ]
        self._add("Vpcs", item)
        return vpc_id

    def subnet(
        self,
        vpc_id: str,
        cidr: str,
        zone: str = "a",
        *,
        ipv6: str | None = None,
        name: str | None = None,
    ) -> str:
        subnet_id = new_id("subnet")
        item: dict[str, Any] = {
            "SubnetId": subnet_id,
            "VpcId": vpc_id,
            "CidrBlock": cidr,
            "AvailabilityZone": f"{self.region}{zone}",
            "OwnerId": self.account,
            "State": "available",
        }
        if ipv6:
            item["Ipv6CidrBlockAssociationSet"] = [
                {"Ipv6CidrBlock": ipv6, "Ipv6CidrBlockState": {"State": "associated"}}
            ]
        if name:
            item["Tags"] = [{"Key": "Name", "Value": name}]
        self._add("Subnets", item)
        return subnet_id

    def route_table(
        self,
        vpc_id: str,
        routes: list[dict[str, Any]],
        *,
        subnets: tuple[str, ...] = (),
        main: bool = False,
        vpc_cidr: str = "10.0.0.0/16",
    ) -> str:
        rt_id = new_id("rtb")
        assocs: list[dict[str, Any]] = [
            {
                "Main": False,
                "RouteTableId": rt_id,
                "SubnetId": s,
                "RouteTableAssociationId": new_id("rtbassoc"),
                "AssociationState": {"State": "associated"},
            }
            for s in subnets
        ]
        if main:
            assocs.append(
                {
                    "Main": True,
                    "RouteTableId": rt_id,
                    "RouteTableAssociationId": new_id("rtbassoc"),
                    "AssociationState": {"State": "associated"},
                }
            )
        local = {
            "DestinationCidrBlock": vpc_cidr,
            "GatewayId": "local",
            "Origin": "CreateRouteTable",
            "State": "active",
        }
        self._add(
            "RouteTables",
            {
                "RouteTableId": rt_id,
                "VpcId": vpc_id,
                "OwnerId": self.account,
                "Associations": assocs,
                "Routes": [local, *routes],
            },
        )
        return rt_id

    def igw(self, vpc_id: str) -> str:
        igw_id = new_id("igw")
        self._add(
            "InternetGateways",
            {
                "InternetGatewayId": igw_id,
                "OwnerId": self.account,
                "Attachments": [{"VpcId": vpc_id, "State": "available"}],
            },
        )
        return igw_id

    def nat(
        self,
        vpc_id: str,
        subnet_id: str,
        private_ip: str,
        *,
        private: bool = False,
        state: str = "available",
    ) -> str:
        nat_id = new_id("nat")
        eni = new_id("eni")
        address: dict[str, Any] = {
            "NetworkInterfaceId": eni,
            "PrivateIp": private_ip,
            "IsPrimary": True,
            "Status": "succeeded",
        }
        if not private:
            address |= {"PublicIp": "54.1.2.3", "AllocationId": new_id("eipalloc")}
        self._add(
            "NatGateways",
            {
                "NatGatewayId": nat_id,
                "VpcId": vpc_id,
                "SubnetId": subnet_id,
                "State": state,
                "ConnectivityType": "private" if private else "public",
                "NatGatewayAddresses": [address],
            },
        )
        return nat_id

    def gateway_endpoint(self, vpc_id: str, service: str, route_tables: tuple[str, ...]) -> str:
        vpce = new_id("vpce")
        self._add(
            "VpcEndpoints",
            {
                "VpcEndpointId": vpce,
                "VpcEndpointType": "Gateway",
                "VpcId": vpc_id,
                "OwnerId": self.account,
                "State": "available",
                "ServiceName": f"com.amazonaws.{self.region}.{service}",
                "RouteTableIds": list(route_tables),
                "PolicyDocument": json.dumps(
                    {
                        "Version": "2008-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
                        ],
                    }
                ),
            },
        )
        return vpce

    def interface_endpoint(
        self,
        vpc_id: str,
        service: str,
        subnets: dict[str, str],
        *,
        private_dns: bool = True,
        inbound_only: bool = False,
    ) -> str:
        """``subnets`` maps subnet id → the ENI's private IP."""
        vpce = new_id("vpce")
        enis = []
        for subnet_id, ip in subnets.items():
            eni = new_id("eni")
            enis.append(eni)
            zone = next(
                s["AvailabilityZone"] for s in self.docs["Subnets"] if s["SubnetId"] == subnet_id
            )
            self._add(
                "NetworkInterfaces",
                {
                    "NetworkInterfaceId": eni,
                    "SubnetId": subnet_id,
                    "VpcId": vpc_id,
                    "AvailabilityZone": zone,
                    "InterfaceType": "vpc_endpoint",
                    "PrivateIpAddress": ip,
                    "OwnerId": self.account,
                    "PrivateIpAddresses": [{"PrivateIpAddress": ip, "Primary": True}],
                },
            )
        self._add(
            "VpcEndpoints",
            {
                "VpcEndpointId": vpce,
                "VpcEndpointType": "Interface",
                "VpcId": vpc_id,
                "OwnerId": self.account,
                "State": "available",
                "ServiceName": f"com.amazonaws.{self.region}.{service}",
                "SubnetIds": list(subnets),
                "NetworkInterfaceIds": enis,
                "PrivateDnsEnabled": private_dns,
                "DnsOptions": {
                    "DnsRecordIpType": "ipv4",
                    "PrivateDnsOnlyForInboundResolverEndpoint": inbound_only,
                },
            },
        )
        return vpce

    def instance(
        self, vpc_id: str, subnet_id: str, ip: str, *, tags: dict[str, str] | None = None
    ) -> tuple[str, str]:
        inst, eni = new_id("i"), new_id("eni")
        zone = next(
            s["AvailabilityZone"] for s in self.docs["Subnets"] if s["SubnetId"] == subnet_id
        )
        self._add(
            "NetworkInterfaces",
            {
                "NetworkInterfaceId": eni,
                "SubnetId": subnet_id,
                "VpcId": vpc_id,
                "AvailabilityZone": zone,
                "InterfaceType": "interface",
                "PrivateIpAddress": ip,
                "OwnerId": self.account,
                "Attachment": {"InstanceId": inst},
                "PrivateIpAddresses": [{"PrivateIpAddress": ip, "Primary": True}],
            },
        )
        self.docs.setdefault("Reservations", [{"OwnerId": self.account, "Instances": []}])
        self.docs["Reservations"][0]["Instances"].append(
            {
                "InstanceId": inst,
                "SubnetId": subnet_id,
                "VpcId": vpc_id,
                "PrivateIpAddress": ip,
                "Placement": {"AvailabilityZone": zone},
                "State": {"Name": "running"},
                "NetworkInterfaces": [{"NetworkInterfaceId": eni}],
                "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
            }
        )
        return inst, eni

    def prefix_lists(self) -> None:
        self._add(
            "PrefixLists",
            {
                "PrefixListId": S3_PL[self.region],
                "PrefixListName": f"com.amazonaws.{self.region}.s3",
                "Cidrs": S3_CIDRS[self.region],
            },
        )
        self._add(
            "PrefixLists",
            {
                "PrefixListId": DDB_PL[self.region],
                "PrefixListName": f"com.amazonaws.{self.region}.dynamodb",
                "Cidrs": DDB_CIDRS[self.region],
            },
        )

    def write(self, root: Path) -> Path:
        folder = root / self.account / self.region
        folder.mkdir(parents=True, exist_ok=True)
        for key, items in self.docs.items():
            (folder / f"{key}.json").write_text(json.dumps({key: items}, indent=1))
        for name, body in self.extra_files.items():
            (folder / name).write_text(body if isinstance(body, str) else json.dumps(body))
        return root


# Route shorthands, in the wire shape.
def to_nat(cidr: str, nat_id: str) -> dict[str, Any]:
    return {
        "DestinationCidrBlock": cidr,
        "NatGatewayId": nat_id,
        "Origin": "CreateRoute",
        "State": "active",
    }


def to_igw(cidr: str, igw_id: str) -> dict[str, Any]:
    key = "DestinationIpv6CidrBlock" if ":" in cidr else "DestinationCidrBlock"
    return {key: cidr, "GatewayId": igw_id, "Origin": "CreateRoute", "State": "active"}


def to_endpoint(pl_id: str, vpce: str) -> dict[str, Any]:
    return {
        "DestinationPrefixListId": pl_id,
        "GatewayId": vpce,
        "Origin": "CreateRoute",
        "State": "active",
    }


def route(cidr: str, **target: str) -> dict[str, Any]:
    key = "DestinationIpv6CidrBlock" if ":" in cidr else "DestinationCidrBlock"
    state = target.pop("State", "active")
    origin = target.pop("Origin", "CreateRoute")
    return {key: cidr, **target, "Origin": origin, "State": state}
