"""Build a small two-region estate in the moto server, and write it down by hand.

Each builder method creates one resource through boto3 (over HTTP, like any AWS client) and, in
the same step, records the describe-* entry a person would write for it from the spec and the id
AWS returned — minimal fields, no tags, no OwnerId. ``write_handwritten`` turns those records
into a snapshot folder. The collector never sees these records; a test compares explain on the
hand-written folder with explain on what ``vpcpath snapshot`` collected.

Two values cannot be known before the API answers and are looked up directly: the ids and CIDRs
of the AWS-managed prefix lists (AWS fixes them per region) and the private addresses of
interface-endpoint ENIs (moto picks them at random, outside the subnet — see the moto quirks in
``tests/live/README.md``).
"""

from __future__ import annotations

import ipaddress
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

ACCOUNT = "123456789012"  # moto's default account for the "testing" keys
KEYS: dict[str, Any] = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@dataclass
class EstateBuilder:
    endpoint_url: str
    account: str = ACCOUNT
    credentials: dict[str, Any] = field(default_factory=lambda: dict(KEYS))
    ids: dict[str, str] = field(default_factory=dict)  # name → id, for tests
    addresses: dict[str, str] = field(default_factory=dict)  # instance name → private IP
    # region → top-level key → items, as a person would write describe-* files
    docs: dict[str, dict[str, list[dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    dns: dict[str, dict[str, tuple[bool, bool]]] = field(default_factory=lambda: defaultdict(dict))
    _route_tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    _vpc_cidrs: dict[str, list[str]] = field(default_factory=dict)
    _vpc_docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _clients: dict[str, Any] = field(default_factory=dict)

    def _name(self, name: str, resource_id: str) -> None:
        assert name not in self.ids, f"two resources named {name}"
        self.ids[name] = str(resource_id)

    def ec2(self, region: str) -> Any:
        if region not in self._clients:
            self._clients[region] = boto3.client(
                "ec2", region_name=region, endpoint_url=self.endpoint_url, **self.credentials
            )
        return self._clients[region]

    def vpc(self, region: str, name: str, cidr: str, *, dns_hostnames: bool = False) -> str:
        ec2 = self.ec2(region)
        vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
        if dns_hostnames:
            ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
        self._name(name, vpc_id)
        self._vpc_cidrs[vpc_id] = [cidr]
        self._vpc_docs[vpc_id] = {"VpcId": vpc_id, "CidrBlock": cidr}
        self.docs[region]["Vpcs"].append(self._vpc_docs[vpc_id])
        # AWS: DNS support on, hostnames off for a VPC made with CreateVpc.
        self.dns[region][vpc_id] = (True, dns_hostnames)
        main = ec2.describe_route_tables(
            Filters=[
                {"Name": "vpc-id", "Values": [vpc_id]},
                {"Name": "association.main", "Values": ["true"]},
            ]
        )["RouteTables"][0]["RouteTableId"]
        self._record_route_table(region, f"{name}-main", main, vpc_id, main_table=True)
        return str(vpc_id)

    def subnet(self, region: str, name: str, vpc: str, cidr: str, zone: str) -> str:
        subnet_id = self.ec2(region).create_subnet(
            VpcId=self.ids[vpc], CidrBlock=cidr, AvailabilityZone=zone
        )["Subnet"]["SubnetId"]
        self._name(name, subnet_id)
        self.docs[region]["Subnets"].append(
            {
                "SubnetId": subnet_id,
                "VpcId": self.ids[vpc],
                "AvailabilityZone": zone,
                "CidrBlock": cidr,
            }
        )
        return str(subnet_id)

    def internet_gateway(self, region: str, name: str, vpc: str) -> str:
        ec2 = self.ec2(region)
        igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=self.ids[vpc])
        self._name(name, igw)
        self.docs[region]["InternetGateways"].append(
            {
                "InternetGatewayId": igw,
                "Attachments": [{"VpcId": self.ids[vpc], "State": "available"}],
            }
        )
        return str(igw)

    def route_table(self, region: str, name: str, vpc: str, subnets: list[str]) -> str:
        ec2 = self.ec2(region)
        rt = ec2.create_route_table(VpcId=self.ids[vpc])["RouteTable"]["RouteTableId"]
        for subnet in subnets:
            ec2.associate_route_table(RouteTableId=rt, SubnetId=self.ids[subnet])
        self._record_route_table(region, name, rt, self.ids[vpc], subnets=subnets)
        return str(rt)

    def _record_route_table(
        self,
        region: str,
        name: str,
        rt: str,
        vpc_id: str,
        *,
        main_table: bool = False,
        subnets: Sequence[str] = (),
    ) -> None:
        self._name(name, rt)
        doc = {
            "RouteTableId": rt,
            "VpcId": vpc_id,
            "Routes": [
                {"DestinationCidrBlock": c, "GatewayId": "local"} for c in self._vpc_cidrs[vpc_id]
            ],
            "Associations": [{"Main": True}]
            if main_table
            else [{"Main": False, "SubnetId": self.ids[s]} for s in subnets],
        }
        self._route_tables[name] = doc
        self.docs[region]["RouteTables"].append(doc)

    def route(self, region: str, table: str, cidr: str, target: str) -> None:
        """A static route; the target's kind comes from its id prefix, as AWS's fields do."""
        target_id = self.ids[target]
        key = {
            "igw-": "GatewayId",
            "nat-": "NatGatewayId",
            "pcx-": "VpcPeeringConnectionId",
            "tgw-": "TransitGatewayId",
        }[target_id[:4]]
        self.ec2(region).create_route(
            RouteTableId=self.ids[table], DestinationCidrBlock=cidr, **{key: target_id}
        )
        self._route_tables[table]["Routes"].append({"DestinationCidrBlock": cidr, key: target_id})

    def nat_gateway(self, region: str, name: str, subnet: str) -> str:
        ec2 = self.ec2(region)
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(SubnetId=self.ids[subnet], AllocationId=allocation)[
            "NatGateway"
        ]
        self._name(name, nat["NatGatewayId"])
        address = nat["NatGatewayAddresses"][0]
        self.docs[region]["NatGateways"].append(
            {
                "NatGatewayId": nat["NatGatewayId"],
                "VpcId": nat["VpcId"],
                "SubnetId": self.ids[subnet],
                "State": "available",
                "ConnectivityType": "public",
                "NatGatewayAddresses": [
                    {
                        "NetworkInterfaceId": address["NetworkInterfaceId"],
                        "PrivateIp": address["PrivateIp"],
                        "PublicIp": address["PublicIp"],
                    }
                ],
            }
        )
        return str(nat["NatGatewayId"])

    def aws_prefix_list(self, region: str, service: str) -> tuple[str, list[str]]:
        """The id and CIDRs of ``com.amazonaws.<region>.<service>`` (fixed by AWS)."""
        ec2 = self.ec2(region)
        name = f"com.amazonaws.{region}.{service}"
        lists = ec2.describe_managed_prefix_lists(
            Filters=[{"Name": "prefix-list-name", "Values": [name]}]
        )["PrefixLists"]
        pl_id = lists[0]["PrefixListId"]
        entries = ec2.get_managed_prefix_list_entries(PrefixListId=pl_id)["Entries"]
        cidrs = [e["Cidr"] for e in entries]
        known = {d["PrefixListId"] for d in self.docs[region]["PrefixLists"]}
        if pl_id not in known:
            self.docs[region]["PrefixLists"].append(
                {"PrefixListId": pl_id, "PrefixListName": name, "Cidrs": cidrs}
            )
        return pl_id, cidrs

    def gateway_endpoint(
        self, region: str, name: str, vpc: str, service: str, tables: list[str]
    ) -> str:
        pl_id, _ = self.aws_prefix_list(region, service)
        service_name = f"com.amazonaws.{region}.{service}"
        endpoint = self.ec2(region).create_vpc_endpoint(
            VpcId=self.ids[vpc],
            ServiceName=service_name,
            VpcEndpointType="Gateway",
            RouteTableIds=[self.ids[t] for t in tables],
        )["VpcEndpoint"]["VpcEndpointId"]
        self._name(name, endpoint)
        self.docs[region]["VpcEndpoints"].append(
            {
                "VpcEndpointId": endpoint,
                "VpcEndpointType": "Gateway",
                "VpcId": self.ids[vpc],
                "ServiceName": service_name,
                "State": "available",
                "RouteTableIds": [self.ids[t] for t in tables],
            }
        )
        # AWS adds the prefix-list route to each associated table.
        for table in tables:
            self._route_tables[table]["Routes"].append(
                {"DestinationPrefixListId": pl_id, "GatewayId": endpoint}
            )
        return str(endpoint)

    def interface_endpoint(
        self, region: str, name: str, vpc: str, service: str, subnets: list[str]
    ) -> str:
        ec2 = self.ec2(region)
        service_name = f"com.amazonaws.{region}.{service}"
        endpoint = ec2.create_vpc_endpoint(
            VpcId=self.ids[vpc],
            ServiceName=service_name,
            VpcEndpointType="Interface",
            SubnetIds=[self.ids[s] for s in subnets],
            PrivateDnsEnabled=True,
        )["VpcEndpoint"]
        self._name(name, endpoint["VpcEndpointId"])
        eni_ids = list(endpoint["NetworkInterfaceIds"])
        self.docs[region]["VpcEndpoints"].append(
            {
                "VpcEndpointId": endpoint["VpcEndpointId"],
                "VpcEndpointType": "Interface",
                "VpcId": self.ids[vpc],
                "ServiceName": service_name,
                "State": "available",
                "SubnetIds": [self.ids[s] for s in subnets],
                "NetworkInterfaceIds": eni_ids,
                "PrivateDnsEnabled": True,
            }
        )
        for eni in ec2.describe_network_interfaces(NetworkInterfaceIds=eni_ids)[
            "NetworkInterfaces"
        ]:
            self._record_eni(region, eni, kind="vpc_endpoint")
            self._cover_address(region, self.ids[vpc], eni["PrivateIpAddress"])
        return str(endpoint["VpcEndpointId"])

    def _cover_address(self, region: str, vpc_id: str, address: str) -> None:
        """moto gives endpoint ENIs a random 10.x address outside their subnet; on AWS the
        address is in the subnet, so the VPC's local route covers it. Add the /16 around it
        to the VPC as a secondary CIDR (AWS then adds a local route to every table, and so
        does moto) to keep the estate as AWS would have it."""
        ip = ipaddress.ip_address(address)
        if any(ip in ipaddress.ip_network(c) for c in self._vpc_cidrs[vpc_id]):
            return
        cidr = str(ipaddress.ip_network(f"{address}/16", strict=False))
        self.ec2(region).associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock=cidr)
        self._vpc_cidrs[vpc_id].append(cidr)
        self._vpc_docs[vpc_id].setdefault("CidrBlockAssociationSet", []).append(
            {"CidrBlock": cidr, "CidrBlockState": {"State": "associated"}}
        )
        for doc in self._route_tables.values():
            if doc["VpcId"] == vpc_id:
                doc["Routes"].append({"DestinationCidrBlock": cidr, "GatewayId": "local"})

    def _record_eni(self, region: str, eni: dict[str, Any], *, kind: str) -> None:
        doc: dict[str, Any] = {
            "NetworkInterfaceId": eni["NetworkInterfaceId"],
            "SubnetId": eni["SubnetId"],
            "VpcId": eni["VpcId"],
            "AvailabilityZone": eni["AvailabilityZone"],
            "InterfaceType": kind,
            "PrivateIpAddress": eni["PrivateIpAddress"],
        }
        if eni.get("Attachment", {}).get("InstanceId"):
            doc["Attachment"] = {"InstanceId": eni["Attachment"]["InstanceId"]}
        self.docs[region]["NetworkInterfaces"].append(doc)

    def instance(self, region: str, name: str, subnet: str) -> str:
        ec2 = self.ec2(region)
        inst = ec2.run_instances(
            ImageId="ami-12c6146b",
            MinCount=1,
            MaxCount=1,
            InstanceType="t3.micro",
            SubnetId=self.ids[subnet],
        )["Instances"][0]
        self._name(name, inst["InstanceId"])
        self.addresses[name] = inst["PrivateIpAddress"]
        eni_id = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
        zone = inst["Placement"]["AvailabilityZone"]
        self.docs[region]["Reservations"].append(
            {
                "Instances": [
                    {
                        "InstanceId": inst["InstanceId"],
                        "SubnetId": self.ids[subnet],
                        "VpcId": inst["VpcId"],
                        "PrivateIpAddress": inst["PrivateIpAddress"],
                        "Placement": {"AvailabilityZone": zone},
                        "NetworkInterfaces": [{"NetworkInterfaceId": eni_id}],
                        "State": {"Name": "running"},
                    }
                ]
            }
        )
        self._record_eni(
            region,
            {
                "NetworkInterfaceId": eni_id,
                "SubnetId": self.ids[subnet],
                "VpcId": inst["VpcId"],
                "AvailabilityZone": zone,
                "PrivateIpAddress": inst["PrivateIpAddress"],
                "Attachment": {"InstanceId": inst["InstanceId"]},
            },
            kind="interface",
        )
        return str(inst["InstanceId"])

    def peering(self, region: str, name: str, requester: str, accepter: str) -> str:
        ec2 = self.ec2(region)
        pcx = ec2.create_vpc_peering_connection(
            VpcId=self.ids[requester], PeerVpcId=self.ids[accepter]
        )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
        self._name(name, pcx)
        self.docs[region]["VpcPeeringConnections"].append(
            {
                "VpcPeeringConnectionId": pcx,
                "RequesterVpcInfo": {"VpcId": self.ids[requester], "Region": region},
                "AccepterVpcInfo": {"VpcId": self.ids[accepter], "Region": region},
                "Status": {"Code": "active"},
            }
        )
        return str(pcx)

    def transit_gateway(self, region: str, name: str, vpc: str, subnets: list[str]) -> str:
        """A transit gateway with its default route table (AWS and moto make one; the VPC
        attachment is associated with it) and no routes: in the handwritten snapshot, Batfish's
        per-table shapes, which the loader reads as it reads the collector's raw answers."""
        ec2 = self.ec2(region)
        created = ec2.create_transit_gateway()["TransitGateway"]
        tgw = created["TransitGatewayId"]
        table = created["Options"]["AssociationDefaultRouteTableId"]
        attachment = ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=tgw, VpcId=self.ids[vpc], SubnetIds=[self.ids[s] for s in subnets]
        )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        self._name(name, tgw)
        self.docs[region]["TransitGatewayAttachments"].append(
            {
                "TransitGatewayAttachmentId": attachment,
                "TransitGatewayId": tgw,
                "ResourceType": "vpc",
                "ResourceId": self.ids[vpc],
                "State": "available",
                "Association": {"TransitGatewayRouteTableId": table, "State": "associated"},
            }
        )
        self.docs[region]["TransitGatewayRouteTables"].append(
            {"TransitGatewayRouteTableId": table, "TransitGatewayId": tgw, "State": "available"}
        )
        self.docs[region]["TransitGatewayVpcAttachments"].append(
            {
                "TransitGatewayAttachmentId": attachment,
                "TransitGatewayId": tgw,
                "VpcId": self.ids[vpc],
                "SubnetIds": [self.ids[s] for s in subnets],
                "State": "available",
            }
        )
        self.docs[region]["TransitGatewayStaticRoutes"].append(
            {"TransitGatewayRouteTableId": table, "Routes": []}
        )
        return str(tgw)

    def write_handwritten(self, root: Path) -> Path:
        """The recorded entries as ``<account>/<region>/<key>.json`` (names do not matter)."""
        for region, keys in self.docs.items():
            folder = root / self.account / region
            folder.mkdir(parents=True, exist_ok=True)
            for key, items in keys.items():
                (folder / f"{key}.json").write_text(json.dumps({key: items}, indent=2))
            for vpc_id, (support, hostnames) in self.dns[region].items():
                doc = {
                    "VpcId": vpc_id,
                    "EnableDnsSupport": {"Value": support},
                    "EnableDnsHostnames": {"Value": hostnames},
                }
                (folder / f"dns-{vpc_id}.json").write_text(json.dumps(doc))
        return root


def build_main_estate(endpoint_url: str) -> EstateBuilder:
    """us-east-1: VPCs prod and legacy (peered); eu-west-1: VPC analytics."""
    b = EstateBuilder(endpoint_url)
    east, west = "us-east-1", "eu-west-1"

    b.vpc(east, "prod", "10.0.0.0/16", dns_hostnames=True)
    for name, cidr, zone in (
        ("prod-public-a", "10.0.0.0/24", "us-east-1a"),
        ("prod-public-b", "10.0.1.0/24", "us-east-1b"),
        ("prod-app-a", "10.0.16.0/20", "us-east-1a"),
        ("prod-app-b", "10.0.32.0/20", "us-east-1b"),
        ("prod-app-c", "10.0.48.0/20", "us-east-1c"),
        ("prod-batch", "10.0.64.0/20", "us-east-1a"),  # no association: the main table
        ("prod-tgw-client", "10.0.80.0/20", "us-east-1b"),
    ):
        b.subnet(east, name, "prod", cidr, zone)
    b.internet_gateway(east, "prod-igw", "prod")
    b.route_table(east, "prod-public", "prod", ["prod-public-a", "prod-public-b"])
    b.route(east, "prod-public", "0.0.0.0/0", "prod-igw")
    b.nat_gateway(east, "prod-nat-a", "prod-public-a")
    b.nat_gateway(east, "prod-nat-b", "prod-public-b")
    b.route_table(east, "prod-private-a", "prod", ["prod-app-a"])
    b.route(east, "prod-private-a", "0.0.0.0/0", "prod-nat-a")
    b.route_table(east, "prod-private-b", "prod", ["prod-app-b"])
    b.route(east, "prod-private-b", "0.0.0.0/0", "prod-nat-b")
    # More specific than the S3 list's 52.216.0.0/15: beats the endpoint for half of it.
    b.route(east, "prod-private-b", "52.216.0.0/16", "prod-nat-b")
    b.route_table(east, "prod-private-c", "prod", ["prod-app-c"])
    b.route(east, "prod-private-c", "0.0.0.0/0", "prod-nat-a")  # zone c → NAT in zone a
    b.route(east, "prod-main", "0.0.0.0/0", "prod-nat-a")
    b.gateway_endpoint(east, "prod-s3", "prod", "s3", ["prod-private-a", "prod-private-b"])
    b.gateway_endpoint(
        east,
        "prod-dynamodb",
        "prod",
        "dynamodb",
        ["prod-private-a", "prod-private-b", "prod-private-c"],
    )
    b.interface_endpoint(east, "prod-ecr-api", "prod", "ecr.api", ["prod-app-a", "prod-app-b"])
    b.interface_endpoint(east, "prod-ecr-dkr", "prod", "ecr.dkr", ["prod-app-a", "prod-app-b"])
    b.transit_gateway(east, "prod-tgw", "prod", ["prod-tgw-client"])
    b.route_table(east, "prod-tgw-rt", "prod", ["prod-tgw-client"])
    b.route(east, "prod-tgw-rt", "0.0.0.0/0", "prod-tgw")
    for name in ("prod-app-a", "prod-app-b", "prod-app-c", "prod-batch"):
        b.instance(east, f"{name}-node", name)

    b.vpc(east, "legacy", "172.16.0.0/16")
    b.subnet(east, "legacy-a", "legacy", "172.16.0.0/20", "us-east-1a")
    b.route_table(east, "legacy-private", "legacy", ["legacy-a"])
    b.peering(east, "prod-legacy", "prod", "legacy")
    b.route(east, "prod-private-a", "172.16.0.0/16", "prod-legacy")
    b.route(east, "legacy-private", "10.0.0.0/16", "prod-legacy")  # and no default route
    b.instance(east, "legacy-a-node", "legacy-a")
    b.instance(east, "legacy-a-node-2", "legacy-a")  # 6 in the region: DescribeInstances pages

    b.vpc(west, "analytics", "10.20.0.0/16")
    b.subnet(west, "analytics-public-a", "analytics", "10.20.0.0/24", "eu-west-1a")
    b.subnet(west, "analytics-a", "analytics", "10.20.16.0/20", "eu-west-1a")
    b.subnet(west, "analytics-b", "analytics", "10.20.32.0/20", "eu-west-1b")
    b.internet_gateway(west, "analytics-igw", "analytics")
    b.route_table(west, "analytics-public", "analytics", ["analytics-public-a"])
    b.route(west, "analytics-public", "0.0.0.0/0", "analytics-igw")
    b.nat_gateway(west, "analytics-nat-a", "analytics-public-a")
    b.route_table(west, "analytics-private-a", "analytics", ["analytics-a"])
    b.route(west, "analytics-private-a", "0.0.0.0/0", "analytics-nat-a")
    b.route_table(west, "analytics-private-b", "analytics", ["analytics-b"])
    b.route(west, "analytics-private-b", "0.0.0.0/0", "analytics-nat-a")
    b.gateway_endpoint(west, "analytics-s3", "analytics", "s3", ["analytics-private-a"])
    b.instance(west, "analytics-a-node", "analytics-a")

    # Destinations in other regions need that region's AWS-managed lists.
    for region in (east, west):
        for service in ("s3", "dynamodb"):
            b.aws_prefix_list(region, service)
    return b
