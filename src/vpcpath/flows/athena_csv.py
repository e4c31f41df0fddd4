"""``vpcpath flows --from-athena-csv FILE``: the result of the ``--emit-sql athena`` query, as
Athena writes it to S3 (a header row, every value in double quotes, an empty field for NULL),
read back into a ``FlowsResult``.

The file holds the ``nat_traffic`` rows only (``athena_sql.ROW_COLUMNS``); the record counts,
the coverage cross-check and the totals by routing verdict come from a scan and are not in it.
Dollars are priced again from the bytes with the price table, as a scan prices them, so a
row's ``usd`` is the same whichever way it was computed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from vpcpath.errors import FlowLogError
from vpcpath.flows.athena_sql import ROW_COLUMNS
from vpcpath.flows.result import Evidence, FlowsResult, InputSummary, NatTraffic
from vpcpath.pricing.path_price import nat_traffic_usd
from vpcpath.pricing.table import PriceTable

_REQUIRED = ("nat_gateway_id", "bytes_to_destination", "bytes_from_destination", "evidence")
_BOOLEANS = {"true": True, "false": False}


class _Row:
    """One data line of the CSV, with what names a bad value: file, line, column."""

    def __init__(self, path: Path, line: int, values: dict[str, str]) -> None:
        self.path, self.line, self.values = path, line, values

    def fail(self, column: str, why: str) -> FlowLogError:
        return FlowLogError(f"{self.path}: line {self.line}, column {column}: {why}")

    def text(self, column: str) -> str | None:
        value = self.values[column]
        if value == "" and column in _REQUIRED:
            raise self.fail(column, "empty, expected a value")
        return value or None

    def count(self, column: str) -> int:
        value = self.values[column]
        if not value.isascii() or not value.isdigit():
            raise self.fail(column, f"{value!r} is not a byte count")
        return int(value)

    def flag(self, column: str) -> bool:
        value = self.values[column].lower()
        if value not in _BOOLEANS:
            raise self.fail(column, f"{self.values[column]!r} is not true or false")
        return _BOOLEANS[value]

    def evidence(self) -> Evidence:
        value = self.values["evidence"]
        try:
            return Evidence(value)
        except ValueError:
            known = ", ".join(e.value for e in Evidence)
            raise self.fail("evidence", f"{value!r} is not one of {known}") from None

    def usd(self) -> None:
        value = self.values["usd"]
        try:
            float(value or "0")
        except ValueError:
            raise self.fail("usd", f"{value!r} is not a number") from None


def _rows(path: Path) -> Iterator[_Row]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise FlowLogError(f"{path}: cannot read ({exc.strerror})") from exc
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise FlowLogError(f"{path}: line 1: empty file, expected a header row")
            missing = [c for c in ROW_COLUMNS if c not in header]
            if missing:
                raise FlowLogError(
                    f"{path}: line 1, column {missing[0]}: missing from the header row; "
                    f"expected the columns of `vpcpath flows --emit-sql athena`: "
                    f"{', '.join(ROW_COLUMNS)}"
                )
            for fields in reader:
                line = reader.line_num
                if len(fields) != len(header):
                    raise FlowLogError(
                        f"{path}: line {line}: {len(fields)} values, the header has "
                        f"{len(header)} columns"
                    )
                yield _Row(path, line, dict(zip(header, fields, strict=True)))
        except csv.Error as exc:
            raise FlowLogError(f"{path}: line {reader.line_num}: not CSV ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise FlowLogError(f"{path}: not UTF-8 text ({exc.reason})") from exc


def _usd(row: NatTraffic, prices: PriceTable) -> float | None:
    """The row's price as a scan computes it; None when the region has no price."""
    regional = prices.regions.get(row.nat_region)
    if regional is None:
        return None
    via_tgw = row.transit_gateway_id is not None
    return nat_traffic_usd(
        row.nat_bytes, regional, via_transit_gateway=via_tgw, cross_az=row.nat_cross_az
    )


def read_athena_csv(path: Path, *, prices: PriceTable) -> FlowsResult:
    """The rows of one Athena result file; FlowLogError naming file, line and column."""
    rows: list[NatTraffic] = []
    unpriced: set[str] = set()
    for line in _rows(path):
        line.usd()
        row = NatTraffic(
            nat_gateway_id=line.text("nat_gateway_id") or "",
            nat_region=line.text("nat_region") or "",
            source_subnet_id=line.text("source_subnet_id"),
            source_eni_id=line.text("source_eni_id"),
            source_instance_id=line.text("source_instance_id"),
            service=line.text("service"),
            service_region=line.text("service_region"),
            bytes_to_destination=line.count("bytes_to_destination"),
            bytes_from_destination=line.count("bytes_from_destination"),
            avoidable_by=line.text("avoidable_by"),
            usd=0.0,
            evidence=line.evidence(),
            nat_cross_az=line.flag("nat_cross_az"),
            transit_gateway_id=line.text("transit_gateway_id"),
        )
        usd = _usd(row, prices)
        if usd is None:
            unpriced.add(row.nat_region)
        rows.append(replace(row, usd=usd or 0.0))
    notes = [
        f"read from the Athena result {path}: the NAT gateway rows only; record counts, the "
        "coverage check and bytes by routing verdict come from a scan of the flow logs"
    ]
    if not rows:
        # A table that reads nothing (a wrong LOCATION, no partitions added) gives no rows too.
        notes.append(
            "the result has no rows: no NAT gateway bytes of the snapshot's network, or a table "
            "that reads no flow logs (check with SELECT count(*) on it)"
        )
    if unpriced:
        notes.append(f"no NAT gateway price for {', '.join(sorted(unpriced))}: priced $0")
    return FlowsResult(
        input=InputSummary(
            files=1,
            bytes_read=path.stat().st_size,
            records=0,
            malformed=0,
            nodata=0,
            skipdata=0,
            formats=("athena csv: " + ",".join(ROW_COLUMNS),),
        ),
        window_start=None,
        window_end=None,
        nat_traffic=tuple(rows),
        coverage=(),
        price_source=prices.source,
        price_date=prices.date,
        ip_ranges_source="the Athena query's (vpcpath flows --emit-sql athena)",
        notes=tuple(notes),
    )
