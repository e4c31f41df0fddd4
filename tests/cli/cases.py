"""The CLI cases with golden output, shared by the tests and tests/regenerate_golden.py."""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

# name → argv (after `vpcpath`); all on the bundled sample estate.
EXPLAIN_CASES: dict[str, list[str]] = {
    "eks-c-ecr": [
        "explain",
        "--sample",
        "--from",
        "subnet-04b48fe40f9d9fa52",
        "--to",
        "ecr",
        "--json",
    ],
    "eks-b-s3-mixed": [
        "explain",
        "--sample",
        "--from",
        "subnet-0317bf03de44a62f8",
        "--to",
        "s3",
        "--json",
    ],
    "isolated-s3-blackhole": [
        "explain",
        "--sample",
        "--from",
        "subnet-0681f0396fae2649b",
        "--to",
        "s3",
        "--json",
    ],
    "legacy-b-instance-s3": [
        "explain",
        "--sample",
        "--from",
        "i-0caba5bb734099ba2",
        "--to",
        "s3",
        "--json",
    ],
    "client-a-dynamodb-tgw": [
        "explain",
        "--sample",
        "--from",
        "subnet-09eed3500faad3480",
        "--to",
        "dynamodb",
        "--json",
    ],
    "eks-a-s3-eu-west-1": [
        "explain",
        "--sample",
        "--from",
        "subnet-085300abd30e0b0c8",
        "--to",
        "s3:eu-west-1",
        "--json",
    ],
    "eks-a-internet-ip": [
        "explain",
        "--sample",
        "--from",
        "subnet-085300abd30e0b0c8",
        "--to",
        "1.1.1.1",
        "--json",
    ],
    "batch-ip-bucket-host": [
        "explain",
        "--sample",
        "--from",
        "10.0.70.12",
        "--to",
        "my-bucket.s3.us-east-1.amazonaws.com",
        "--json",
    ],
}

# Audit cases: reproducible with SOURCE_DATE_EPOCH (set by the tests and the regenerator).
AUDIT_CASES: dict[str, list[str]] = {
    "sample-no-evidence": ["audit", "--sample", "--format", "json"],
}
SOURCE_DATE_EPOCH = "1795219200"  # 2026-11-22T00:00:00Z
