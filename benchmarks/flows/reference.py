"""The script a user would write: pure Python, one record at a time.

It reads each file line by line, skips the NAT gateways' own ENIs (so it does not double
count), finds each workload record's source subnet and direction, looks the remote address up
in the route table (longest prefix over the routes and their prefix lists) and in ip-ranges
(every prefix that holds it), and adds up the bytes of NAT-routed records per (subnet,
service, region). It is the baseline ``run.py`` times ``vpcpath flows`` against, and it must
agree with it byte for byte.

``cached=False`` is the straightforward script: every record is looked up. ``cached=True``
remembers each (subnet, remote) route and each remote's service — what a careful author adds
once the first version is too slow; both are measured.
"""

from __future__ import annotations

import gzip
import ipaddress
from collections.abc import Iterable
from pathlib import Path

from vpcpath.flows.synthetic.truth import Estate
from vpcpath.model import Snapshot

Key = tuple[str, str | None, str | None]


def reference(
    snapshot: Snapshot, files: Iterable[Path], *, cached: bool = False
) -> dict[Key, tuple[int, int]]:
    estate = Estate(snapshot)
    nat_enis = set(snapshot.nat_gateway_by_eni)
    subnet_of = {e.id: e.subnet_id for e in snapshot.network_interfaces.values()}
    cidrs = {
        s.id: [n for n in (s.cidr, *s.ipv6_cidrs) if n is not None]
        for s in snapshot.subnets.values()
    }
    routes: dict[tuple[str, str], str | None] = {}
    classes: dict[str, tuple[str | None, str | None]] = {}
    totals: dict[Key, list[int]] = {}
    for path in files:
        with gzip.open(path, "rt", encoding="ascii") as handle:
            names = handle.readline().split()
            at = {name: i for i, name in enumerate(names)}
            i_eni, i_src, i_dst = at["interface-id"], at["srcaddr"], at["dstaddr"]
            i_bytes, i_action = at["bytes"], at["action"]
            for line in handle:
                fields = line.split(" ")
                if len(fields) != len(names) or fields[i_action] != "ACCEPT":
                    continue
                eni = fields[i_eni]
                subnet = subnet_of.get(eni)
                if eni in nat_enis or subnet is None or not fields[i_bytes].isdigit():
                    continue
                src, dst = fields[i_src], fields[i_dst]
                if any(ipaddress.ip_address(src) in n for n in cidrs[subnet]):
                    remote, outbound = dst, True
                elif any(ipaddress.ip_address(dst) in n for n in cidrs[subnet]):
                    remote, outbound = src, False
                else:
                    continue
                key = (subnet, remote)
                if not cached or key not in routes:
                    kind, nat = estate.route(subnet, remote)
                    routes[key] = nat if kind == "nat" else None
                if routes[key] is None:
                    continue
                if not cached or remote not in classes:
                    found = estate.classify(remote)
                    classes[remote] = (found.service, found.region)
                service, region = classes[remote]
                entry = totals.setdefault((subnet, service, region), [0, 0])
                entry[0 if outbound else 1] += int(fields[i_bytes])
    return {k: (v[0], v[1]) for k, v in totals.items()}
