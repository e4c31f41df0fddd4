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


class NoFlowEvidence(FlowLogError):
    """The flow logs were read but hold nothing an answer can rest on (no records, all
    malformed, none of the snapshot's network): "$0" would be a guess, so it is an error.
    ``result`` holds what was read (a ``FlowsResult``) for callers that show the counts."""

    def __init__(self, message: str, result: object = None) -> None:
        super().__init__(message)
        self.result = result


class ScanEngineError(FlowLogError):
    """The engine reading the flow logs failed on its own: out of memory within the memory
    limit, out of disk for its spill files, an I/O error."""


class PolicyError(VpcpathError):
    """A policy document is malformed; names the element at fault."""


class PricingError(VpcpathError):
    """The price table is missing a region or could not be refreshed."""


class ApplyError(VpcpathError):
    """Applying a fix to AWS failed or was refused."""


class AwsError(VpcpathError):
    """AWS refused or failed: credentials, an API error, throttling that outlasted the retries,
    or a denied call under ``--strict``. The CLI exits 5."""


class AwsCredentialsError(AwsError):
    """No usable AWS credentials: unknown profile, no credentials, expired or invalid keys."""


class AwsAccessDenied(AwsError):
    """AWS answered that the caller may not make this call (IAM, SCP, opt-in region)."""


class AwsThrottled(AwsError):
    """AWS still throttled the call after every retry."""


class AwsUnreachable(AwsError):
    """The endpoint could not be reached: DNS, connection refused, timeout, TLS."""


class ReadOnlyViolation(AwsError):
    """A mutating AWS call was attempted through a read-only session (or a write ``apply``
    does not declare through the apply session); refused before anything was sent."""


class UndeclaredAwsCall(AwsError):
    """A call no list in ``sources/live/calls.py`` declares; refused before it was sent, so
    ``required-permissions.json`` stays complete."""


class NetworkError(SourceError):
    """A public download (not an AWS API call) failed: ip-ranges.json."""
