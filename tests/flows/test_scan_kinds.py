"""The scan groups records by pair and kind: a pair may fill several rows of ``pairs`` (its
accepted, REJECT, NODATA, SKIPDATA and malformed records apart), and nothing may change for it.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from vpcpath.flows import FlowsRequest, FlowsResult, analyze_flows
from vpcpath.flows.attribution import WINDOW_SQL
from vpcpath.flows.engine_duckdb import Engine
from vpcpath.flows.fields import DEFAULT_FORMAT
from vpcpath.flows.readers import Container, FileFormat, origin_constants, read_format
from vpcpath.flows.scan_engine import ScanFile
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices

HEADER = " ".join(DEFAULT_FORMAT)
PAIR = "2 111122223333 eni-0a 10.0.0.5 52.216.1.1"
OTHER = "2 111122223333 eni-0b 10.0.0.6 52.216.1.2"
_VALUES = "bytes, accepted, records, malformed, nodata, skipdata, first_start, last_end, bad_file"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n")
    return path


def _scan(engine: Engine, *paths: Path) -> None:
    engine.scan(
        [
            ScanFile(path=p, location=str(p), size=p.stat().st_size, format=read_format(p, str(p)))
            for p in paths
        ]
    )


def _rows(engine: Engine, eni: str) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = engine.con.execute(
        f"SELECT {_VALUES} FROM pairs WHERE interface_id = ? ORDER BY ALL", [eni]
    ).fetchall()
    return rows


def test_a_pair_of_every_kind_has_a_row_per_kind_with_the_pairs_totals(tmp_path: Path) -> None:
    log = _write(
        tmp_path / "a.log",
        [
            f"{PAIR} 40000 443 6 10 5000 100 160 ACCEPT OK",
            f"{PAIR} 40001 443 6 3 700 160 220 ACCEPT OK",
            f"{PAIR} 40002 443 6 1 40 90 150 REJECT OK",
            f"{PAIR} - - - - - 80 140 - NODATA",
            f"{PAIR} - - - - - 85 300 - SKIPDATA",
            f"{PAIR} 40003 443 6 1 12x 10 900 ACCEPT OK",  # malformed: outside the window
            f"{OTHER} 40000 443 6 1 9 100 130 ACCEPT OK",
        ],
    )
    with Engine() as engine:
        _scan(engine, log)
        assert _rows(engine, "eni-0a") == [
            (0, 0, 1, 0, 0, 0, 90, 150, None),  # REJECT
            (0, 0, 1, 0, 0, 1, 85, 300, None),  # SKIPDATA
            (0, 0, 1, 0, 1, 0, 80, 140, None),  # NODATA
            (0, 0, 1, 1, 0, 0, None, None, str(log)),  # malformed
            (5700, 2, 2, 0, 0, 0, 100, 220, None),  # accepted
        ]
        engine._merge_pairs()
        assert _rows(engine, "eni-0a") == [(5700, 2, 6, 1, 1, 1, 80, 300, str(log))]
        assert _rows(engine, "eni-0b") == [(9, 1, 1, 0, 0, 0, 100, 130, None)]
        # The window: the ok records only; the malformed line's times are not read.
        assert engine.con.execute(WINDOW_SQL).fetchone() == (80, 300, "7", "1", "1", "1")


def test_the_window_and_status_counts_ignore_malformed_lines(tmp_path: Path) -> None:
    log = _write(
        tmp_path / "b.log",
        [
            f"{PAIR} 40000 443 6 10 5000 100 160 ACCEPT OK",
            f"{PAIR} - - - - -7 5 1000 - NODATA",  # malformed: a negative byte count
            f"{PAIR} - - - - - 50 60 - SKIPDATA",
        ],
    )
    with Engine() as engine:
        _scan(engine, log)
        assert engine.con.execute(WINDOW_SQL).fetchone() == (50, 160, "3", "1", "0", "1")


def test_examples_come_from_each_malformed_pairs_first_file_as_before(tmp_path: Path) -> None:
    """Each pair's malformed records point the example search at the first file (by name)
    that holds some; a file none of whose pairs has it first is not searched."""
    a = _write(tmp_path / "a.log", [f"{PAIR} 40000 443 6 1 1x 100 160 ACCEPT OK"])
    b = _write(
        tmp_path / "b.log",
        [f"{PAIR} 40001 443 6 1 2x 100 160 ACCEPT OK", f"{PAIR} 40002 443 6 1 3 100 160 ACCEPT OK"],
    )
    c = _write(
        tmp_path / "c.log",
        [f"{PAIR} 40003 443 6 1 4x 100 160 ACCEPT OK", f"{OTHER} 40004 443 6 1 -5 1 2 ACCEPT OK"],
    )
    with Engine() as engine:
        _scan(engine, a, b, c)
        totals = engine.state()
        assert engine.con.execute("SELECT sum(malformed) FROM pairs").fetchone() == (4,)
    assert [(e.file, e.line, e.text, e.reason) for e in totals.examples] == [
        (
            str(a),
            2,
            f"{PAIR} 40000 443 6 1 1x 100 160 ACCEPT OK",
            "bytes is '1x', not an integer or '-'",
        ),
        (
            str(c),
            2,
            f"{PAIR} 40003 443 6 1 4x 100 160 ACCEPT OK",
            "bytes is '4x', not an integer or '-'",
        ),
        (
            str(c),
            3,
            f"{OTHER} 40004 443 6 1 -5 1 2 ACCEPT OK",
            "bytes is '-5', not an integer or '-'",
        ),
    ]


def test_columns_the_files_path_states_are_written_not_grouped() -> None:
    fmt = FileFormat(
        container=Container.PLAIN,
        fields=DEFAULT_FORMAT,
        origin=(("account_id", "111122223333"), ("region", "eu-west-1")),
    )
    assert origin_constants(fmt) == {"region": "'eu-west-1'"}  # account-id is a field
    sql = Engine._insert_sql(fmt, [Path("x.log")])
    assert "'eu-west-1' AS region" in sql
    assert "GROUP BY account_id, interface_id, srcaddr, dstaddr, kind, bad_file" in sql


def _analyze(sample: Snapshot, inputs: tuple[str, ...]) -> FlowsResult:
    return analyze_flows(sample, FlowsRequest(inputs=inputs), prices=load_prices())


# A rule that filtered rows by their bytes, then counted their records, would see fewer
# records on split pairs (a pair's REJECT and malformed records are in rows without bytes).
_PER_ROW = "SELECT count(*), sum(records) FILTER (WHERE bytes > 0) FROM pairs"


@pytest.mark.parametrize(
    ("logs", "reason"),
    [("v2_logs", "address-in-no-subnet"), ("v5_logs", "vpc-not-in-snapshot")],
)
def test_the_attribution_gives_the_same_answers_on_split_and_merged_pairs(
    logs: str,
    reason: str,
    tmp_path: Path,
    sample: Snapshot,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole result of ``analyze_flows`` on the pairs as scanned (a pair's kinds in rows
    of their own) equals the result on the same pairs merged to one row each."""
    folder, _ = request.getfixturevalue(logs)
    source = sorted(folder.rglob("*.log.gz"))[0]
    lines = gzip.decompress(source.read_bytes()).decode().splitlines()
    fields = read_format(source, str(source)).fields
    accepted = next(
        i
        for i, line in enumerate(lines)
        if line.split(" ")[fields.index("action")] == "ACCEPT"
        and line.split(" ")[fields.index("log-status")] == "OK"
    )
    extra = []  # the same pair again: a REJECT record and a malformed one
    for action, value in (("REJECT", None), ("ACCEPT", "12x")):
        record = lines[accepted].split(" ")
        record[fields.index("action")] = action
        if value is not None:
            record[fields.index("bytes")] = value
        extra.append(" ".join(record))
    # A workload the snapshot does not know, with ACCEPT and REJECT records: unattributed.
    unknown = lines[accepted].split(" ")
    for name, value in (
        ("interface-id", "eni-0fffffffffffffff0"),
        ("srcaddr", "192.0.2.7"),
        ("vpc-id", "vpc-0fffffffffffffff0"),
        ("subnet-id", "-"),
    ):
        if name in fields:
            unknown[fields.index(name)] = value
    for action in ("ACCEPT", "REJECT"):
        unknown[fields.index("action")] = action
        extra.append(" ".join(unknown))
    more = tmp_path / source.name
    more.write_bytes(gzip.compress(("\n".join([lines[0], *extra]) + "\n").encode()))

    seen: list[tuple[Any, ...]] = []
    scan = Engine.scan

    def scan_then(self: Engine, *args: Any, merge: bool, **kwargs: Any) -> None:
        scan(self, *args, **kwargs)
        if merge:
            seen.append(self.con.execute(_PER_ROW).fetchone())
            self._merge_pairs()
            seen.append(self.con.execute(_PER_ROW).fetchone())

    inputs = (str(folder), str(more))
    monkeypatch.setattr(Engine, "scan", lambda s, *a, **k: scan_then(s, *a, merge=False, **k))
    split = _analyze(sample, inputs)
    monkeypatch.setattr(Engine, "scan", lambda s, *a, **k: scan_then(s, *a, merge=True, **k))
    merged = _analyze(sample, inputs)

    assert merged == split
    assert str(more) in {e.file for e in split.input.malformed_examples}
    assert [(u.reason, u.records) for u in split.unattributed] == [(reason, 1)]
    # The fixture can tell: more rows than pairs, and a per-row rule would count otherwise.
    (split_rows, split_records), (merged_rows, merged_records) = seen
    assert split_rows > merged_rows
    assert split_records < merged_records
