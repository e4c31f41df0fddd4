"""Byte-exact attribution on generated logs whose truth is known (benchmarks/flows/generator)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from vpcpath.flows import Evidence, FlowsRequest, FlowsResult, analyze_flows
from vpcpath.flows.synthetic import Truth, generate
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices

GIB = 1 << 30


def by_subnet_service(
    result: FlowsResult,
) -> dict[tuple[str, str | None, str | None], tuple[int, int]]:
    out: dict[tuple[str, str | None, str | None], tuple[int, int]] = {}
    for row in result.nat_traffic:
        assert row.source_subnet_id is not None
        key = (row.source_subnet_id, row.service, row.service_region)
        to, back = out.get(key, (0, 0))
        out[key] = (to + row.bytes_to_destination, back + row.bytes_from_destination)
    return out


def by_full_key(result: FlowsResult) -> Counter[tuple[object, ...]]:
    found: Counter[tuple[object, ...]] = Counter()
    for r in result.nat_traffic:
        key = (
            r.nat_gateway_id,
            r.source_subnet_id,
            r.source_eni_id,
            r.service,
            r.service_region,
            r.avoidable_by,
        )
        found[key] += r.nat_bytes
    return found


def truth_by_full_key(truth: Truth) -> Counter[tuple[object, ...]]:
    found: Counter[tuple[object, ...]] = Counter()
    for key in set(truth.nat) | set(truth.nat_from):
        found[key] += truth.nat[key] + truth.nat_from[key]
    return found


def analyze(sample: Snapshot, folder: Path) -> FlowsResult:
    return analyze_flows(sample, FlowsRequest(inputs=(str(folder),)), prices=load_prices())


def test_v2_vpc_level_logs_match_the_truth(sample: Snapshot, v2_logs: tuple[Path, Truth]) -> None:
    folder, truth = v2_logs
    result = analyze(sample, folder)
    assert by_subnet_service(result) == truth.by_subnet_service()
    assert truth_by_full_key(truth) == by_full_key(result)
    assert result.nat_bytes == truth.nat_bytes
    assert result.avoidable_bytes == truth.avoidable_bytes
    assert 0 < truth.avoidable_bytes < truth.nat_bytes
    assert {r.evidence for r in result.nat_traffic} == {Evidence.WORKLOAD_ENI}
    # Every NAT ENI byte is accounted for, once: client legs == attributed == routing model.
    for c in result.coverage:
        assert c.nat_eni_logged and not c.direct
        assert c.client_leg_bytes == c.attributed_bytes == c.model_bytes == c.internet_leg_bytes
    assert (result.input.records, result.input.malformed) == (truth.records, truth.malformed)
    assert (result.input.nodata, result.input.skipdata) == (truth.nodata, truth.skipdata)


def test_v5_nat_eni_only_logs_match_the_truth(
    sample: Snapshot, v5_logs: tuple[Path, Truth]
) -> None:
    folder, truth = v5_logs
    result = analyze(sample, folder)
    assert by_subnet_service(result) == truth.by_subnet_service()
    assert truth_by_full_key(truth) == by_full_key(result)
    assert result.avoidable_bytes == truth.avoidable_bytes
    assert {r.evidence for r in result.nat_traffic} == {Evidence.NAT_ENI_PKT}
    assert all(c.direct and c.model_bytes == 0 for c in result.coverage)
    assert (result.input.records, result.input.malformed) == (truth.records, truth.malformed)


def test_dollars_are_nat_bytes_times_the_regional_price(
    sample: Snapshot, v2_logs: tuple[Path, Truth]
) -> None:
    prices = load_prices()
    result = analyze(sample, v2_logs[0])
    spokes = 0
    for row in result.nat_traffic:
        region = prices.for_region(row.nat_region)
        per_gb = region.nat_gateway_gb
        if row.transit_gateway_id is not None:
            # Centralized egress: the whole path, transit gateway processing and a zone
            # crossing (billed on both sides) where the spoke's zone has no egress subnet.
            spokes += 1
            per_gb += region.transit_gateway_gb + (
                2 * region.cross_az_gb if row.nat_cross_az else 0
            )
        assert row.usd == round(row.nat_bytes / GIB * per_gb, 6)
    assert spokes > 0
    assert result.price_source == prices.source and result.price_date == prices.date


def test_spoke_bytes_through_the_egress_nat_match_the_truth(
    sample: Snapshot, v2_logs: tuple[Path, Truth]
) -> None:
    """The hub-and-spoke part of the sample: spoke workloads reach the egress VPC's NAT
    gateways through the transit gateway. Their bytes are put on the spoke subnets (never on
    the egress VPC), exactly as the generator's own router says, and the egress NAT's
    client legs (whose source is the spoke address) agree byte for byte without being
    counted again."""
    folder, truth = v2_logs
    result = analyze(sample, folder)
    egress_nats = {"nat-0d6f708192a3b4c5d", "nat-0f8192a3b4c5d6e7f"}
    spokes = {"subnet-09eed3500faad3480", "subnet-0c8d0e2f4a6b81923", "subnet-0d9e1f3a5b7c92a34"}
    found = {k: v for k, v in by_full_key(result).items() if k[0] in egress_nats}
    expected = {k: v for k, v in truth_by_full_key(truth).items() if k[0] in egress_nats}
    assert found == expected
    assert {k[1] for k in found} == spokes
    assert all(
        r.transit_gateway_id == "tgw-0f63e5f57e429afac"
        for r in result.nat_traffic
        if r.nat_gateway_id in egress_nats
    )
    for c in result.coverage:
        if c.nat_gateway_id in egress_nats:
            assert c.client_leg_bytes == c.attributed_bytes == c.model_bytes > 0


def test_workloads_without_logs_are_covered_by_the_nat_eni_records(
    sample: Snapshot, tmp_path: Path
) -> None:
    """A v2 NAT client leg names the workload but not the remote: bytes counted, service
    unknown; the workload's other flows (logged ENIs) still come from their own records."""
    unlogged = "eni-01d9b5870047c5e53"  # prod-eks-nodes-c, through NAT c
    truth = generate(
        sample, tmp_path, records=12_000, records_per_file=3_000, unlogged_enis=(unlogged,)
    )
    result = analyze(sample, tmp_path)
    assert by_subnet_service(result) == truth.by_subnet_service()
    covered = [r for r in result.nat_traffic if r.evidence is Evidence.NAT_ENI]
    assert covered and {r.source_eni_id for r in covered} == {unlogged}
    assert all(r.service is None and r.avoidable_by is None for r in covered)
    nat_c = next(c for c in result.coverage if c.nat_gateway_id == "nat-0f9c0b4f18fa0b021")
    assert nat_c.client_leg_bytes == nat_c.attributed_bytes > nat_c.model_bytes


def test_both_kinds_of_logs_never_count_a_byte_twice(
    sample: Snapshot, v2_logs: tuple[Path, Truth], v5_logs: tuple[Path, Truth]
) -> None:
    """VPC-level v2 logs and NAT-only v5 logs read together: a NAT gateway with pkt-* records
    is attributed from them alone. Its other records (v2 here) are taken for a second flow log
    of the same traffic, and the workload records routed to it only cross-check — so the sum is
    the v5 truth, never v2 + v5 (the two sets differ here only to make that visible)."""
    result = analyze_flows(
        sample,
        FlowsRequest(inputs=(str(v2_logs[0]), str(v5_logs[0]))),
        prices=load_prices(),
    )
    assert result.nat_bytes == v5_logs[1].nat_bytes
    assert all(c.direct for c in result.coverage)


@pytest.mark.parametrize("mode", ["v2-vpc", "v5-nat"])
def test_window_covers_the_records(sample: Snapshot, tmp_path: Path, mode: str) -> None:
    truth = generate(sample, tmp_path, records=2_000, mode=mode, extras=False)
    result = analyze(sample, tmp_path)
    assert (result.window_start, result.window_end) == (truth.window_start, truth.window_end)
    assert truth.window_start is not None and truth.window_start >= 1793491200  # 2026-11-01


def test_helpers_for_the_audit(sample: Snapshot, v2_logs: tuple[Path, Truth]) -> None:
    folder, truth = v2_logs
    result = analyze(sample, folder)
    assert result.window_seconds == (truth.window_end or 0) - (truth.window_start or 0)
    prod_c = "subnet-04b48fe40f9d9fa52"
    expected = sum(
        truth.nat[k] + truth.nat_from[k]
        for k in set(truth.nat) | set(truth.nat_from)
        if k[1] == prod_c and k[5] == "s3-gateway-endpoint"
    )
    assert expected > 0
    assert (
        result.nat_bytes_where(source_subnet_id=prod_c, avoidable_by="s3-gateway-endpoint")
        == expected
    )
    assert result.nat_bytes_where() == result.nat_bytes


def test_parquet_copy_of_the_v5_logs_matches_the_truth(
    sample: Snapshot, v5_logs: tuple[Path, Truth], tmp_path: Path
) -> None:
    """The same NAT-ENI-only v5 records as Parquet (columns with ``_``, typed integers)."""
    pa_csv = pytest.importorskip("pyarrow.csv")
    pq = pytest.importorskip("pyarrow.parquet")
    folder, truth = v5_logs
    for i, path in enumerate(sorted(folder.rglob("*.log.gz"))):
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(),
            parse_options=pa_csv.ParseOptions(delimiter=" ", invalid_row_handler=lambda _: "skip"),
            convert_options=pa_csv.ConvertOptions(null_values=["-"], strings_can_be_null=True),
        )
        table = table.rename_columns([c.replace("-", "_") for c in table.column_names])
        pq.write_table(table, tmp_path / f"part-{i}.log.parquet")
    result = analyze(sample, tmp_path)
    assert by_subnet_service(result) == truth.by_subnet_service()
    assert result.avoidable_bytes == truth.avoidable_bytes
    assert {f.split(":")[0] for f in result.input.formats} == {"parquet"}
