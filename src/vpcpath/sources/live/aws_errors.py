"""botocore's errors, translated into the project's exception tree where they enter.

Every AWS call vpcpath makes goes through a client of ``session.AwsSession``, and every place
that calls one turns what botocore raises into a :class:`~vpcpath.errors.AwsError` subclass
here, ``raise … from exc``, with one line that says what failed and what to do. The CLI maps
the tree to exit code 5; nothing from botocore reaches the user as a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSLError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)

from vpcpath.errors import (
    AwsAccessDenied,
    AwsCredentialsError,
    AwsError,
    AwsThrottled,
    AwsUnreachable,
)

# Error codes that mean "this principal may not do this here": an IAM or SCP denial, or an
# opt-in region. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
# (UnauthorizedOperation, OptInRequired); https://docs.aws.amazon.com/STS/latest/APIReference/
# CommonErrors.html (AccessDenied); Organizations answers AccessDeniedException.
DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "OptInRequired",
    }
)
# Codes that mean the keys themselves are wrong or stale (same pages, "Common errors":
# AuthFailure, InvalidClientTokenId, ExpiredToken, SignatureDoesNotMatch).
CREDENTIAL_CODES = frozenset(
    {
        "AuthFailure",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
    }
)
# Codes botocore retries as throttling; when one still arrives here the retries ran out.
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
    }
)
_CREDENTIAL_ERRORS = (
    NoCredentialsError,
    PartialCredentialsError,
    CredentialRetrievalError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)
_UNREACHABLE_ERRORS = (
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ConnectionClosedError,
    SSLError,
)


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))


def translate_aws_error(exc: BotoCoreError | ClientError, *, action: str, where: str) -> AwsError:
    """The exception-tree error for ``exc`` raised by ``action`` (``ec2:DescribeVpcs``).

    ``where`` (an account/region, a bucket) starts the message when given.
    """
    prefix = f"{where}: " if where else ""
    if isinstance(exc, ClientError):
        code = error_code(exc)
        message = str(exc.response.get("Error", {}).get("Message", "")).strip()
        detail = f"{code}: {message}" if message else code
        if code in DENIED_CODES:
            return AwsAccessDenied(f"{prefix}{action} was refused ({detail})")
        if code in CREDENTIAL_CODES:
            return AwsCredentialsError(
                f"{prefix}{action}: AWS did not accept the credentials ({detail})"
            )
        if code in THROTTLING_CODES:
            attempts = exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
            return AwsThrottled(
                f"{prefix}{action} was still throttled after {attempts + 1} attempts ({code}); "
                "try again later, or raise AWS_MAX_ATTEMPTS"
            )
        return AwsError(f"{prefix}{action} failed: {detail}")
    if isinstance(exc, ProfileNotFound):
        return AwsCredentialsError(f"{prefix}AWS configuration: {exc}")
    if isinstance(exc, _CREDENTIAL_ERRORS):
        return AwsCredentialsError(
            f"{prefix}{action}: {exc} (set AWS_PROFILE or --profile, or the AWS_ACCESS_KEY_ID "
            "and AWS_SECRET_ACCESS_KEY variables)"
        )
    if isinstance(exc, NoRegionError):
        return AwsError(f"{prefix}{action}: no AWS region configured (set AWS_REGION)")
    if isinstance(exc, _UNREACHABLE_ERRORS):
        return AwsUnreachable(f"{prefix}{action}: cannot reach AWS ({exc})")
    return AwsError(f"{prefix}{action} failed: {exc}")


@contextmanager
def aws_errors(action: str, *, where: str = "") -> Iterator[None]:
    """Run the block; botocore errors leave it as :class:`~vpcpath.errors.AwsError`."""
    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise translate_aws_error(exc, action=action, where=where) from exc
