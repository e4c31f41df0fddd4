"""The Spark engine's JVM parser: it accepts only plainly valid lines and hands every other
line to the SQL rules, so both parsers give the same pair rows, counts, examples and JSON;
without ``javac`` (or with sources that do not compile) the engine reads with the SQL rules.
The jar is named by its sources and Spark version.
"""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.flows.test_scan_origins import write_many_origins
from tests.flows.test_spark_engine import PAIRS, tricky_inputs
from vpcpath.errors import FlowLogError
from vpcpath.flows import FlowsRequest, analyze_flows, spark_jvm
from vpcpath.flows.engine_spark import SparkEngine, SparkOptions
from vpcpath.flows.fields import DEFAULT_FORMAT
from vpcpath.flows.inputs import file_origin
from vpcpath.flows.readers import read_format
from vpcpath.flows.scan_engine import ScanFile
from vpcpath.flows.spark_jar import SOURCES, build_jar, cache_key, find_javac, jar_path
from vpcpath.flows.spark_jvm import PARSER_ENV, choose_parser, line_spec, parse_lines
from vpcpath.flows.synthetic import Truth
from vpcpath.pricing.table import load_prices
from vpcpath.sources.sample_estate import load_sample

pytestmark = [pytest.mark.spark, pytest.mark.usefixtures("parser_jar_cache")]

needs_javac = pytest.mark.skipif(
    find_javac() is None, reason="no javac: the JVM parser cannot be built (.ci/run installs a JDK)"
)

HEADER = " ".join(DEFAULT_FORMAT)
GOOD = "2 111122223333 eni-0a 10.0.0.5 52.216.1.1 40000 443 6 3 {b} 100 160 {action} {status}"


def scan_files(paths: list[Path]) -> list[ScanFile]:
    """The files as the engine gets them, each with the origin its S3-style path states."""
    return [
        ScanFile(
            path=p,
            location=str(p),
            size=p.stat().st_size,
            format=replace(read_format(p, str(p)), origin=file_origin(str(p))),
        )
        for p in paths
    ]


@needs_javac
def test_only_plainly_valid_lines_are_summed_the_rest_handed_on(spark: Any, tmp_path: Path) -> None:
    """The parser's own rows: each plainly valid line in its pair's totals, every other line
    handed on byte for byte (the SQL rules judge it), empty lines dropped."""
    summed = [
        GOOD.format(b=100, action="ACCEPT", status="OK"),
        GOOD.format(b=999999999999999999, action="ACCEPT", status="OK"),  # 18 digits
        GOOD.format(b="-", action="ACCEPT", status="OK"),  # accepted, no bytes
        GOOD.format(b=0, action="REJECT", status="OK"),  # a record, not accepted
        "2 unknown eni-0a - - - - - - - 90 170 - NODATA",  # unknown: placed later by SQL
        "2 111122223333 eni-0a 10.0.0.5 52.216.1.1 - - - - - 100 160 - SKIPDATA",
    ]
    handed_on = [
        HEADER,  # a header line, wherever it is
        GOOD.format(b="007", action="ACCEPT", status="OK"),  # not the number's own spelling
        GOOD.format(b="1000000000000000000", action="ACCEPT", status="OK"),  # 19 digits
        GOOD.format(b="+5", action="ACCEPT", status="OK"),
        GOOD.format(b="-5", action="ACCEPT", status="OK"),
        GOOD.format(b="1.5", action="ACCEPT", status="OK"),
        GOOD.format(b=5, action="ACCEPT", status="OK").replace(" 40000 ", " -1 "),
        GOOD.format(b=5, action="ACCEPT", status="OK").replace(" 443 ", "  "),  # empty field
        GOOD.format(b=5, action="ACCEPT", status="OK") + " extra",
        GOOD.format(b=5, action="ACCEPT", status="OK").rsplit(" ", 1)[0],
        GOOD.format(b=5, action="ACCEPT", status="OK").replace("eni-0a", "eni-\udcff"),
        GOOD.format(b=5, action="ACCEPT", status="OK").replace("eni-0a", "eni-é"),  # UTF-8
        GOOD.format(b=5, action="ACCEPT", status="OK").replace("eni-0a", "eni\t0a"),
    ]
    text = "\n".join([HEADER, *summed, "", *handed_on]) + "\n"
    log = tmp_path / "00000-000000.gz"
    log.write_bytes(gzip.compress(text.encode("utf-8", errors="surrogateescape")))
    with SparkEngine(spark=SparkOptions(parser="jvm")) as engine:
        fmt = read_format(log, str(log))
        spec = line_spec(fmt, by_origin=False)
        frame, cached, reading = parse_lines(engine._parser, spark, [str(log)], spec, HEADER)
        rows = frame.collect()
        reading.join()
        cached.unpersist(False)
    raw = sorted(bytes(r.raw) for r in rows if r.raw is not None)
    expected = [HEADER, *handed_on]  # the first line and the one mid-file
    assert raw == sorted(line.encode("utf-8", errors="surrogateescape") for line in expected)
    assert {r.source_file for r in rows if r.raw is not None} == {log.name}
    pairs = sorted(
        (
            r.account_id,
            r.srcaddr,
            r.records,
            r.accepted,
            r.nodata,
            r.skipdata,
            r.bytes_high,
            r.bytes_low,
            r.first_start,
            r.last_end,
        )
        for r in rows
        if r.raw is None
    )
    assert pairs == [
        ("111122223333", "10.0.0.5", 5, 3, 0, 1, 999999999, 999999999 + 100, 100, 160),
        ("unknown", None, 1, 0, 1, 0, 0, 0, 90, 170),
    ]


def parity(paths: list[Path]) -> list[Any]:
    """Pairs, refused lines and examples of both parsers, for the same files."""
    out = []
    for parser in ("sql", "jvm"):
        with SparkEngine(spark=SparkOptions(parser=parser)) as engine:
            assert engine.parser == parser
            engine.scan(scan_files(paths))
            columns = "account_id, region, vpc_id, " + PAIRS.split("SELECT ", 1)[1]
            out.append(
                (
                    engine.con.execute(f"SELECT {columns}").fetchall(),
                    engine.rejected_lines(),
                    engine.state(),
                )
            )
    return out


@needs_javac
def test_both_parsers_give_the_same_pairs_on_every_rule(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every malformed reason, a header line mid-file, CRLF, non-UTF-8, ``-`` fields, bytes
    beyond a BIGINT once summed, Parquet (also when each task's table holds two pairs at
    most); then files of five origins."""
    sql, jvm = parity(tricky_inputs(tmp_path))
    assert jvm == sql
    monkeypatch.setattr(spark_jvm, "TASK_PAIRS", 2)
    assert parity(tricky_inputs(tmp_path))[1] == sql
    monkeypatch.setattr(spark_jvm, "TASK_PAIRS", None)
    assert len(sql[0]) == 7 and sql[1][0] > 0 and len(sql[1][1]) == 5
    origins = tmp_path / "origins"
    origins.mkdir()
    write_many_origins(origins)
    paths = sorted(p for p in origins.rglob("*") if p.is_file())
    sql, jvm = parity(paths)
    assert jvm == sql
    assert {row[:2] for row in sql[0]} == {
        ("111122223333", "us-east-1"),
        ("111122223333", "eu-west-1"),
        ("999988887777", "us-east-1"),
        ("999988887777", "eu-west-1"),
    }


def rules_run(paths: list[Path]) -> tuple[int, Any]:
    """How many statements ran the SQL rules with the JVM parser, and ``parity``'s answers
    (the SQL rules alone first)."""
    sql, jvm = parity(paths)
    assert jvm == sql
    with SparkEngine(spark=SparkOptions(parser="jvm")) as engine:
        engine.scan(scan_files(paths))
        return engine.rule_statements, sql


@needs_javac
def test_the_sql_rules_run_only_when_the_parser_hands_them_a_line(
    spark: Any, tmp_path: Path
) -> None:
    """Clean files (each with its header): no statement of the SQL rules, the same answers.
    A malformed line, or a header line more than the files have: the rules run, and count
    it (the extra header as a refused line)."""
    lines = [GOOD.format(b=b, action="ACCEPT", status="OK") for b in (100, 250)]

    def logs(name: str, *extra: str) -> list[Path]:
        folder = tmp_path / name
        folder.mkdir()
        paths = []
        for i, body in enumerate((lines, [*lines, *extra])):
            path = folder / f"{i:05d}-000000.gz"
            path.write_bytes(gzip.compress(("\n".join([HEADER, *body]) + "\n").encode()))
            paths.append(path)
        return paths

    def totals(answers: list[Any]) -> tuple[int, int, int, int]:
        """Bytes, records and malformed records summed over the pairs; refused lines."""
        pairs, (refused, _examples), _state = answers
        return (
            sum(row[12] for row in pairs),
            sum(row[14] for row in pairs),
            sum(row[15] for row in pairs),
            refused,
        )

    runs, answers = rules_run(logs("clean"))
    assert (runs, totals(answers)) == (0, (700, 4, 0, 0))
    runs, answers = rules_run(logs("bad-line", lines[0] + " extra"))
    assert (runs, totals(answers)) == (1, (700, 4, 0, 1))  # refused: one field too many
    runs, answers = rules_run(logs("extra-header", HEADER))
    assert (runs, totals(answers)) == (1, (700, 4, 0, 1))  # the extra header: refused


@needs_javac
@pytest.mark.parametrize("logs", ["v2_logs", "v5_logs"])
def test_both_parsers_write_the_same_json(
    spark: Any,
    logs: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from vpcpath.cli import main

    folder, truth = request.getfixturevalue(logs)
    docs = []
    for parser in ("sql", "jvm"):
        monkeypatch.setenv(PARSER_ENV, parser)
        code = main(["flows", "--sample", str(folder), "--json", "--engine", "spark"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        docs.append(captured.out)
    assert docs[0] == docs[1]
    assert json.loads(docs[1])["input"]["records"] == truth.records


def no_javac(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A JRE-only machine: no javac on PATH nor in $JAVA_HOME/bin, and no jar cached."""
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_without_javac_the_sql_rules_read_with_the_same_results(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, v5_logs: tuple[Path, Truth]
) -> None:
    paths = tricky_inputs(tmp_path)
    with SparkEngine() as engine:  # the active session: no new JVM to start
        engine.scan(scan_files(paths))
        wanted = engine.con.execute(PAIRS).fetchall(), engine.rejected_lines()
    no_javac(monkeypatch, tmp_path)
    assert find_javac() is None
    with SparkEngine() as engine:
        assert (engine.parser, engine.parser_reason) == (
            "sql",
            "no javac (a JDK) on PATH or in $JAVA_HOME/bin",
        )
        engine.scan(scan_files(paths))
        assert (engine.con.execute(PAIRS).fetchall(), engine.rejected_lines()) == wanted
    with pytest.raises(FlowLogError, match="JVM parser cannot be built: no javac"):
        SparkEngine(spark=SparkOptions(parser="jvm"))
    # The answer says so (not when the SQL rules were asked for).
    notes = []
    for parser in ("auto", "sql"):
        result = analyze_flows(
            load_sample(),
            FlowsRequest(inputs=(str(v5_logs[0]),), spark=SparkOptions(parser=parser)),
            prices=load_prices(),
        )
        notes.append([n for n in result.notes if "SQL rules" in n])
    assert notes == [
        [
            "Spark read the text with its SQL rules, not its faster JVM parser (no javac (a JDK)"
            " on PATH or in $JAVA_HOME/bin); a JDK on this machine builds the parser"
        ],
        [],
    ]
    assert not (tmp_path / "cache" / "vpcpath").exists() or not list(
        (tmp_path / "cache" / "vpcpath").glob("*.jar")
    )


def test_the_cli_flag_chooses_the_parser_over_the_environment(
    spark: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    v5_logs: tuple[Path, Truth],
) -> None:
    """``--spark-parser`` reaches the engine's choice, before ``$VPCPATH_SPARK_PARSER``."""
    from vpcpath.cli import main
    from vpcpath.flows import engine_spark

    asked: list[str | None] = []

    def choose(wanted: str | None) -> spark_jvm.ParserChoice:
        asked.append(wanted)
        return choose_parser(wanted)

    monkeypatch.setattr(engine_spark, "choose_parser", choose)
    monkeypatch.setenv(PARSER_ENV, "jvm")
    flows = ["flows", "--sample", str(v5_logs[0]), "--json", "--engine", "spark"]
    assert main([*flows, "--spark-parser", "sql"]) == 0, capsys.readouterr().err
    assert main(flows) == 0, capsys.readouterr().err
    assert asked == ["sql", None]  # None: the engine reads the environment (jvm)


def test_parser_choice_from_options_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PARSER_ENV, "sql")
    assert choose_parser(None).wanted == "sql"
    assert choose_parser(None).jar is None
    monkeypatch.setenv(PARSER_ENV, "fast")
    with pytest.raises(FlowLogError, match="unknown Spark parser 'fast'"):
        choose_parser(None)
    assert choose_parser("sql").wanted == "sql"


def test_the_jar_name_changes_with_the_sources_and_the_spark_version(tmp_path: Path) -> None:
    sources = tmp_path / "jvm"
    shutil.copytree(SOURCES, sources)
    key = cache_key("4.0.0", sources)
    assert key == cache_key("4.0.0", SOURCES)
    assert cache_key("4.0.1", sources) != key
    first = sorted(sources.glob("*.java"))[0]
    first.write_text(first.read_text() + "\n// changed\n")
    changed = cache_key("4.0.0", sources)
    assert changed != key
    (sources / "Extra.java").write_text("package vpcpath.flows;\nfinal class Extra {}\n")
    assert cache_key("4.0.0", sources) not in (key, changed)  # a new source file counts
    assert jar_path("4.0.0", sources).name == f"flowlines-{cache_key('4.0.0', sources)}.jar"


@needs_javac
def test_the_jar_is_built_once_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyspark

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    jars = Path(pyspark.__file__).parent / "jars"
    built = build_jar(jars, pyspark.__version__)
    assert built.jar == jar_path(pyspark.__version__) and built.jar.is_file()
    assert [p.name for p in built.jar.parent.iterdir()] == [built.jar.name]  # no temp left
    monkeypatch.setenv("PATH", str(tmp_path))  # javac gone: the cached jar still serves
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    assert build_jar(jars, pyspark.__version__).jar == built.jar


@needs_javac
def test_sources_that_do_not_compile_leave_no_jar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyspark

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sources = tmp_path / "jvm"
    sources.mkdir()
    (sources / "Broken.java").write_text("package vpcpath.flows;\nclass Broken {\n")
    jars = Path(pyspark.__file__).parent / "jars"
    built = build_jar(jars, pyspark.__version__, sources)
    assert built.jar is None and built.reason.startswith("javac failed: ")
    assert not list((tmp_path / "cache" / "vpcpath").glob("*.jar"))


@needs_javac
def test_the_jar_reaches_the_executors_beside_the_users_jars(
    tmp_path: Path, v5_logs: tuple[Path, Truth]
) -> None:
    """The user's own ``--jars`` (PYSPARK_SUBMIT_ARGS) and the parser's jar, added to the
    session the engine starts: both reach the tasks, and the JSON is DuckDB's."""
    import os
    import subprocess
    import sys

    import pyspark

    other = sorted((Path(pyspark.__file__).parent / "jars").glob("commons-text-*.jar"))[0]
    env = {**os.environ, PARSER_ENV: "jvm", "PYSPARK_SUBMIT_ARGS": f"--jars {other} pyspark-shell"}
    env.pop("SPARK_MASTER", None)
    flows = [sys.executable, "-m", "vpcpath", "flows", "--sample", str(v5_logs[0]), "--json"]
    docs = []
    for engine in ([], ["--engine", "spark", "--spark-master", "local[2]"]):
        done = subprocess.run(
            [*flows, *engine],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        docs.append(done.stdout)
    assert docs[1] == docs[0]
