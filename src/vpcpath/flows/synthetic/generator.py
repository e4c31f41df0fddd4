"""Realistic VPC Flow Logs for the bundled sample estate, with their ground truth.

Two layouts, as AWS delivers them to S3 (``AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/
<mm>/<dd>/<account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz``):

- ``v2-vpc``: VPC-level flow logs in the default format. Every ENI of every VPC is logged, so
  a flow through a NAT gateway appears on the workload's ENI and twice (client and internet
  leg) on the NAT gateway's ENI, in each direction — the double-counting trap.
- ``v5-nat``: flow logs on the NAT gateways' ENIs only, in a custom v5 format (AWS's own
  example field order) with ``pkt-srcaddr``/``pkt-dstaddr`` and ``pkt-*-aws-service``.

The truth comes from ``truth.py``, independently of vpcpath's engine (brute-force routing and
classification per address). Tests import this module with small sizes; ``run.py`` uses it
for millions of records.
"""

from __future__ import annotations

import gzip
import hashlib
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from vpcpath.flows.synthetic.truth import INTERNET6, Estate, Remote, Truth, Workload
from vpcpath.model import Snapshot

V5_FIELDS = (
    "version",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "start",
    "end",
    "type",
    "packets",
    "bytes",
    "account-id",
    "vpc-id",
    "subnet-id",
    "instance-id",
    "interface-id",
    "region",
    "az-id",
    "sublocation-type",
    "sublocation-id",
    "action",
    "tcp-flags",
    "pkt-srcaddr",
    "pkt-dstaddr",
    "pkt-src-aws-service",
    "pkt-dst-aws-service",
    "traffic-path",
    "flow-direction",
    "log-status",
)
V2_HEADER = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status"
)


def _file_name(account: str, region: str, flow_log: str, stamp: str, index: int) -> str:
    digest = hashlib.sha1(f"{region}{flow_log}{stamp}{index}".encode()).hexdigest()[:8]
    return f"{account}_vpcflowlogs_{region}_{flow_log}_{stamp}_{digest}.log.gz"


Origin = tuple[str, str]  # (account, region): whose flow log a record is in


class _Writer:
    """Spreads records over gzip files in the AWS layout, ``records_per_file`` each."""

    def __init__(self, out: Path, header: str, records_per_file: int, level: int) -> None:
        self.out, self.header, self.per_file, self.level = out, header, records_per_file, level
        self.buffers: dict[Origin, list[str]] = {}
        self.counts: Counter[Origin] = Counter()
        self.files: list[Path] = []

    def add(self, origin: Origin, line: str) -> None:
        buf = self.buffers.setdefault(origin, [])
        buf.append(line)
        if len(buf) >= self.per_file:
            self.flush(origin)

    def flush(self, origin: Origin) -> None:
        lines = self.buffers.get(origin)
        if not lines:
            return
        account, region = origin
        index = self.counts[origin]
        self.counts[origin] += 1
        minute = index * 5
        stamp = f"20261101T{minute // 60 % 24:02d}{minute % 60:02d}Z"
        folder = self.out / "AWSLogs" / account / "vpcflowlogs" / region / "2026" / "11" / "01"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / _file_name(account, region, "fl-0a1b2c3d4e5f60718", stamp, index)
        with gzip.open(path, "wt", compresslevel=self.level, encoding="ascii") as handle:
            handle.write(self.header + "\n")
            handle.write("\n".join(lines))
            handle.write("\n")
        self.files.append(path)
        self.buffers[origin] = []

    def close(self) -> list[Path]:
        for origin in list(self.buffers):
            self.flush(origin)
        return self.files


def generate(
    snapshot: Snapshot,
    out: Path,
    *,
    records: int,
    mode: str = "v2-vpc",
    seed: int = 7,
    records_per_file: int = 250_000,
    compresslevel: int = 6,
    unlogged_enis: Sequence[str] = (),
    extras: bool = True,
    remotes_per_kind: int = 20,
) -> Truth:
    """Write about ``records`` records under ``out``; return the truth they encode."""
    if mode not in ("v2-vpc", "v5-nat"):
        raise ValueError(mode)
    rng = random.Random(seed)
    estate = Estate(snapshot)
    remotes = estate.remotes(rng, per_kind=remotes_per_kind)
    by_region_remote: dict[str, list[Remote]] = {}
    for r in remotes:
        by_region_remote.setdefault(r.region or "internet", []).append(r)
    header = V2_HEADER if mode == "v2-vpc" else " ".join(V5_FIELDS)
    writer = _Writer(out, header, records_per_file, compresslevel)
    truth = Truth()
    unlogged = set(unlogged_enis)
    t0 = 1793491200  # 2026-11-01T00:00:00Z
    written = 0
    flow = 0
    while written < records:
        flow += 1
        w = rng.choice(estate.workloads)
        remote = _choose_remote(rng, w, remotes, by_region_remote)
        if rng.random() < 0.03 and w.eni.ipv6_addresses:
            # IPv6 to the internet: the egress-only internet gateway, never a NAT gateway.
            w = Workload(eni=w.eni, address=str(w.eni.ipv6_addresses[0]), region=w.region)
            remote = Remote(rng.choice(INTERNET6), None, None, None)
        kind, nat = estate.route(w.eni.subnet_id, remote.address)
        truth.routes[(w.eni.subnet_id, remote.address)] = nat if kind == "nat" else None
        truth.classes[remote.address] = (remote.service, remote.region, remote.gateway)
        sport, dport = rng.randrange(32768, 61000), 443
        for interval in range(rng.randint(1, 4)):
            start = t0 + (flow % 1440) * 60 + interval * 60
            out_b = rng.randint(200, 20_000)
            in_b = rng.randint(1_000, 40_000_000) if remote.service else rng.randint(100, 90_000)
            lines = _records(
                mode, estate, w, remote, nat, sport, dport, start, out_b, in_b, unlogged
            )
            for origin, line in lines:
                writer.add(origin, line)
            if lines:
                first = start if truth.window_start is None else min(truth.window_start, start)
                truth.window_start = first
                truth.window_end = max(truth.window_end or 0, start + 60)
            written += len(lines)
            if nat is not None and kind == "nat":
                key = (
                    nat,
                    w.eni.subnet_id,
                    w.eni.id,
                    remote.service,
                    remote.region,
                    _avoidable(remote, snapshot.nat_gateways[nat].region),
                )
                if mode == "v2-vpc" and w.eni.id in unlogged:
                    key = (nat, w.eni.subnet_id, w.eni.id, None, None, None)
                truth.nat[key] += out_b
                truth.nat_from[key] += in_b
    if extras:
        written += _extras(mode, estate, writer, truth, rng, t0)
    truth.records = written
    truth.files = writer.close()
    return truth


def _avoidable(remote: Remote, nat_region: str) -> str | None:
    if remote.gateway is not None and remote.gateway[1] == nat_region:
        return f"{remote.gateway[0]}-gateway-endpoint"
    return None


def _choose_remote(
    rng: random.Random, w: Workload, remotes: list[Remote], by_region: dict[str, list[Remote]]
) -> Remote:
    roll = rng.random()
    if roll < 0.55:
        same = [r for r in by_region.get(w.region, []) if r.service in ("S3", "DYNAMODB")]
        return rng.choice(same)
    if roll < 0.75:
        return rng.choice(by_region.get(w.region, remotes))
    if roll < 0.85:
        return rng.choice(by_region.get("internet", remotes))
    return rng.choice(remotes)


def _records(
    mode: str,
    estate: Estate,
    w: Workload,
    remote: Remote,
    nat: str | None,
    sport: int,
    dport: int,
    start: int,
    out_b: int,
    in_b: int,
    unlogged: set[str],
) -> list[tuple[Origin, str]]:
    end = start + 60
    own = (estate.account_of[w.eni.id], w.region)
    found: list[tuple[Origin, str]] = []
    eni = w.eni.id
    if mode == "v2-vpc":
        if eni not in unlogged:
            found.append(
                (own, _v2(own, eni, w.address, remote.address, sport, dport, out_b, start, end))
            )
            found.append(
                (own, _v2(own, eni, remote.address, w.address, dport, sport, in_b, start, end))
            )
        if nat is not None:
            nat_eni, nat_ip = estate.nat_eni[nat], estate.nat_ip[nat]
            at = (estate.account_of[nat_eni], estate.snapshot.nat_gateways[nat].region)
            nport = 1024 + (sport * 7) % 64000
            found.append((at, _v2(at, nat_eni, w.address, nat_ip, sport, dport, out_b, start, end)))
            found.append((at, _v2(at, nat_eni, nat_ip, w.address, dport, sport, in_b, start, end)))
            found.append(
                (at, _v2(at, nat_eni, nat_ip, remote.address, nport, dport, out_b, start, end))
            )
            found.append(
                (at, _v2(at, nat_eni, remote.address, nat_ip, dport, nport, in_b, start, end))
            )
        return found
    if nat is None:
        return found
    nat_gw = estate.snapshot.nat_gateways[nat]
    nat_eni, nat_ip = estate.nat_eni[nat], estate.nat_ip[nat]
    nport = 1024 + (sport * 7) % 64000
    svc = remote.service or "-"
    at = (estate.account_of[nat_eni], nat_gw.region)
    base = (nat_eni, nat_gw.vpc_id, nat_gw.subnet_id or "-", nat_gw.region, at[0])
    found.append(
        (
            at,
            _v5(
                base,
                w.address,
                nat_ip,
                sport,
                dport,
                out_b,
                start,
                end,
                w.address,
                remote.address,
                "-",
                svc,
                "ingress",
            ),
        )
    )
    found.append(
        (
            at,
            _v5(
                base,
                nat_ip,
                w.address,
                dport,
                sport,
                in_b,
                start,
                end,
                remote.address,
                w.address,
                svc,
                "-",
                "egress",
            ),
        )
    )
    found.append(
        (
            at,
            _v5(
                base,
                nat_ip,
                remote.address,
                nport,
                dport,
                out_b,
                start,
                end,
                nat_ip,
                remote.address,
                "-",
                svc,
                "egress",
            ),
        )
    )
    found.append(
        (
            at,
            _v5(
                base,
                remote.address,
                nat_ip,
                dport,
                nport,
                in_b,
                start,
                end,
                remote.address,
                nat_ip,
                svc,
                "-",
                "ingress",
            ),
        )
    )
    return found


def _v2(
    origin: Origin, eni: str, src: str, dst: str, sp: int, dp: int, size: int, start: int, end: int
) -> str:
    packets = max(1, size // 1400)
    account = origin[0]
    return f"2 {account} {eni} {src} {dst} {sp} {dp} 6 {packets} {size} {start} {end} ACCEPT OK"


def _v5(
    base: tuple[str, str, str, str, str],
    src: str,
    dst: str,
    sp: int,
    dp: int,
    size: int,
    start: int,
    end: int,
    psrc: str,
    pdst: str,
    psvc: str,
    dsvc: str,
    direction: str,
) -> str:
    eni, vpc, subnet, region, account = base
    packets = max(1, size // 1400)
    return (
        f"5 {src} {dst} {sp} {dp} 6 {start} {end} IPv4 {packets} {size} {account} {vpc} "
        f"{subnet} - {eni} {region} - - - ACCEPT 19 {psrc} {pdst} {psvc} {dsvc} - "
        f"{direction} OK"
    )


def _v5_line(values: dict[str, object]) -> str:
    return " ".join(str(values.get(name, "-")) for name in V5_FIELDS)


def _extras(
    mode: str, estate: Estate, writer: _Writer, truth: Truth, rng: random.Random, t0: int
) -> int:
    """NODATA, SKIPDATA, REJECT and malformed lines: counted, never attributed."""
    w = estate.workloads[0]
    nat = next(iter(sorted(estate.nat_eni)))
    lines: list[str] = []
    account = estate.account_of[w.eni.id]
    origin = (account, w.region)
    if mode == "v2-vpc":
        lines.append(f"2 {account} {w.eni.id} - - - - - - - {t0} {t0 + 60} - NODATA")
        lines.append(f"2 {account} {w.eni.id} - - - - - - - {t0} {t0 + 60} - SKIPDATA")
        lines.append(
            f"2 {account} {w.eni.id} {w.address} 52.216.8.8 1 443 6 9 999999 {t0} {t0 + 60} "
            "REJECT OK"
        )
        lines.append(f"2 {account} {w.eni.id} {w.address} 52.216.8.8 1 443 6 9 12 {t0}")
        lines.append(
            f"2 {account} {w.eni.id} {w.address} 52.216.8.8 1 443 6 9 12.5 {t0} {t0 + 60} ACCEPT OK"
        )
    else:
        nat_eni = estate.nat_eni[nat]
        origin = (estate.account_of[nat_eni], estate.snapshot.nat_gateways[nat].region)
        status = {
            "version": 5,
            "account-id": origin[0],
            "interface-id": nat_eni,
            "start": t0,
            "end": t0 + 60,
        }
        lines.append(_v5_line({**status, "log-status": "NODATA"}))
        lines.append(_v5_line({**status, "log-status": "SKIPDATA"}))
        lines.append("5 this line is cut short")
        lines.append(_v5_line({**status, "bytes": "x", "log-status": "NODATA"}))
    for line in lines:
        writer.add(origin, line)
    truth.nodata += 1
    truth.skipdata += 1
    truth.malformed += 2
    _ = rng
    return len(lines)
