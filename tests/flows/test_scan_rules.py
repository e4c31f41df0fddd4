"""The scan rules are written once: their verdicts, and what each engine renders them into."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from vpcpath.flows.engine_duckdb import Engine
from vpcpath.flows.fields import DEFAULT_FORMAT
from vpcpath.flows.readers import read_format
from vpcpath.flows.result import InputError
from vpcpath.flows.scan_engine import ScanFile, ScanTotals
from vpcpath.flows.scan_rules import (
    INTEGER_TEXT,
    NOT_NEGATIVE,
    STRICT_BYTES,
    bytes_reason,
    bytes_text_ok,
    duckdb_reject_reason,
    plainly_negative,
    render,
)

BYTES_VERDICTS = [
    (None, True),
    ("0", True),
    ("1000", True),
    ("000000000000000042", True),  # 18 digits with leading zeros
    ("9223372036854775807", True),  # the largest BIGINT
    ("9223372036854775808", False),
    ("0000000000000000042", False),  # 19 digits, not canonical
    ("-1", False),
    ("+7", False),
    ("12.5", False),
    ("1e3", False),
    ("0x10", False),
    (" 5", False),
    ("x", False),
    ("", False),
]


def _eval(rule: str, value: str | None, dialect: str = "duckdb") -> object:
    sql = f"SELECT {render(rule, 'v', dialect)} FROM (SELECT CAST(? AS VARCHAR) AS v)"
    if dialect != "duckdb":
        import sqlglot

        sql = sqlglot.transpile(sql, read=dialect, write="duckdb")[0]
    row = duckdb.execute(sql, [value]).fetchone()
    assert row is not None
    return row[0]


@pytest.mark.parametrize(("value", "ok"), BYTES_VERDICTS)
def test_strict_bytes_accepts_only_integers_that_fit(value: str | None, ok: bool) -> None:
    assert _eval(STRICT_BYTES, value) is ok


@pytest.mark.parametrize(("value", "ok"), BYTES_VERDICTS)
def test_the_trino_rendering_of_strict_bytes_means_the_same(value: str | None, ok: bool) -> None:
    assert _eval(STRICT_BYTES, value, "trino") is ok


@pytest.mark.parametrize(("value", "ok"), BYTES_VERDICTS)
def test_the_python_reading_of_strict_bytes_means_the_same(value: str | None, ok: bool) -> None:
    """What finds the example lines agrees with the scan's check (``-`` is NULL in text)."""
    assert bytes_text_ok(b"-" if value is None else value.encode()) is ok


@pytest.mark.parametrize(
    ("value", "negative"),
    [
        ("-1", True),
        ("-9223372036854775808", True),  # the smallest BIGINT
        ("-9223372036854775809", False),  # no BIGINT: the reader refuses the line
        ("-0", False),
        ("-", False),
        ("5", False),
        ("-x", False),
    ],
)
def test_plainly_negative_numbers_are_what_the_reader_reads_as_negative(
    value: str, negative: bool
) -> None:
    assert plainly_negative(value.encode()) is negative
    read = duckdb.execute("SELECT TRY_CAST(? AS BIGINT)", [value]).fetchone()
    assert read is not None and (read[0] is not None and read[0] < 0) is negative


def test_integer_text_and_not_negative() -> None:
    assert [_eval(INTEGER_TEXT, v) for v in ("42", "+7", "-3", "1.5", "0x10", "x")] == [
        42,
        7,
        -3,
        None,
        None,
        None,
    ]
    as_number = render(INTEGER_TEXT, "v")
    checked = f"SELECT {render(NOT_NEGATIVE, as_number)} FROM (SELECT CAST(? AS VARCHAR) AS v)"
    verdicts = [duckdb.execute(checked, [v]).fetchone() for v in (None, "0", "5", "-3")]
    assert verdicts == [(True,), (True,), (True,), (False,)]


def test_spark_gets_the_same_rule_in_its_dialect() -> None:
    assert render(STRICT_BYTES, "bytes_raw", "spark") == (
        "((bytes_raw) IS NULL OR COALESCE(CAST(TRY_CAST((bytes_raw) AS BIGINT) AS STRING)"
        " = (bytes_raw) AND TRY_CAST((bytes_raw) AS BIGINT) >= 0, FALSE)"
        " OR (bytes_raw) RLIKE '^[0-9]{1,18}$')"
    )
    assert render(NOT_NEGATIVE, "n", "spark") == "((n) IS NULL OR (n) >= 0)"


def test_reasons_have_one_wording() -> None:
    assert duckdb_reject_reason("TOO MANY COLUMNS") == "more fields than the header names"
    assert duckdb_reject_reason("MISSING COLUMNS") == "fewer fields than the header names"
    assert duckdb_reject_reason("INVALID UNICODE") == "not UTF-8 text"
    assert duckdb_reject_reason("SOMETHING NEW") == "something new"
    assert bytes_reason("1.5") == "bytes is '1.5', not an integer or '-'"


def test_engine_state_is_a_frozen_account_in_the_order_met(tmp_path: Path) -> None:
    path = tmp_path / "one.log"
    good = "2 1 eni-0a 10.0.0.5 52.216.1.1 1 443 6 3 1000 100 160 ACCEPT OK"
    path.write_text(" ".join(DEFAULT_FORMAT) + "\n" + good + "\n5 cut short\n")
    size = path.stat().st_size
    with Engine() as engine:
        engine.add_errors([InputError(file="s3://b/gone.log", message="not found")])
        engine.scan(
            [ScanFile(path=path, location="one.log", size=size, format=read_format(path, "x"))]
        )
        state = engine.state()
    assert isinstance(state, ScanTotals)
    assert (state.files, state.bytes_read, state.rejected) == (1, size, 1)
    assert state.errors == (InputError(file="s3://b/gone.log", message="not found"),)
    assert [(e.file, e.line, e.reason) for e in state.examples] == [
        ("one.log", 3, "fewer fields than the header names")
    ]
