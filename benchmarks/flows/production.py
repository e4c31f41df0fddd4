"""Flow logs shaped like a real account's, for ``benchmarks/flows/production_run.py``.

What the sample-shaped set of ``run.py`` lacks (issue 12): AWS's full ``ip-ranges.json``
(thousands of IPv4 and IPv6 prefixes) and hundreds of thousands of distinct remote addresses.
Here every flow talks to a remote address drawn from a pool of ``distinct`` addresses, walked
in a shuffled order so each is used: the region's S3 (55 %), DynamoDB (15 %, at most half of
its ranges' addresses; the rest moves on to the next kind), EC2 (10 %) and AMAZON (10 %) IPv4
ranges of the full file, other regions' S3 (5 %) and addresses outside every AWS range (5 %).
Files are 5-minute files in the AWS S3 layout (many small ones, the records' start times
inside each file's five minutes), in both variants of the generator
(``v2-vpc``: VPC-level default format; ``v5-nat``: NAT gateway ENIs only, with ``pkt-*``),
with REJECT records (bytes that are never attributed) and NODATA records as noise.

The truth is the generator's independent pure-Python reference (``vpcpath.flows.synthetic.
truth.Estate``: brute-force longest-prefix routing and classification per address),
memoised exactly: its answers depend on an address only through the set of networks that
hold it, so each answer is cached under that set (found with one dictionary probe per prefix
length) and every address with the same set gets the brute-force answer computed once.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import random
from collections.abc import Iterator
from pathlib import Path

from vpcpath.flows.synthetic.generator import (
    V2_HEADER,
    V5_FIELDS,
    _avoidable,
    _records,
    _v5_line,
    _Writer,
)
from vpcpath.flows.synthetic.truth import Estate, Remote, Truth
from vpcpath.model import Snapshot
from vpcpath.sources.ipranges import read_ip_ranges

Net = ipaddress.IPv4Network | ipaddress.IPv6Network
MIX = (
    ("S3", "home", 0.55),
    ("DYNAMODB", "home", 0.15),
    ("EC2", "home", 0.10),
    ("AMAZON", "home", 0.10),
    ("S3", "away", 0.05),
    (None, None, 0.05),
)


class MemoEstate(Estate):
    """``Estate`` whose answers are cached by the exact set of networks holding the address."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__(snapshot)
        nets: set[Net] = set()
        assert snapshot.ip_ranges is not None
        nets.update(p.network for p in snapshot.ip_ranges.prefixes)
        for pl in snapshot.prefix_lists.values():
            nets.update(pl.cidrs)
        for table in snapshot.route_tables.values():
            nets.update(r.destination for r in table.routes if r.destination is not None)
        for ttable in snapshot.transit.route_tables.values():
            nets.update(r.destination for r in ttable.routes if r.destination is not None)
        self._index = {(n.version, n.prefixlen, int(n.network_address)) for n in nets}
        self.aws = {
            (n.version, n.prefixlen, int(n.network_address))
            for n in (p.network for p in snapshot.ip_ranges.prefixes)
        }
        self._routes: dict[
            tuple[str, tuple[tuple[int, int, int], ...]], tuple[str, str | None]
        ] = {}
        self._classes: dict[tuple[tuple[int, int, int], ...], Remote] = {}

    def _holding(
        self, address: str, index: set[tuple[int, int, int]] | None = None
    ) -> tuple[tuple[int, int, int], ...]:
        index = self._index if index is None else index
        ip = ipaddress.ip_address(address)
        bits = ip.max_prefixlen
        value = int(ip)
        keys = ((ip.version, n, value >> (bits - n) << (bits - n)) for n in range(bits + 1))
        return tuple(key for key in keys if key in index)

    def route(self, subnet_id: str, address: str) -> tuple[str, str | None]:
        key = (subnet_id, self._holding(address))
        if key not in self._routes:
            self._routes[key] = super().route(subnet_id, address)
        return self._routes[key]

    def classify(self, address: str) -> Remote:
        key = self._holding(address)
        if key not in self._classes:
            self._classes[key] = super().classify(address)
        return dataclasses.replace(self._classes[key], address=address)


def with_ip_ranges(snapshot: Snapshot, path: Path) -> Snapshot:
    return dataclasses.replace(snapshot, ip_ranges=read_ip_ranges(path))


def remote_pool(estate: MemoEstate, rng: random.Random, distinct: int) -> list[Remote]:
    """``distinct`` different IPv4 remote addresses in the ``MIX`` proportions, classified."""
    snap = estate.snapshot
    assert snap.ip_ranges is not None
    home = sorted({w.region for w in estate.workloads})
    nets: dict[tuple[str, str], list[ipaddress.IPv4Network]] = {}
    for p in snap.ip_ranges.prefixes:
        if isinstance(p.network, ipaddress.IPv4Network):
            where = "home" if p.region in home else "away"
            nets.setdefault((p.service, where), []).append(p.network)
    chosen: set[str] = set()
    wanted = 0.0
    for service, where, share in MIX:
        wanted += distinct * share
        room = sum(n.num_addresses for n in nets[(service, where)]) if service else 1 << 32
        # The region's DynamoDB ranges hold ~12,500 addresses: take half, the rest goes on.
        want = min(int(wanted), len(chosen) + room // 2)
        while len(chosen) < want:
            if service is None:
                address = _outside_aws(estate, rng)
            else:
                assert where is not None
                net = rng.choice(nets[(service, where)])
                address = str(net.network_address + rng.randrange(net.num_addresses))
            chosen.add(address)
    ordered = sorted(chosen)
    rng.shuffle(ordered)
    return [estate.classify(a) for a in ordered]


def _outside_aws(estate: MemoEstate, rng: random.Random) -> str:
    while True:
        ip = ipaddress.IPv4Address(rng.randrange(1 << 24, 224 << 24))
        if ip.is_global and not estate._holding(str(ip), estate.aws):
            return str(ip)


def _cycle(pool: list[Remote]) -> Iterator[Remote]:
    while True:
        yield from pool


def generate_production(
    snapshot: Snapshot,
    out: Path,
    *,
    records: int,
    mode: str,
    distinct: int = 250_000,
    records_per_file: int = 20_000,
    seed: int = 12,
) -> tuple[Truth, int]:
    """Write about ``records`` records under ``out``; return the truth and the number of
    distinct remote addresses in the written records."""
    if mode not in ("v2-vpc", "v5-nat"):
        raise ValueError(mode)
    rng = random.Random(seed)
    estate = MemoEstate(snapshot)
    remotes = _cycle(remote_pool(estate, rng, distinct))
    header = V2_HEADER if mode == "v2-vpc" else " ".join(V5_FIELDS)
    writer = _Writer(out, header, records_per_file, 6)
    truth = Truth()
    seen: set[str] = set()
    t0 = 1793491200  # 2026-11-01T00:00:00Z
    nat_eni = sorted(estate.nat_eni.values())
    written = 0
    while written < records:
        w = rng.choice(estate.workloads)
        remote = next(remotes)
        kind, nat = estate.route(w.eni.subnet_id, remote.address)
        # Inside the five minutes of the file the record lands in (per region, roughly).
        start = t0 + (written // records_per_file) * 300 + rng.randrange(0, 240)
        out_b = rng.randint(200, 20_000)
        in_b = rng.randint(1_000, 4_000_000) if remote.service else rng.randint(100, 90_000)
        sport = rng.randrange(32768, 61000)
        lines = _records(mode, estate, w, remote, nat, sport, 443, start, out_b, in_b, set())
        roll = rng.random()
        account = estate.account_of[w.eni.id]
        origin = (account, w.region)
        if roll < 0.03:  # REJECT: a record that carried no traffic through anything
            line = _reject(mode, account, w.eni.id, w.address, remote.address, start)
            lines.append((origin, line))
        elif roll < 0.05:  # NODATA: an ENI with nothing to say in its interval
            eni = w.eni.id if mode == "v2-vpc" else rng.choice(nat_eni)
            lines.append((origin, _nodata(mode, account, eni, start)))
            truth.nodata += 1
        for region, line in lines:
            writer.add(region, line)
        if lines:
            seen.add(remote.address)
            first = start if truth.window_start is None else min(truth.window_start, start)
            truth.window_start = first
            truth.window_end = max(truth.window_end or 0, start + 60)
        written += len(lines)
        if nat is not None and kind == "nat":
            nat_region = snapshot.nat_gateways[nat].region
            key = (
                nat,
                w.eni.subnet_id,
                w.eni.id,
                remote.service,
                remote.region,
                _avoidable(remote, nat_region),
            )
            truth.nat[key] += out_b
            truth.nat_from[key] += in_b
    truth.records = written
    truth.files = writer.close()
    return truth, len(seen)


def _v5_status(account: str, eni: str, start: int, **more: object) -> str:
    base = {"version": 5, "account-id": account, "interface-id": eni, "start": start}
    return _v5_line({**base, "end": start + 60, **more})


def _reject(mode: str, account: str, eni: str, src: str, dst: str, start: int) -> str:
    if mode == "v2-vpc":
        return f"2 {account} {eni} {src} {dst} 40000 443 6 3 180 {start} {start + 60} REJECT OK"
    packet = {"srcaddr": src, "dstaddr": dst, "pkt-srcaddr": src, "pkt-dstaddr": dst}
    ports = {"srcport": 40000, "dstport": 443, "protocol": 6, "type": "IPv4"}
    counts = {"packets": 3, "bytes": 180, "action": "REJECT", "log-status": "OK"}
    return _v5_status(account, eni, start, **packet, **ports, **counts)


def _nodata(mode: str, account: str, eni: str, start: int) -> str:
    if mode == "v2-vpc":
        return f"2 {account} {eni} - - - - - - - {start} {start + 60} - NODATA"
    return _v5_status(account, eni, start, **{"log-status": "NODATA"})
