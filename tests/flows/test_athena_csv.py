"""``--from-athena-csv``: the CSV Athena writes for the ``--emit-sql athena`` query, read back
into the same rows, JSON and text as a scan; bad files name file, line and column; the Athena
flags refuse the flags of a scan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot

from tests.contracts import assert_contract
from tests.flows.athena_table import load_athena_table
from vpcpath.cli import main
from vpcpath.flows.athena_sql import ROW_COLUMNS, athena_query
from vpcpath.flows.ip_ranges_source import obtain_ip_ranges
from vpcpath.flows.synthetic import Truth
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cell(value: Any) -> str:
    """A value as Athena writes it: in double quotes, NULL as an empty field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "true" if value else "false"
    return '"' + str(value).replace('"', '""') + '"'


def athena_csv(path: Path, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Path:
    lines = [",".join(cell(c) for c in header)] + [",".join(cell(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def athena_rows(sample: Snapshot, v5_logs: tuple[Path, Truth]) -> list[tuple[Any, ...]]:
    """What Athena would return for the emitted query over the v5 logs (run in DuckDB)."""
    con = duckdb.connect(":memory:")
    load_athena_table(con, v5_logs[0])
    ranges = obtain_ip_ranges(sample, path=None, allow_download=False, cache_dir=None).ranges
    sql = athena_query(sample, ranges, prices=load_prices())
    rows = con.execute(sqlglot.transpile(sql, read="trino", write="duckdb")[0]).fetchall()
    con.close()
    return [tuple(r) for r in rows]


def test_round_trip_gives_the_scan_json(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    v5_logs: tuple[Path, Truth],
    athena_rows: list[tuple[Any, ...]],
) -> None:
    folder, truth = v5_logs
    code, out, _ = run(capsys, "flows", "--sample", str(folder), "--json", "--offline")
    assert code == 0
    scanned = json.loads(out)
    result = athena_csv(tmp_path / "result.csv", ROW_COLUMNS, athena_rows)
    code, out, err = run(capsys, "flows", "--sample", "--from-athena-csv", str(result), "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert_contract(doc, "flows-1")
    assert doc["nat_traffic"] == scanned["nat_traffic"]
    assert doc["totals"] == scanned["totals"]
    assert doc["totals"]["nat_bytes"] == truth.nat_bytes
    assert doc["prices"] == scanned["prices"]
    assert doc["input"]["records"] == 0 and doc["coverage"] == []
    code, text, _ = run(capsys, "flows", "--sample", "--from-athena-csv", str(result))
    assert code == 0
    assert f"Read {len(athena_rows)} NAT gateway rows" in text
    assert "S3 / us-east-1 → s3-gateway-endpoint" in text
    assert "subnet-04b48fe40f9d9fa52 (prod-eks-nodes-c)" in text


def test_columns_in_another_order_and_athena_usd_are_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, athena_rows: list[tuple[Any, ...]]
) -> None:
    order = tuple(reversed(ROW_COLUMNS))
    rows = [tuple(reversed(r)) for r in athena_rows[:3]]
    result = athena_csv(tmp_path / "r.csv", order, rows)
    code, out, _ = run(capsys, "flows", "--sample", "--from-athena-csv", str(result), "--json")
    assert code == 0
    got = json.loads(out)["nat_traffic"]
    assert [r["usd"] for r in got] == [r[ROW_COLUMNS.index("usd")] for r in athena_rows[:3]]


def bad_rows(athena_rows: list[tuple[Any, ...]], column: str, value: Any) -> list[tuple[Any, ...]]:
    rows = [list(r) for r in athena_rows[:3]]
    rows[1][ROW_COLUMNS.index(column)] = value
    return [tuple(r) for r in rows]


def test_a_result_without_rows_says_what_it_may_mean(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, athena_rows: list[tuple[Any, ...]]
) -> None:
    empty = athena_csv(tmp_path / "empty.csv", ROW_COLUMNS, [])
    code, out, _ = run(capsys, "flows", "--sample", "--from-athena-csv", str(empty), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["nat_traffic"] == [] and doc["totals"]["nat_bytes"] == 0
    assert any("the result has no rows" in n for n in doc["notes"])
    some = athena_csv(tmp_path / "some.csv", ROW_COLUMNS, athena_rows[:1])
    code, out, _ = run(capsys, "flows", "--sample", "--from-athena-csv", str(some), "--json")
    assert not any("the result has no rows" in n for n in json.loads(out)["notes"])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("bytes_to_destination", "12.5", "line 3, column bytes_to_destination: '12.5' is not"),
        ("bytes_from_destination", "-4", "line 3, column bytes_from_destination: '-4' is not"),
        ("bytes_to_destination", None, "line 3, column bytes_to_destination: '' is not"),
        ("evidence", "guess", "line 3, column evidence: 'guess' is not one of workload-eni"),
        ("nat_cross_az", "maybe", "line 3, column nat_cross_az: 'maybe' is not true or false"),
        ("nat_gateway_id", None, "line 3, column nat_gateway_id: empty, expected a value"),
        ("usd", "lots", "line 3, column usd: 'lots' is not a number"),
    ],
)
def test_bad_values_name_file_line_and_column(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    athena_rows: list[tuple[Any, ...]],
    column: str,
    value: Any,
    message: str,
) -> None:
    result = athena_csv(tmp_path / "bad.csv", ROW_COLUMNS, bad_rows(athena_rows, column, value))
    code, out, err = run(capsys, "flows", "--sample", "--from-athena-csv", str(result))
    assert (code, out) == (3, "")
    assert f"{result}: {message}" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: empty file, expected a header row"),
        ('"nat_gateway_id","usd"\n', "line 1, column nat_region: missing from the header row"),
        (
            ",".join(f'"{c}"' for c in ROW_COLUMNS) + '\n"nat-1","us-east-1"\n',
            "line 2: 2 values, the header has 14 columns",
        ),
        (",".join(f'"{c}"' for c in ROW_COLUMNS) + '\n"nat-1,"us-east-1\n', "line 2: not CSV"),
    ],
)
def test_bad_files_name_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    result = tmp_path / "bad.csv"
    result.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "flows", "--sample", "--from-athena-csv", str(result))
    assert code == 3
    assert f"{result}: {message}" in err


def test_missing_and_binary_files_exit_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "flows", "--sample", "--from-athena-csv", str(tmp_path / "no.csv"))
    assert code == 3 and f"{tmp_path / 'no.csv'}: cannot read" in err
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00junk")
    code, _, err = run(capsys, "flows", "--sample", "--from-athena-csv", str(binary))
    assert code == 3 and f"{binary}: not UTF-8 text" in err


def test_emit_sql_prints_the_query(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "flows",
        "--sample",
        "--emit-sql",
        "athena",
        "--offline",
        "--table",
        "flows",
        "--database",
        "logs",
    )
    assert (code, err) == (0, "")
    assert out.startswith("-- vpcpath flows --emit-sql athena")
    assert 'FROM "logs"."flows")' in out
    sqlglot.parse_one(out, read="trino")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--emit-sql", "athena", "--engine", "spark"], "drop --engine spark"),
        (["--emit-sql", "athena", "--spark-master", "local[2]"], "drop --spark-master"),
        (["--emit-sql", "athena", "--threads", "2"], "drop --threads"),
        (["--emit-sql", "athena", "--json"], "drop --json"),
        (["--emit-sql", "athena", "some/logs"], "drop FLOW_LOG_PATH"),
        (["--emit-sql", "athena", "--from-athena-csv", "r.csv"], "drop --from-athena-csv"),
        (["--from-athena-csv", "r.csv", "--start", "2024-05-01"], "drop --start"),
        (["--from-athena-csv", "r.csv", "--memory-limit", "2GB"], "drop --memory-limit"),
        (["--from-athena-csv", "r.csv", "--ip-ranges", "x.json"], "drop --ip-ranges"),
        (["--from-athena-csv", "r.csv", "logs/"], "drop FLOW_LOG_PATH"),
        (["--table", "t", "logs/"], "--table and --database are for --emit-sql athena"),
        (["--database", "d", "logs/"], "--table and --database are for --emit-sql athena"),
        ([], "name the flow logs to read"),
    ],
)
def test_athena_flags_refuse_scan_flags(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "flows", "--sample", *argv)
    assert (code, out) == (2, "")
    assert message in err
