"""``vpcpath flows --emit-sql athena``: one Trino query that attributes NAT gateway bytes
inside Amazon Athena, over the flow-log table AWS's documentation defines.

The query reads the table of the Athena User Guide, "Create a table for Amazon VPC flow logs
and query it" (``ATHENA_DDL``, quoted at the top of the query). Its LazySimpleSerDe splits
each line on single spaces: numeric columns are typed, so ``-`` (and any text that is no
number) arrives as NULL; string columns keep ``-`` as the string ``'-'``; missing trailing
fields arrive as NULL and extra ones are dropped. The query therefore maps ``'-'`` to NULL
itself, and of the scan's malformed-record rules (``scan_rules``) keeps what a typed table
still shows: a negative number. Records are then grouped into the flow pairs of the DuckDB
engine, with its ``ACCEPTED_SQL`` (ACCEPT, well-formed, not NODATA/SKIPDATA), and attributed
by ``athena_steps``.

The snapshot enters as ``VALUES``: the very tables the DuckDB engine loads
(``snapshot_tables.load_snapshot_tables``, read back from an in-memory DuckDB), with
addresses as fixed-width strings (``address_key``). The rows are those of the engine's
``nat_traffic``, in its order, under the JSON contract's names (``ROW_COLUMNS``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import duckdb

from vpcpath.errors import FlowLogError
from vpcpath.flows.athena_steps import LOOKUP_STEPS, PAIR_KEYS, stream_steps
from vpcpath.flows.classify import address_partition
from vpcpath.flows.fields import ACCEPTED_SQL
from vpcpath.flows.inputs import _HIVE_ORIGIN, _NAME_ORIGIN, _PLAIN_ORIGIN
from vpcpath.flows.route_ranges import route_pieces, subnet_routes
from vpcpath.flows.scan_rules import KEY_NAMES, NOT_NEGATIVE, render
from vpcpath.flows.snapshot_tables import load_snapshot_tables
from vpcpath.model import IpRanges, Snapshot
from vpcpath.pricing.path_price import transit_charges, usd_per_gb_of
from vpcpath.pricing.table import PriceTable

DDL_URL = "https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html"

# The columns of AWS's table (flow-log versions 2 to 5, in the default order), Hive types.
ATHENA_COLUMNS: tuple[tuple[str, str], ...] = (
    ("version", "int"),
    ("account_id", "string"),
    ("interface_id", "string"),
    ("srcaddr", "string"),
    ("dstaddr", "string"),
    ("srcport", "int"),
    ("dstport", "int"),
    ("protocol", "bigint"),
    ("packets", "bigint"),
    ("bytes", "bigint"),
    ("start", "bigint"),
    ("end", "bigint"),
    ("action", "string"),
    ("log_status", "string"),
    ("vpc_id", "string"),
    ("subnet_id", "string"),
    ("instance_id", "string"),
    ("tcp_flags", "int"),
    ("type", "string"),
    ("pkt_srcaddr", "string"),
    ("pkt_dstaddr", "string"),
    ("region", "string"),
    ("az_id", "string"),
    ("sublocation_type", "string"),
    ("sublocation_id", "string"),
    ("pkt_src_aws_service", "string"),
    ("pkt_dst_aws_service", "string"),
    ("flow_direction", "string"),
    ("traffic_path", "int"),
)

_DDL_COLUMNS = ",\n".join(f"  {'`end`' if n == 'end' else n} {t}" for n, t in ATHENA_COLUMNS)
ATHENA_DDL = f"""CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs` (
{_DDL_COLUMNS}
)
PARTITIONED BY (`date` date)
ROW FORMAT DELIMITED
FIELDS TERMINATED BY ' '
LOCATION 's3://amzn-s3-demo-bucket/prefix/AWSLogs/{{account_id}}/vpcflowlogs/{{region_code}}/'
TBLPROPERTIES ("skip.header.line.count"="1");"""

# The result's columns: the flows JSON contract's ``nat_traffic`` fields.
ROW_COLUMNS: tuple[str, ...] = (
    "nat_gateway_id",
    "nat_region",
    "source_subnet_id",
    "source_eni_id",
    "source_instance_id",
    "service",
    "service_region",
    "bytes_to_destination",
    "bytes_from_destination",
    "avoidable_by",
    "usd",
    "evidence",
    "nat_cross_az",
    "transit_gateway_id",
)

# Athena's quota on the length of a query string (Athena User Guide, "Service Quotas").
ATHENA_MAX_QUERY_BYTES = 262_144

# Trino's ``sequence`` returns at most 10,000 elements (Trino docs, "Array functions").
_MAX_BUCKETS = 10_000


_KEY_DIGITS = {4: 8, 6: 32}


def address_key(family: int, value: int) -> str:
    """An address as the query compares it: fixed-width lowercase hex (8 or 32 digits)."""
    return f"{value:0{_KEY_DIGITS[family]}x}"


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _values_cte(
    name: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]
) -> str:
    """``name AS (…)``: typed columns over inlined rows (a typed empty table without rows)."""
    typed = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in columns)
    if not rows:
        nulls = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in columns)
        return f"{name} AS (SELECT {nulls} WHERE 1 = 0)"
    body = ",\n    ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    names = ", ".join(c for c, _ in columns)
    return f"{name} AS (SELECT {typed} FROM (VALUES\n    {body}) AS t({names}))"


def _snapshot_ctes(con: Any, prices: PriceTable) -> list[str]:
    """The engine's snapshot tables, read back from DuckDB, as ``VALUES`` common tables."""
    tables = [
        str(r[0])
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 's\\_%' ESCAPE '\\'"
            " ORDER BY table_name"
        ).fetchall()
    ]
    out: list[str] = []
    for table in tables:
        described = con.execute(f"DESCRIBE {table}").fetchall()
        columns = [(str(d[0]), str(d[1])) for d in described]
        rows = [list(r) for r in con.execute(f"SELECT * FROM {table}").fetchall()]
        names = [c for c, _ in columns]
        if table in _MERGED:
            rows = _merged(rows)
        if "family" in names:
            fam = names.index("family")
            for i, (_, kind) in enumerate(columns):
                if kind == "UHUGEINT":
                    for row in rows:
                        row[i] = None if row[i] is None else address_key(row[fam], int(row[i]))
        types = [(c, "VARCHAR" if k == "UHUGEINT" else k) for c, k in columns]
        if table == "s_classes":
            out.extend(_class_ctes(types, rows))
        elif table == "s_prices":
            out.append(_price_cte(rows, prices))
        else:
            out.append(_values_cte(table, types, sorted(rows, key=_sort_key)))
    return out


# Tables the query only asks "does a range hold this address?": their overlapping ranges
# (VPCs that reuse a CIDR) are merged, so a join finds one range at most.
_MERGED = ("s_vpc_cidrs", "s_private_ranges")


def _merged(rows: list[list[Any]]) -> list[list[Any]]:
    """(family, lo, hi) rows with overlapping or adjacent ranges joined."""
    out: list[list[Any]] = []
    for family, lo, hi in sorted((int(f), int(lo), int(hi)) for f, lo, hi in rows):
        if out and out[-1][0] == family and lo <= out[-1][2] + 1:
            out[-1][2] = max(out[-1][2], hi)
        else:
            out.append([family, lo, hi])
    return out


def _sort_key(row: Sequence[Any]) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in row)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and a[n] == b[n]:
        n += 1
    return n


def _class_ctes(columns: list[tuple[str, str]], rows: list[list[Any]]) -> list[str]:
    """Address classes: each distinct class once, and the ranges packed into one string per
    family, since the full ip-ranges.json makes about 9,000 of them and Athena caps the length
    of a query (``ATHENA_MAX_QUERY_BYTES``).

    A range is ``lo n tail class``: ``lo`` without its trailing zeros; ``hi`` is the first
    ``n`` digits of ``lo`` then ``tail``, padded with ``f`` (a CIDR's bounds share a prefix
    and end in zeros and ``f``s). Classes are numbered by how many ranges use them.
    """
    names = [c for c, _ in columns]
    value_columns = [c for c in columns if c[0] not in ("family", "lo", "hi")]
    values = [tuple(row[names.index(c)] for c, _ in value_columns) for row in rows]
    uses = Counter(values)
    number = {v: i for i, v in enumerate(sorted(uses, key=lambda v: (-uses[v], _sort_key(v))))}
    packed: dict[int, list[str]] = {4: [], 6: []}
    for row, value in zip(rows, values, strict=True):
        family, lo, hi = (row[names.index(c)] for c in ("family", "lo", "hi"))
        if int(hi[:4], 16) - int(lo[:4], 16) >= _MAX_BUCKETS:
            raise FlowLogError(f"an address range too wide for the Athena query: {lo}-{hi}")
        shared = _common_prefix(lo, hi)
        packed[family].append(
            f"{lo.rstrip('0')} {shared} {hi[shared:].rstrip('f')} {number[value]}"
        )
    value_rows = sorted((n, *v) for v, n in number.items())
    selected = ", ".join(f"v.{c}" for c, _ in value_columns)
    unpacked = " UNION ALL ".join(
        f"SELECT {family} AS family, rpad(split_part(e, ' ', 1), {digits}, '0') AS lo,"
        f" rpad(substr(rpad(split_part(e, ' ', 1), {digits}, '0'), 1,"
        f" CAST(split_part(e, ' ', 2) AS INTEGER)) || split_part(e, ' ', 3), {digits}, 'f')"
        f" AS hi, CAST(split_part(e, ' ', 4) AS INTEGER) AS class_id"
        f" FROM UNNEST(split({_literal(','.join(packed[family]))}, ',')) AS u(e) WHERE e <> ''"
        for family, digits in _KEY_DIGITS.items()
    )
    return [
        _values_cte("s_class_values", [("class_id", "INTEGER"), *value_columns], value_rows),
        f"s_class_ranges AS ({unpacked})",
        "s_classes AS (SELECT r.family, r.lo, r.hi, "
        f"{selected} FROM s_class_ranges r JOIN s_class_values v ON v.class_id = r.class_id)",
    ]


def _price_cte(rows: list[list[Any]], prices: PriceTable) -> str:
    """Each region's NAT price per GB, and the whole path's through a transit gateway."""
    priced = []
    for region, per_gb in rows:
        regional = prices.regions[region]
        priced.append(
            (
                region,
                per_gb,
                usd_per_gb_of(transit_charges(cross_az=False), regional),
                usd_per_gb_of(transit_charges(cross_az=True), regional),
            )
        )
    return _values_cte(
        "s_prices",
        [
            ("region", "VARCHAR"),
            ("nat_gateway_gb", "DOUBLE"),
            ("transit_gb", "DOUBLE"),
            ("transit_cross_az_gb", "DOUBLE"),
        ],
        sorted(priced),
    )


def _origin(pattern: str) -> tuple[str, str]:
    """The account and region a delivered file's S3 key states (``inputs.file_origin``)."""
    path = "'/' || \"$path\""
    return (
        f"nullif(regexp_extract({path}, '{pattern}', 1), '')",
        f"nullif(regexp_extract({path}, '{pattern}', 2), '')",
    )


def _records_cte(table: str) -> str:
    """The table's records as the engine normalises them: ``-`` is NULL, ``ok`` per record."""
    origins = [_origin(p.pattern) for p in (_PLAIN_ORIGIN, _HIVE_ORIGIN, _NAME_ORIGIN)]
    path_account = "coalesce(" + ", ".join(a for a, _ in origins) + ")"
    path_region = "coalesce(" + ", ".join(r for _, r in origins) + ")"
    select: list[str] = []
    for name in (*KEY_NAMES, "action", "log_status"):
        value = f"nullif({name}, '-')"
        if name == "account_id":
            # An ENI created by an AWS service may be logged with account-id ``unknown``.
            value = f"coalesce(nullif({value}, 'unknown'), {path_account})"
        elif name == "region":
            value = f"coalesce({value}, {path_region})"
        select.append(f"{value} AS {name}")
    select.append("bytes")
    numeric = [n for n, kind in ATHENA_COLUMNS if kind in ("int", "bigint")]
    checks = " AND ".join(render(NOT_NEGATIVE, f'"{n}"', "trino") for n in numeric)
    select.append(f"coalesce({checks}, false) AS ok")
    return f"rec AS (\n  SELECT {', '.join(select)}\n  FROM {table})"


def _pairs_cte() -> str:
    accept = ACCEPTED_SQL
    return f"""p AS (
    SELECT {PAIR_KEYS}, coalesce(sum(bytes) FILTER (WHERE {accept}), 0) AS bytes,
      count(*) FILTER (WHERE {accept}) AS accepted, count(*) AS records,
      count(*) FILTER (WHERE NOT ok) AS malformed, row_number() OVER () AS pair_id
    FROM rec GROUP BY {PAIR_KEYS})"""


# ``attribution.ROWS_SQL``, with the price of each row and the contract's column names.
ROWS_SELECT = """SELECT nat_gateway_id, nat_region, source_subnet_id, source_eni_id,
  source_instance_id, service, service_region, bytes_to_destination, bytes_from_destination,
  avoidable_by,
  round(CAST(bytes_to_destination + bytes_from_destination AS DOUBLE) / 1073741824
    * coalesce(CASE WHEN transit_gateway_id IS NULL THEN nat_gateway_gb
                    WHEN nat_cross_az THEN transit_cross_az_gb ELSE transit_gb END, 0), 6)
    AS usd,
  evidence, nat_cross_az, transit_gateway_id
FROM (
  SELECT a.nat_gateway_id, g.region AS nat_region, a.src_subnet AS source_subnet_id,
    a.src_eni AS source_eni_id, a.src_instance AS source_instance_id, a.service,
    a.service_region,
    sum(coalesce(a.to_bytes, 0)) AS bytes_to_destination,
    sum(coalesce(a.from_bytes, 0)) AS bytes_from_destination,
    CASE WHEN a.gateway_service IS NOT NULL AND a.gateway_region = g.region
         THEN a.gateway_service || '-gateway-endpoint' END AS avoidable_by,
    a.evidence,
    coalesce(g.zone IS NOT NULL AND a.src_zone IS NOT NULL AND g.zone <> a.src_zone, false)
      AS nat_cross_az,
    pr.nat_gateway_gb, pr.transit_gb, pr.transit_cross_az_gb, a.transit_gateway_id
  FROM attributed a
  LEFT JOIN s_nats g ON g.nat_gateway_id = a.nat_gateway_id
  LEFT JOIN s_prices pr ON pr.region = g.region
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16) AS rows_
ORDER BY bytes_to_destination + bytes_from_destination DESC, nat_gateway_id NULLS LAST,
  source_subnet_id NULLS LAST, source_eni_id NULLS LAST, source_instance_id NULLS LAST,
  service NULLS LAST, service_region NULLS LAST, evidence NULLS LAST,
  transit_gateway_id NULLS LAST"""


def table_name(table: str, database: str | None) -> str:
    """The quoted (database.)table the query reads."""
    parts = [database, table] if database else [table]
    return ".".join('"' + p.replace('"', '""') + '"' for p in parts)


def athena_query(
    snapshot: Snapshot,
    ip_ranges: IpRanges | None,
    *,
    prices: PriceTable,
    table: str = "vpc_flow_logs",
    database: str | None = None,
    ip_ranges_source: str = "",
) -> str:
    """The whole query: AWS's DDL as a comment, the inlined snapshot, the attribution."""
    routes = subnet_routes(snapshot)
    pieces = route_pieces(snapshot, [r.route_table_id for r in routes if r.route_table_id])
    classes = address_partition(snapshot, ip_ranges)
    con = duckdb.connect(":memory:")
    try:
        load_snapshot_tables(
            con, snapshot, subnets=routes, pieces=pieces, classes=classes, prices=prices
        )
        lookups = _snapshot_ctes(con, prices)
    finally:
        con.close()
    ctes = [
        *lookups,
        _records_cte(table_name(table, database)),
        _pairs_cte(),
        *LOOKUP_STEPS,
        *stream_steps(),
    ]
    header = "\n".join(
        (
            "-- vpcpath flows --emit-sql athena: NAT gateway bytes by source and service",
            "-- (the nat_traffic rows of the vpcpath.flows/1 JSON; read the CSV result back",
            "-- with `vpcpath flows --from-athena-csv FILE`).",
            f"-- Prices: {prices.source} ({prices.date}). Address ranges: {ip_ranges_source}.",
            "-- It reads the table AWS's documentation defines for flow logs in text files,",
            f"-- {DDL_URL}",
            "-- (a custom format lists its fields in its own order):",
            *(f"--   {line}" for line in ATHENA_DDL.splitlines()),
            '-- "$path" is the S3 object each record comes from: the account and region of',
            "-- records whose format lacks them.",
        )
    )
    return f"{header}\nWITH\n" + ",\n".join(ctes) + "\n" + ROWS_SELECT + "\n"
