"""``--emit-sql athena``: the Trino query parses as Trino, and transpiled to DuckDB over the
ground-truth logs loaded as AWS's Athena table holds them, gives the engine's exact rows."""

from __future__ import annotations

import gzip
import ipaddress
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot

from tests.flows.athena_table import load_athena_table
from vpcpath.flows import FlowsRequest, analyze_flows
from vpcpath.flows.athena_sql import (
    DDL_URL,
    ROW_COLUMNS,
    ROWS_SELECT,
    address_key,
    athena_query,
)
from vpcpath.flows.athena_steps import stream_steps
from vpcpath.flows.ip_ranges_source import obtain_ip_ranges
from vpcpath.flows.snapshot_tables import ADDRESS_MACROS
from vpcpath.flows.synthetic import Truth
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices


@pytest.fixture(scope="module")
def query(sample: Snapshot) -> str:
    choice = obtain_ip_ranges(sample, path=None, allow_download=False, cache_dir=None)
    return athena_query(sample, choice.ranges, prices=load_prices(), ip_ranges_source="test")


def in_duckdb(trino: str) -> str:
    return sqlglot.transpile(trino, read="trino", write="duckdb")[0]


def run_on(folder: Path, trino: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(":memory:")
    try:
        load_athena_table(con, folder)
        return [tuple(r) for r in con.execute(in_duckdb(trino)).fetchall()]
    finally:
        con.close()


def engine_rows(sample: Snapshot, folder: Path) -> list[tuple[Any, ...]]:
    result = analyze_flows(sample, FlowsRequest(inputs=(str(folder),)), prices=load_prices())
    return [
        tuple(str(getattr(r, c)) if c == "evidence" else getattr(r, c) for c in ROW_COLUMNS)
        for r in result.nat_traffic
    ]


def test_the_query_is_trino_with_aws_ddl_on_top(query: str) -> None:
    statements = sqlglot.parse(query, read="trino")
    assert len(statements) == 1 and isinstance(statements[0], sqlglot.exp.Select)
    assert f"-- {DDL_URL}" in query
    assert "--   CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs` (" in query
    assert "--   PARTITIONED BY (`date` date)" in query
    assert 'FROM "vpc_flow_logs")' in query
    # Nothing of DuckDB's own dialect is left for Trino to refuse.
    for duckdb_only in ("ASOF", "GROUP BY ALL", "UHUGEINT", "arg_min", "ip_value"):
        assert duckdb_only not in query


def test_table_and_database_are_quoted_names(sample: Snapshot) -> None:
    sql = athena_query(sample, None, prices=load_prices(), table='my"logs', database="db")
    assert 'FROM "db"."my""logs")' in sql


@pytest.mark.parametrize("logs", ["v2_logs", "v5_logs"])
def test_transpiled_query_gives_the_engine_rows(
    request: pytest.FixtureRequest, sample: Snapshot, query: str, logs: str
) -> None:
    folder, truth = request.getfixturevalue(logs)
    assert isinstance(truth, Truth)
    expected = engine_rows(sample, folder)
    assert len(expected) > 100
    assert run_on(folder, query) == expected
    assert sum(r[7] + r[8] for r in expected) == truth.nat_bytes


def test_dash_strings_must_become_null(sample: Snapshot, query: str, v5_logs: Any) -> None:
    """AWS's table keeps ``-`` in string columns: without mapping it to NULL, a ``-`` in
    ``pkt-dst-aws-service`` would name the service ``-`` instead of classifying the address."""
    folder, _ = v5_logs
    kept = query.replace("nullif(pkt_dst_aws_service, '-')", "pkt_dst_aws_service")
    assert kept != query
    rows = run_on(folder, kept)
    assert "-" in {r[5] for r in rows}
    assert rows != engine_rows(sample, folder)


def cut(query: str, select: str) -> str:
    """The query's common tables with another final SELECT."""
    return query[: query.rindex(ROWS_SELECT)] + select


def test_negative_numbers_are_malformed(tmp_path: Path, query: str) -> None:
    folder = tmp_path / "AWSLogs" / "111122223333" / "vpcflowlogs" / "us-east-1"
    folder.mkdir(parents=True)
    lines = [
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
        "start end action log-status",
        "2 111122223333 eni-1 10.0.0.1 52.216.8.8 1 443 6 9 100 10 70 ACCEPT OK",
        "2 111122223333 eni-1 10.0.0.1 52.216.8.8 1 443 6 -9 200 10 70 ACCEPT OK",
        "2 111122223333 eni-1 10.0.0.1 52.216.8.8 1 443 6 9 12.5 10 70 ACCEPT OK",
        "2 - eni-1 10.0.0.1 52.216.8.8 1 443 6 9 400 10 70 ACCEPT NODATA",
    ]
    with gzip.open(folder / "a.log.gz", "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    sql = cut(query, "SELECT account_id, region, bytes, accepted, records, malformed FROM p")
    # The line with packets -9 is malformed, its bytes not counted; 12.5 is NULL to Athena;
    # the NODATA record's bytes never count; the S3 path supplies account and region.
    assert run_on(tmp_path, sql) == [("111122223333", "us-east-1", 100, 2, 4, 1)]


ADDRESSES = (
    "10.0.0.1",
    "255.255.255.255",
    "0.0.0.0",
    "01.2.3.4",
    "256.1.1.1",
    "1.2.3",
    "2600:1f18:abcd::1",
    "::",
    "::1",
    "FE80::0202:B3FF:FE1E:8329",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7",
    "1::2::3",
    "12345::1",
    "::ffff:1.2.3.4",
    "this",
)


def test_address_keys_match_the_engine() -> None:
    con = duckdb.connect(":memory:")
    con.execute(ADDRESS_MACROS)
    con.execute(
        "CREATE TABLE p (srcaddr VARCHAR, dstaddr VARCHAR, pkt_srcaddr VARCHAR,"
        " pkt_dstaddr VARCHAR)"
    )
    con.executemany("INSERT INTO p VALUES (?, NULL, NULL, NULL)", [[a] for a in ADDRESSES])
    parse = "WITH " + ",\n".join(stream_steps()[:3]) + " SELECT srcaddr, s_fam, s_v FROM pb"
    got = {a: (fam, v) for a, fam, v in con.execute(in_duckdb(parse)).fetchall()}
    engine = dict(
        con.execute(
            "SELECT a, ip_value(a) FROM (SELECT unnest(?) AS a)", [list(ADDRESSES)]
        ).fetchall()
    )
    for a in ADDRESSES:
        value = engine[a]
        fam = 6 if ":" in a else 4 if "." in a else None
        assert got[a] == (fam, None if value is None else address_key(fam or 0, int(value))), a
        if value is not None:
            assert int(value) == int(ipaddress.ip_address(a)), a
    assert got["10.0.0.1"] == (4, "0a000001")
    assert got["::1"] == (6, "0" * 31 + "1")
    assert got["1::2::3"] == (6, None) and got["256.1.1.1"] == (4, None)
    con.close()


def table_scans(sql: str, table: str) -> int:
    """How often ``table`` is read when every WITH query is evaluated at each reference, as
    Trino evaluates them (it does not materialise a WITH query)."""
    tree = sqlglot.parse_one(sql, read="trino")
    with_ = tree.find(sqlglot.exp.With)
    assert with_ is not None
    bodies = {c.alias: c.this for c in with_.expressions}
    with_.pop()
    memo: dict[str, int] = {}

    def reads(node: Any) -> int:
        return sum(expanded(t.name) for t in node.find_all(sqlglot.exp.Table))

    def expanded(name: str) -> int:
        if name not in bodies:
            return int(name == table)
        if name not in memo:
            memo[name] = reads(bodies[name])
        return memo[name]

    return reads(tree)


def test_the_flow_log_table_is_read_once(query: str) -> None:
    assert table_scans(query, "vpc_flow_logs") == 1
    # Must trigger: a second reference to the pairs doubles what Athena scans and bills.
    twice = query.replace(" FROM pl)", " FROM (SELECT * FROM pl UNION ALL SELECT * FROM pl) pl)")
    assert twice != query
    assert table_scans(twice, "vpc_flow_logs") == 2


def test_packed_address_classes_unpack_to_the_engine_table(sample: Snapshot) -> None:
    from vpcpath.flows.classify import address_partition

    choice = obtain_ip_ranges(sample, path=None, allow_download=False, cache_dir=None)
    sql = athena_query(sample, choice.ranges, prices=load_prices())
    got = duckdb.execute(
        in_duckdb(
            cut(
                sql,
                "SELECT family, lo, hi, service, region,"
                " gateway_service, gateway_region FROM s_classes",
            )
        )
    ).fetchall()
    expected = [
        (
            r.family,
            address_key(r.family, r.lo),
            address_key(r.family, r.hi),
            r.value.service,
            r.value.region,
            r.value.gateway_service,
            r.value.gateway_region,
        )
        for r in address_partition(sample, choice.ranges)
    ]
    assert len(expected) > 100
    assert sorted(got, key=str) == sorted(expected, key=str)


def write_gz(folder: Path, header: str, lines: list[str]) -> Path:
    """One file in AWS's S3 layout for account 111122223333 in us-east-1."""
    path = folder / "AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/05/01/flows.log.gz"
    path.parent.mkdir(parents=True)
    with gzip.open(path, "wt", encoding="ascii") as handle:
        handle.write("\n".join((header, *lines)) + "\n")
    return folder


def test_records_of_other_networks_as_the_engine(
    sample: Snapshot, query: str, tmp_path: Path
) -> None:
    from tests.flows.test_workload_match import HEADER, NAT, PROD_BATCH, other_networks

    folder = write_gz(tmp_path, HEADER, other_networks())
    rows = run_on(folder, query)
    assert rows == engine_rows(sample, folder)
    assert sorted((r[0], r[2], r[3], r[7]) for r in rows) == [
        (NAT, PROD_BATCH, "eni-069bf417deb59f0da", 1000),
        (NAT, PROD_BATCH, "eni-0fffffffffffffff1", 2000),
    ]


def test_nat_client_legs_of_unknown_sources_and_ipv6_as_the_engine(
    sample: Snapshot, query: str, tmp_path: Path
) -> None:
    from tests.flows.test_attribution import EKS_C, NAT_C, V3, rec

    legs = [
        # A pod IP no ENI lists, through the NAT ENI with pkt-* fields (both directions) ...
        {"srcaddr": "10.0.50.9", "dstaddr": "10.0.2.201", "pkt_dstaddr": "52.216.7.7"},
        {"srcaddr": "10.0.2.201", "dstaddr": "10.0.50.9", "pkt_srcaddr": "52.216.7.7"},
        # ... and its internet leg, never counted.
        {"srcaddr": "10.0.2.201", "dstaddr": "52.216.7.7", "pkt_dstaddr": "52.216.7.7"},
    ]
    lines = [
        rec(
            interface_id=NAT_C,
            pkt_srcaddr=leg.get("pkt_srcaddr", leg["srcaddr"]),
            pkt_dstaddr=leg.get("pkt_dstaddr", leg["dstaddr"]),
            bytes=300 * (i + 1),
            **{k: v for k, v in leg.items() if not k.startswith("pkt")},
        )
        for i, leg in enumerate(legs)
    ]
    lines += [
        # IPv6 from an EKS pod to the internet: never through a NAT gateway.
        rec(subnet_id=EKS_C, srcaddr="2600:1f18:4a3c:7e12::99", dstaddr="2a00:1450::1", bytes=5),
        rec(subnet_id=EKS_C, srcaddr="10.0.50.10", dstaddr="52.94.0.1", bytes=700),
        rec(
            subnet_id=EKS_C,
            srcaddr="10.0.50.11",
            dstaddr="52.94.0.2",
            bytes=900,
            pkt_dst_aws_service="DYNAMODB",
        ),
    ]
    folder = write_gz(tmp_path, V3, lines)
    rows = run_on(folder, query)
    expected = engine_rows(sample, folder)
    assert rows == expected
    # The pod's bytes, from the NAT ENI's client legs (the internet leg not counted); the
    # NAT gateway attributes directly, so the workload records are not counted again.
    assert [(r[0], r[2], r[3], r[5], r[7], r[8], r[11]) for r in rows] == [
        ("nat-0f9c0b4f18fa0b021", EKS_C, None, "S3", 300, 600, "nat-eni-pkt")
    ]


def test_nat_eni_records_cover_workloads_without_their_own(
    sample: Snapshot, query: str, v2_logs: tuple[Path, Truth], tmp_path: Path
) -> None:
    """The v2 logs without the records of one subnet's ENIs: its bytes come from the NAT
    ENI's client legs (evidence nat-eni), for that subnet only (``logged``)."""
    source, _ = v2_logs
    subnet = "subnet-04b48fe40f9d9fa52"
    enis = {e.id for e in sample.network_interfaces.values() if e.subnet_id == subnet}
    for path in source.rglob("*.log.gz"):
        target = tmp_path / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "rt") as handle:
            lines = handle.read().splitlines()
        kept = [lines[0], *(line for line in lines[1:] if line.split(" ")[2] not in enis)]
        with gzip.open(target, "wt") as handle:
            handle.write("\n".join(kept) + "\n")
    rows = run_on(tmp_path, query)
    assert rows == engine_rows(sample, tmp_path)
    assert {r[2] for r in rows if r[11] == "nat-eni"} == {subnet}
    assert subnet not in {r[2] for r in rows if r[11] == "workload-eni"}


def test_a_packet_address_of_another_family_as_the_engine(
    sample: Snapshot, query: str, tmp_path: Path
) -> None:
    # The NAT's IPv4 address as a header address and an IPv6 text of the same number as the
    # packet address: two addresses for both (the engine once took them for one).
    from tests.flows.test_attribution import NAT_C, V3, rec

    lines = [
        rec(
            interface_id=NAT_C,
            srcaddr="10.0.2.201",
            dstaddr="10.0.50.9",
            pkt_srcaddr=pkt,
            pkt_dstaddr="10.0.50.9",
            bytes=size,
        )
        for pkt, size in (("52.216.7.7", 7000), ("::a00:2c9", 40), ("10.0.2.201", 5))
    ]
    folder = write_gz(tmp_path, V3, lines)
    rows = run_on(folder, query)
    assert rows == engine_rows(sample, folder)
    assert sum(int(r[8]) for r in rows) == 7040
