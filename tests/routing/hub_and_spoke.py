"""A centralized-egress estate: two spokes, one egress VPC with a NAT gateway per zone.

spoke-1 (10.1.0.0/16): workloads in zone a, attachment subnet in zone a.
spoke-2 (10.2.0.0/16): workloads in zones b and c, attachment subnets in b and c.
egress  (10.100.0.0/16): attachment subnets and public subnets (NAT gateway each) in a and b;
each attachment subnet's table sends 0.0.0.0/0 to the NAT gateway of its zone.
Transit gateway tables: "spokes" (associated with both spokes) has a static 0.0.0.0/0 to the
egress attachment; "egress" (associated with the egress attachment) has the spokes' CIDRs by
propagation.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.estate_builder import Estate, to_igw, to_nat
from tests.transit_builder import (
    propagation,
    tgw,
    tgw_route,
    tgw_table,
    to_tgw,
    vpc_attachment,
)


@dataclass
class HubAndSpoke:
    estate: Estate
    tgw: str
    spokes_table: str
    egress_table: str
    spoke1: str
    spoke1_a: str
    spoke1_rt: str
    spoke1_att: str
    spoke2: str
    spoke2_b: str
    spoke2_c: str
    spoke2_att: str
    egress: str
    egress_att: str
    egress_att_subnets: dict[str, str]
    egress_att_tables: dict[str, str]
    public_table: str
    nats: dict[str, str]
    igw: str


def hub_and_spoke(*, appliance_mode: bool = False) -> HubAndSpoke:
    e = Estate()
    e.prefix_lists()
    tgw_id = tgw(e)
    spokes_table = tgw_table(e, tgw_id)
    egress_table = tgw_table(e, tgw_id)

    egress = e.vpc("10.100.0.0/16")
    igw = e.igw(egress)
    nats: dict[str, str] = {}
    public_subnets = []
    att_subnets: dict[str, str] = {}
    for n, zone in enumerate("ab"):
        public = e.subnet(egress, f"10.100.{n}.0/24", zone)
        public_subnets.append(public)
        nats[zone] = e.nat(egress, public, f"10.100.{n}.10")
        att_subnets[zone] = e.subnet(egress, f"10.100.{100 + n}.0/28", zone)
    public_table = e.route_table(
        egress,
        [to_igw("0.0.0.0/0", igw), to_tgw("10.0.0.0/8", tgw_id)],
        subnets=tuple(public_subnets),
        vpc_cidr="10.100.0.0/16",
    )
    att_tables = {
        zone: e.route_table(
            egress,
            [to_nat("0.0.0.0/0", nats[zone]), to_tgw("10.0.0.0/8", tgw_id)],
            subnets=(att_subnets[zone],),
            vpc_cidr="10.100.0.0/16",
        )
        for zone in "ab"
    }
    egress_att = vpc_attachment(
        e,
        tgw_id,
        egress,
        tuple(att_subnets.values()),
        table=egress_table,
        appliance_mode=appliance_mode,
    )

    spoke1 = e.vpc("10.1.0.0/16")
    spoke1_a = e.subnet(spoke1, "10.1.0.0/20", "a")
    spoke1_att_subnet = e.subnet(spoke1, "10.1.240.0/28", "a")
    spoke1_rt = e.route_table(
        spoke1,
        [to_tgw("0.0.0.0/0", tgw_id)],
        subnets=(spoke1_a, spoke1_att_subnet),
        vpc_cidr="10.1.0.0/16",
    )
    spoke1_att = vpc_attachment(e, tgw_id, spoke1, (spoke1_att_subnet,), table=spokes_table)

    spoke2 = e.vpc("10.2.0.0/16")
    spoke2_b = e.subnet(spoke2, "10.2.16.0/20", "b")
    spoke2_c = e.subnet(spoke2, "10.2.32.0/20", "c")
    spoke2_att_b = e.subnet(spoke2, "10.2.240.0/28", "b")
    spoke2_att_c = e.subnet(spoke2, "10.2.240.16/28", "c")
    e.route_table(
        spoke2,
        [to_tgw("0.0.0.0/0", tgw_id)],
        subnets=(spoke2_b, spoke2_c, spoke2_att_b, spoke2_att_c),
        vpc_cidr="10.2.0.0/16",
    )
    spoke2_att = vpc_attachment(e, tgw_id, spoke2, (spoke2_att_b, spoke2_att_c), table=spokes_table)

    tgw_route(e, spokes_table, "0.0.0.0/0", egress_att)
    propagation(e, egress_table, spoke1_att, spoke1)
    propagation(e, egress_table, spoke2_att, spoke2)
    return HubAndSpoke(
        estate=e,
        tgw=tgw_id,
        spokes_table=spokes_table,
        egress_table=egress_table,
        spoke1=spoke1,
        spoke1_a=spoke1_a,
        spoke1_rt=spoke1_rt,
        spoke1_att=spoke1_att,
        spoke2=spoke2,
        spoke2_b=spoke2_b,
        spoke2_c=spoke2_c,
        spoke2_att=spoke2_att,
        egress=egress,
        egress_att=egress_att,
        egress_att_subnets=att_subnets,
        egress_att_tables=att_tables,
        public_table=public_table,
        nats=nats,
        igw=igw,
    )
