"""One exception tree for the whole package (after httpx's ``_exceptions``).

Lower-layer errors (OS, JSON, botocore, DuckDB) are translated at the boundary with
``raise … from exc``; the CLI maps each class to a documented exit code.
"""

from __future__ import annotations


class VpcpathError(Exception):
    """Root of every error vpcpath raises on purpose."""


class UsageError(VpcpathError):
    """The command line asks for something that cannot be answered as asked."""


class SourceError(VpcpathError):
    """An input (snapshot folder, file, AWS account) could not be read."""


class SnapshotError(VpcpathError):
    """The snapshot was read but does not hold what the question needs (unknown id, …)."""


class FlowLogError(VpcpathError):
    """A flow-log input is unusable (unreadable header, missing file, …)."""


class PolicyError(VpcpathError):
    """A policy document is malformed; names the element at fault."""


class PricingError(VpcpathError):
    """The price table is missing a region or could not be refreshed."""


class ApplyError(VpcpathError):
    """Applying a fix to AWS failed or was refused."""


class ReadOnlyViolation(VpcpathError):
    """A mutating AWS call was attempted through a read-only session."""


class AwsError(VpcpathError):
    """AWS refused or failed: credentials, an API error, throttling that outlasted the retries,
    or a denied call under ``--strict``. The CLI exits 5."""
