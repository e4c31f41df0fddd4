"""The VPC Flow Logs fields vpcpath knows, and the columns the engine works with.

Field names, versions and types: AWS VPC User Guide, "Flow log records" → "Available fields"
(https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html); v7 (ECS) and v8
(``reject-reason``) names as the AWS CDK ``LogFormat`` lists them. Text files name fields with
``-`` in their header line; Parquet files and Hive-style tables use ``_`` instead (same page,
"Parquet"). A missing value is ``-`` in text and NULL in Parquet.

The engine only reads the fields below that decide attribution; every other field is still
part of the record (its position counts for the field-count check, and numeric ones must hold
an integer) but is not carried further.
"""

from __future__ import annotations

from dataclasses import dataclass

# Every field of versions 2–8 with whether its text value must be an integer (or ``-``).
KNOWN_FIELDS: dict[str, bool] = {
    # version 2 (the default format)
    "version": True,
    "account-id": False,
    "interface-id": False,
    "srcaddr": False,
    "dstaddr": False,
    "srcport": True,
    "dstport": True,
    "protocol": True,
    "packets": True,
    "bytes": True,
    "start": True,
    "end": True,
    "action": False,
    "log-status": False,
    # version 3
    "vpc-id": False,
    "subnet-id": False,
    "instance-id": False,
    "tcp-flags": True,
    "type": False,
    "pkt-srcaddr": False,
    "pkt-dstaddr": False,
    # version 4
    "region": False,
    "az-id": False,
    "sublocation-type": False,
    "sublocation-id": False,
    # version 5
    "pkt-src-aws-service": False,
    "pkt-dst-aws-service": False,
    "flow-direction": False,
    "traffic-path": True,
    # version 7 (ECS)
    "ecs-cluster-arn": False,
    "ecs-cluster-name": False,
    "ecs-container-instance-arn": False,
    "ecs-container-instance-id": False,
    "ecs-container-id": False,
    "ecs-second-container-id": False,
    "ecs-service-name": False,
    "ecs-task-definition-arn": False,
    "ecs-task-arn": False,
    "ecs-task-id": False,
    # version 8
    "reject-reason": False,
}

DEFAULT_FORMAT: tuple[str, ...] = (
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """A column of the engine's normalised record: its flow-log field and SQL type."""

    name: str  # the SQL name (the Parquet name: ``-`` → ``_``)
    field: str  # the flow-log field name
    sql_type: str  # VARCHAR or BIGINT


def column_name(field: str) -> str:
    """``log-status`` → ``log_status`` (the Parquet / Hive spelling, also our SQL name)."""
    return field.replace("-", "_")


def field_name(column: str) -> str:
    """``log_status`` → ``log-status``."""
    return column.replace("_", "-")


# The fields attribution reads; a format without one gets NULL in its place. ``account-id``,
# ``vpc-id`` and ``region`` say which network a record belongs to when its ENI is not in the
# snapshot (``workload_match``): without them a record of another VPC that reuses the same
# private addresses would be credited to the snapshot's subnet.
USED_COLUMNS: tuple[Column, ...] = tuple(
    Column(name=column_name(f), field=f, sql_type="BIGINT" if KNOWN_FIELDS[f] else "VARCHAR")
    for f in (
        "account-id",
        "vpc-id",
        "region",
        "subnet-id",
        "instance-id",
        "interface-id",
        "srcaddr",
        "dstaddr",
        "pkt-srcaddr",
        "pkt-dstaddr",
        "pkt-src-aws-service",
        "pkt-dst-aws-service",
        "bytes",
        "start",
        "end",
        "action",
        "log-status",
    )
)


# What a flow-log file needs for vpcpath to count bytes: how many (``bytes``), whether they
# went through (``action``: REJECT records carried nothing) and between which addresses.
REQUIRED_FIELDS: tuple[str, ...] = ("bytes", "action", "srcaddr", "dstaddr")

# Transit gateway flow logs name these instead of an ENI (Transit Gateway guide, "Logging
# network traffic using Transit Gateway Flow Logs" → "Available fields",
# https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html): they record traffic at the
# transit gateway, not at a workload's network interface.
TRANSIT_GATEWAY_FIELDS = frozenset(
    {
        "resource-type",
        "tgw-id",
        "tgw-attachment-id",
        "tgw-src-vpc-account-id",
        "tgw-dst-vpc-account-id",
        "tgw-src-vpc-id",
        "tgw-dst-vpc-id",
        "tgw-src-subnet-id",
        "tgw-dst-subnet-id",
        "tgw-src-eni",
        "tgw-dst-eni",
        "tgw-src-az-id",
        "tgw-dst-az-id",
        "tgw-pair-attachment-id",
        "packets-lost-no-route",
        "packets-lost-blackhole",
        "packets-lost-mtu-exceeded",
        "packets-lost-ttl-expired",
    }
)


# The records whose bytes count, in SQL both engines read alike: well-formed (``ok``),
# ACCEPT (REJECT records carried no bytes anywhere), and data records — NODATA / SKIPDATA
# records carry no traffic whatever their other fields hold (DESIGN "Flow-log semantics");
# a format without log-status has only data records.
ACCEPTED_SQL = (
    "ok AND action = 'ACCEPT' AND coalesce(log_status, 'OK') NOT IN ('NODATA', 'SKIPDATA')"
)


def is_numeric(field: str) -> bool:
    """Whether ``field`` holds an integer; unknown fields are treated as text."""
    return KNOWN_FIELDS.get(field, False)
