"""Fixtures for the flow-log tests: generated logs with their truth, and a scan helper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vpcpath.flows.engine_duckdb import Engine
from vpcpath.flows.readers import read_format
from vpcpath.flows.scan_engine import ScanFile
from vpcpath.flows.synthetic import Truth, generate
from vpcpath.model import Snapshot


@pytest.fixture(scope="session")
def v2_logs(sample: Snapshot, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    out = tmp_path_factory.mktemp("v2-vpc")
    return out, generate(sample, out, records=30_000, mode="v2-vpc", records_per_file=4_000)


@pytest.fixture(scope="session")
def v5_logs(sample: Snapshot, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    out = tmp_path_factory.mktemp("v5-nat")
    return out, generate(sample, out, records=30_000, mode="v5-nat", records_per_file=4_000)


class Scanned:
    """The engine after a scan: its pair table and bookkeeping, for reader tests."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self.engine.con.execute(sql).fetchall()
        return rows

    def totals(self) -> dict[str, int]:
        records, malformed, nodata, skipdata, total_bytes = self.query(
            "SELECT sum(records), sum(malformed), sum(nodata), sum(skipdata), sum(bytes) FROM pairs"
        )[0]
        rejected, _ = self.engine.rejected_lines()
        return {
            "records": int(records or 0) + rejected,
            "malformed": int(malformed or 0) + rejected,
            "nodata": int(nodata or 0),
            "skipdata": int(skipdata or 0),
            "bytes": int(total_bytes or 0),
        }


@pytest.fixture
def scan() -> Iterator[Any]:
    engines: list[Engine] = []

    def run(*paths: Path) -> Scanned:
        engine = Engine()
        engines.append(engine)
        files = [
            ScanFile(path=p, location=str(p), size=p.stat().st_size, format=read_format(p, str(p)))
            for p in paths
        ]
        engine.scan(files)
        return Scanned(engine)

    yield run
    for engine in engines:
        engine.close()


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pyspark_sql = pytest.importorskip("pyspark.sql")
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("vpcpath tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def parser_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One user cache for the Spark tests, so the JVM parser's jar is built once."""
    return tmp_path_factory.mktemp("spark-cache")


@pytest.fixture
def parser_jar_cache(parser_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Spark tests' user cache (``usefixtures``), instead of one per test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(parser_cache))
