"""``--engine spark``: the Spark scan gives the DuckDB engine's results, byte for byte.

One SparkSession for the run (local, two cores, no UI); the engine reuses an active
session and leaves it running. Skipped only when pyspark is not installed (``make test``
installs the ``spark`` extra).
"""

from __future__ import annotations

import builtins
import gzip
from pathlib import Path
from typing import Any

import pytest

from tests.flows.test_scan_origins import write_many_origins
from vpcpath.errors import FlowLogError
from vpcpath.flows import FlowsRequest, FlowsResult, analyze_flows
from vpcpath.flows.engine_spark import SparkOptions, spark_session
from vpcpath.flows.fields import DEFAULT_FORMAT
from vpcpath.flows.spark_jar import find_javac
from vpcpath.flows.spark_jvm import PARSER_ENV
from vpcpath.flows.synthetic import Truth
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices
from vpcpath.sources.sample_estate import load_sample

pytestmark = [pytest.mark.spark, pytest.mark.usefixtures("parser_jar_cache")]


@pytest.fixture(params=["sql", "jvm"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each parity test twice: text read by the SQL rules alone, and by the JVM parser."""
    if request.param == "jvm" and find_javac() is None:
        pytest.skip("no javac: the JVM parser cannot be built (.ci/run installs a JDK)")
    monkeypatch.setenv(PARSER_ENV, request.param)
    return str(request.param)


def analyze(sample: Snapshot, *inputs: Path, spark: bool) -> FlowsResult:
    request = FlowsRequest(
        inputs=tuple(str(p) for p in inputs), spark=SparkOptions() if spark else None
    )
    return analyze_flows(sample, request, prices=load_prices())


def assert_same(duck: FlowsResult, spark: FlowsResult) -> None:
    assert spark.nat_traffic == duck.nat_traffic
    assert spark.coverage == duck.coverage
    assert spark.bytes_by_verdict == duck.bytes_by_verdict
    assert spark.buckets == duck.buckets
    assert (spark.window_start, spark.window_end) == (duck.window_start, duck.window_end)
    s, d = spark.input, duck.input
    assert (s.files, s.bytes_read, s.records, s.malformed, s.nodata, s.skipdata) == (
        d.files,
        d.bytes_read,
        d.records,
        d.malformed,
        d.nodata,
        d.skipdata,
    )
    assert (s.errors, s.formats) == (d.errors, d.formats)
    assert (spark.unattributed, spark.matched_records) == (duck.unattributed, duck.matched_records)


def test_origin_headerless_and_other_networks_match_duckdb(
    spark: Any, parser: str, tmp_path: Path
) -> None:
    """Records placed by their S3 path, read with --fields, or of networks the snapshot lacks:
    both engines attribute (and refuse) the same."""
    from tests.flows.test_workload_match import HEADER, record

    lines = [
        record("eni-069bf417deb59f0da", 1000),
        record("eni-0fffffffffffffff1", 2000),
        record("eni-0fffffffffffffff2", 4000, vpc="vpc-0abc0000000000000"),
        record("eni-069bf417deb59f0da", 8000, region="eu-west-1"),
        record("eni-0fffffffffffffff3", 16000, src="10.99.0.5"),
    ]
    headed = tmp_path / "headed.log"
    headed.write_text("\n".join((HEADER, *lines)) + "\n")
    bare = tmp_path / "bare.log"
    bare.write_text("\n".join(" ".join(line.split(" ")[:14]) for line in lines) + "\n")
    folder = tmp_path / "AWSLogs" / "111122223333" / "vpcflowlogs" / "ap-south-1" / "2024/05/01"
    folder.mkdir(parents=True)
    placed = folder / "111122223333_vpcflowlogs_ap-south-1_fl-1_20240501T0000Z_h.log.gz"
    with gzip.open(placed, "wt") as handle:
        handle.write(" ".join(DEFAULT_FORMAT) + "\n" + " ".join(lines[1].split(" ")[:14]) + "\n")
    results = []
    for engine in (None, SparkOptions()):
        request = FlowsRequest(
            inputs=(str(headed), str(bare), str(placed)), fields=DEFAULT_FORMAT, spark=engine
        )
        results.append(analyze_flows(load_sample(), request, prices=load_prices()))
    duck, spark_result = results
    assert_same(duck, spark_result)
    # headed: 1000 + 2000; bare (no vpc-id/region, so placed by address): 1000 + 2000 +
    # 4000 + 8000; placed: its region is not the snapshot's.
    assert duck.nat_bytes == 18000
    assert [(u.reason, u.bytes) for u in duck.unattributed] == [
        ("address-in-no-subnet", 32000),
        ("conflicting-ids", 8000),
        ("vpc-not-in-snapshot", 4000),
        ("region-not-in-snapshot", 2000),
    ]


def test_files_of_many_origins_are_one_branch_and_match_duckdb(
    spark: Any, parser: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files whose S3 paths name other accounts and regions (the records lack both fields,
    or say ``unknown``): one Spark statement with one branch per format, not per origin, and
    both engines place every record by its own file's path."""
    write_many_origins(tmp_path)
    statements: list[str] = []
    original = spark.sql

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        statements.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(spark, "sql", counting)
    duck, spark_result = (analyze(load_sample(), tmp_path, spark=on) for on in (False, True))
    assert_same(duck, spark_result)
    # Three formats (two text, one Parquet), seven files of five origins: one statement of
    # three branches (and, with the JVM parser, its pairs of each text format).
    assert [text.count(" UNION ALL ") for text in statements] == [2 if parser == "sql" else 4]
    # Only the files of the sample's own account and region are attributed (100 + 200,
    # twice each, and 3200); the ENI placed in another account or region by its path is not.
    assert duck.nat_bytes == 3800
    assert [(u.reason, u.bytes) for u in duck.unattributed] == [("conflicting-ids", 12000)]


@pytest.mark.parametrize("logs", ["v2_logs", "v5_logs"])
def test_spark_equals_duckdb_and_the_truth(
    spark: Any, parser: str, sample: Snapshot, logs: str, request: pytest.FixtureRequest
) -> None:
    folder, truth = request.getfixturevalue(logs)
    duck = analyze(sample, folder, spark=False)
    result = analyze(sample, folder, spark=True)
    assert_same(duck, result)
    assert result.nat_bytes == truth.nat_bytes
    assert result.avoidable_bytes == truth.avoidable_bytes
    assert (result.input.records, result.input.malformed) == (truth.records, truth.malformed)
    assert (result.input.nodata, result.input.skipdata) == (truth.nodata, truth.skipdata)
    # Spark cannot number lines: its examples are found again in their files by Python.
    assert result.input.malformed_examples
    for example in result.input.malformed_examples:
        assert example.line is not None and example.line > 1
        with gzip.open(example.file, "rt", encoding="utf-8", errors="replace") as handle:
            assert handle.read().split("\n")[example.line - 1] == example.text


V2 = " ".join(DEFAULT_FORMAT)
LINE = "2 1 eni-0a 10.0.0.5 52.216.1.1 {sport} 443 6 3 {b} {start} 160 {action} OK"


def tricky_inputs(folder: Path) -> list[Path]:
    """Every validation rule of docs/architecture.md "Flow-log semantics", in text, gzip and
    Parquet."""
    lines = [
        LINE.format(sport=1, b=100, start=100, action="ACCEPT"),
        LINE.format(sport=1, b=100, start=90, action="REJECT"),  # no bytes, in the window
        LINE.format(sport=1, b="007", start=100, action="ACCEPT"),  # leading zeros: 7
        LINE.format(sport=1, b="9223372036854775807", start=100, action="ACCEPT"),
        LINE.format(sport=1, b="9223372036854775808", start=100, action="ACCEPT"),  # too big
        LINE.format(sport=1, b="0000000000000000001", start=100, action="ACCEPT"),  # 19 digits
        LINE.format(sport=1, b="1.5", start=100, action="ACCEPT"),  # bytes not an integer
        LINE.format(sport=1, b="-5", start=100, action="ACCEPT"),
        LINE.format(sport=-1, b=50, start=100, action="ACCEPT"),  # negative port: not ok
        LINE.format(sport="x", b=50, start=100, action="ACCEPT"),  # refused by the reader
        LINE.format(sport=1, b=50, start=100, action="ACCEPT") + " extra",
        LINE.format(sport=1, b=50, start=100, action="ACCEPT").rsplit(" ", 1)[0],
        LINE.format(sport=1, b=50, start=100, action="ACCEPT").replace(" 443", "  443"),
        "",  # empty lines are skipped, not counted
        "2 1 eni-0b - - - - - - - 100 160 - NODATA",
        "2 1 eni-0b - - - - - - - 100 160 - SKIPDATA",
        "2 1 eni-0b - - - - - - x 100 160 - NODATA",  # malformed, not NODATA
        V2,  # a header again (files concatenated): a malformed record
        LINE.format(sport=1, b=5, start=50, action="ACCEPT").replace("eni-0a", "eni-\udcff"),
        LINE.format(sport=1, b="-", start=100, action="ACCEPT"),
        # Numbers that do not print back as themselves take the rules' own checks.
        LINE.format(sport="+7", b=60, start=100, action="ACCEPT"),  # ok: 7
        LINE.format(sport="07", b="0", start=100, action="ACCEPT"),  # ok: 7, no bytes
        LINE.format(sport=9, b="+5", start=100, action="ACCEPT"),  # bytes not plain digits
        LINE.format(sport=9, b="0", start="0100", action="ACCEPT"),  # start 100
        # Bytes beyond a BIGINT once summed: 10 x (10^18 - 1), exact.
        *[LINE.format(sport=2, b="9" * 18, start=100, action="ACCEPT").replace("eni-0a", "eni-0e")]
        * 10,
    ]
    text = "\n".join([V2, *lines]) + "\n"
    data = text.encode("utf-8", errors="surrogateescape")
    plain = folder / "_plain.log"  # Spark skips names starting with _ unless linked
    plain.write_bytes(data)
    crlf = folder / "crlf.log"
    crlf.write_bytes(data.replace(b"\n", b"\r\n"))
    packed = folder / "packed.log"  # gzip without a .gz name
    packed.write_bytes(gzip.compress(data))
    header_only = folder / "empty.log.gz"
    header_only.write_bytes(gzip.compress((V2 + "\n").encode()))
    fields = (
        "log-status action end start bytes interface-id srcaddr dstaddr"
        " pkt-srcaddr pkt-dstaddr pkt-dst-aws-service"
    )
    custom = folder / "custom.log.gz"
    custom.write_bytes(
        gzip.compress(
            f"{fields}\nOK ACCEPT 200 140 12 eni-0c 10.0.1.5 52.216.1.1 10.0.1.5 52.216.1.1 S3\n"
            "OK ACCEPT 200 140 13 eni-0c 10.0.1.5 52.216.1.1 - - -\n"
            "OK ACCEPT 200 140 x eni-0c 10.0.1.5 52.216.1.1 - - -\n".encode()
        )
    )
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    parquet = folder / "rows.parquet"
    pq.write_table(
        pa.table(
            {
                "interface_id": ["eni-0d", "eni-0d", "eni-0d", "eni-0d"],
                "srcaddr": ["10.0.2.5", "10.0.2.5", None, "10.0.2.5"],
                "dstaddr": ["52.216.1.1", "52.216.1.1", None, "52.216.1.1"],
                "bytes": ["1200", "-", "x", "-7"],
                "start": pa.array([10, 10, 10, None], pa.int64()),
                "end": pa.array([20, 20, 20, 30], pa.int64()),
                "action": ["ACCEPT", "ACCEPT", None, "ACCEPT"],
                "log_status": ["OK", "OK", "NODATA", "OK"],
            }
        ),
        parquet,
    )
    return [plain, crlf, packed, header_only, custom, parquet]


PAIRS = (
    "SELECT interface_id, subnet_id, instance_id, srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr,"
    " pkt_src_aws_service, pkt_dst_aws_service, sum(bytes), sum(accepted), sum(records),"
    " sum(malformed), sum(nodata), sum(skipdata), min(first_start), max(last_end)"
    " FROM pairs GROUP BY ALL ORDER BY ALL"
)


def test_every_validation_rule_matches_duckdb(spark: Any, parser: str, tmp_path: Path) -> None:
    from vpcpath.flows.engine_duckdb import Engine
    from vpcpath.flows.engine_spark import SparkEngine
    from vpcpath.flows.readers import read_format
    from vpcpath.flows.scan_engine import ScanFile

    paths = tricky_inputs(tmp_path)
    files = [
        ScanFile(path=p, location=str(p), size=p.stat().st_size, format=read_format(p, str(p)))
        for p in paths
    ]
    with Engine() as duck, SparkEngine() as engine:
        assert engine.parser == parser
        duck.scan(files)
        engine.scan(files)
        assert engine.con.execute(PAIRS).fetchall() == duck.con.execute(PAIRS).fetchall()
        assert engine.rejected_lines()[0] == duck.rejected_lines()[0] > 0
        examples = engine.rejected_lines()[1]
    # One example per flow pair (per file for refused lines), numbered in its file.
    assert [(e.file, e.line) for e in examples] == sorted((e.file, e.line or 0) for e in examples)
    assert len(examples) == 5
    for e in examples:
        raw = Path(e.file).read_bytes()
        text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode(errors="replace")
        assert e.line is not None and text.splitlines()[e.line - 1] == e.text
    assert examples[0].reason == "a numeric field holds a negative number"
    assert examples[2].reason == "bytes is 'x', not an integer or '-'"


def test_numbers_printed_as_themselves_skip_only_checks_they_pass(spark: Any) -> None:
    """A numeric field whose text is its number's own (``_canonical``) takes its value without
    the rules' checks; every other spelling gets exactly what the rules give it."""
    from vpcpath.flows.scan_rules import STRICT_BYTES, render
    from vpcpath.flows.spark_readers import _canonical, _checked_integer, _integer

    texts = [
        "0", "7", "10", "99", "100", "1793491740", "9223372036854775807", "999999999999999999",
        "+7", "-7", "-0", "+0", "00", "07", "0100", " 7", "7 ", "\t7", "7\r", "1.5", "7.",
        "1e3", "0x10", "1_000", "", "x", "9223372036854775808", "0000000000000000001",
        "+922337203685477580", "\u0661", "\uff17",
    ]  # fmt: skip
    frame = spark.createDataFrame([(t,) for t in texts], "c STRING").selectExpr(
        "c", "TRY_CAST(c AS BIGINT) AS t"
    )
    rows = frame.selectExpr(
        "c",
        f"coalesce({_canonical('c', 't')}, false) AS fast",
        f"{_checked_integer('c', 't')} AS checked",
        f"{_integer('c')} AS rule",
        f"CASE WHEN {_canonical('c', 't')} THEN true ELSE {render(STRICT_BYTES, 'c', 'spark')} END"
        " AS bytes_checked",
        f"{render(STRICT_BYTES, 'c', 'spark')} AS bytes_rule",
    ).collect()
    assert [r.c for r in rows if r.fast] == [
        "0", "7", "10", "99", "100", "1793491740", "9223372036854775807", "999999999999999999"
    ]  # fmt: skip
    assert [(r.c, r.checked) for r in rows] == [(r.c, r.rule) for r in rows]
    assert [(r.c, r.bytes_checked) for r in rows] == [(r.c, r.bytes_rule) for r in rows]
    # (Java's ``$`` also matches before a last line terminator: ``7\r`` is 7 for the rule.)
    assert [r.c for r in rows if r.rule is not None and not r.fast] == [
        "+7", "-7", "-0", "+0", "00", "07", "0100", "7\r", "0000000000000000001",
        "+922337203685477580",
    ]  # fmt: skip


def test_damaged_gzip_is_salvaged_like_duckdb(
    spark: Any, parser: str, sample: Snapshot, tmp_path: Path, v2_logs: tuple[Path, Truth]
) -> None:
    source = sorted(v2_logs[0].rglob("*.log.gz"))[0]
    data = source.read_bytes()
    damaged = tmp_path / "damaged.log.gz"
    damaged.write_bytes(data[: len(data) * 2 // 3])
    duck = analyze(sample, damaged, spark=False)
    result = analyze(sample, damaged, spark=True)
    assert result.partial and result.input.records > 0
    assert_same(duck, result)


def test_cli_engine_spark(
    spark: Any, capsys: pytest.CaptureFixture[str], v5_logs: tuple[Path, Truth]
) -> None:
    import json

    from vpcpath.cli import main

    folder, truth = v5_logs
    code = main(["flows", "--sample", str(folder), "--json", "--engine", "spark"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    doc = json.loads(captured.out)
    assert doc["totals"]["nat_bytes"] == truth.nat_bytes
    assert doc["totals"]["avoidable_bytes"] == truth.avoidable_bytes
    assert doc["input"]["records"] == truth.records


def test_spark_master_without_engine_spark_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], v5_logs: tuple[Path, Truth]
) -> None:
    from vpcpath.cli import main

    code = main(["flows", "--sample", str(v5_logs[0]), "--spark-master", "local[1]"])
    assert code == 2
    assert "--spark-master is for --engine spark" in capsys.readouterr().err
    code = main(["flows", "--sample", str(v5_logs[0]), "--spark-parser", "sql"])
    assert code == 2
    assert "--spark-parser is for --engine spark" in capsys.readouterr().err


def test_without_pyspark_engine_spark_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], v5_logs: tuple[Path, Truth]
) -> None:
    from vpcpath.cli import main

    real_import = builtins.__import__

    def no_pyspark(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    with pytest.raises(FlowLogError, match="needs pyspark"):
        spark_session(SparkOptions())
    code = main(["flows", "--sample", str(v5_logs[0]), "--engine", "spark"])
    assert code == 3
    assert "--engine spark needs pyspark: pip install 'vpcpath[spark]'" in capsys.readouterr().err
